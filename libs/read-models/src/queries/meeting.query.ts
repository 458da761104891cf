import type { DataSource } from 'typeorm';
import { MeetingRegisterEntity, type MeetingStatus } from '../entities/meeting-register.entity';
import { type Page, type PageRequest, pageOf } from './page';

export interface MeetingListQuery extends PageRequest {
  kind?: 'regular' | 'special';
  status?: MeetingStatus;
  halfYear?: string;
  /** only meetings with at least one late topic (临时动议) */
  lateTopics?: boolean;
}

/**
 * 联席会议登记簿 reads. Meetings are the whole group's business: every member agency attends, so there is
 * no agency scope (briefed leads appear as ids only; reading a lead stays scoped by the lead queries).
 */
export class MeetingQuery {
  constructor(private readonly dataSource: DataSource) {}

  async list(q: MeetingListQuery = {}): Promise<Page<MeetingRegisterEntity>> {
    const { limit, offset } = pageOf(q);
    const qb = this.dataSource.getRepository(MeetingRegisterEntity).createQueryBuilder('m').where('1 = 1');
    if (q.kind) qb.andWhere('m.kind = :kind', { kind: q.kind });
    if (q.status) qb.andWhere('m.status = :status', { status: q.status });
    if (q.halfYear) qb.andWhere('m.halfYear = :halfYear', { halfYear: q.halfYear });
    if (q.lateTopics) qb.andWhere('m.lateTopicCount > 0');
    const [items, total] = await qb.orderBy('m.scheduledOn', 'DESC').addOrderBy('m.scheduledPosition', 'DESC').take(limit).skip(offset).getManyAndCount();
    return { total, limit, offset, items };
  }

  get(meetingId: string): Promise<MeetingRegisterEntity | null> {
    return this.dataSource.getRepository(MeetingRegisterEntity).findOneBy({ meetingId });
  }
}
