import type { DataSource } from 'typeorm';
import { ReminderDeadlineEntity } from '../entities/reminder-deadline.entity';

/** The scheduler's read of its work list: every open deadline, in a stable order, a page at a time. */
export class ReminderDeadlineQuery {
  constructor(private readonly dataSource: DataSource) {}

  async open(afterId = '', limit = 500): Promise<ReminderDeadlineEntity[]> {
    return this.dataSource
      .getRepository(ReminderDeadlineEntity)
      .createQueryBuilder('d')
      .where('d.closedOn IS NULL')
      .andWhere('d.deadlineId > :afterId', { afterId })
      .orderBy('d.deadlineId', 'ASC')
      .take(limit)
      .getMany();
  }
}
