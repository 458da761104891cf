import type { DataSource } from 'typeorm';
import { NotificationEntity, type NotificationKind } from '../entities/notification.entity';
import { type Page, type PageRequest, pageOf } from './page';

export interface NotificationListQuery extends PageRequest {
  /** only this agency's notifications (an agency user's scope, or the office's filter) */
  agency?: string;
  kind?: NotificationKind;
}

/** 催办通知 feed: newest first (by log position, which is also creation order). */
export class NotificationQuery {
  constructor(private readonly dataSource: DataSource) {}

  async list(q: NotificationListQuery = {}): Promise<Page<NotificationEntity>> {
    const { limit, offset } = pageOf(q);
    const qb = this.dataSource.getRepository(NotificationEntity).createQueryBuilder('n').where('1 = 1');
    if (q.agency !== undefined) qb.andWhere('n.agency = :agency', { agency: q.agency });
    if (q.kind !== undefined) qb.andWhere('n.kind = :kind', { kind: q.kind });
    const [items, total] = await qb.orderBy('n.position', 'DESC').addOrderBy('n.notificationId', 'ASC').take(limit).skip(offset).getManyAndCount();
    return { total, limit, offset, items };
  }
}
