import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { NotificationEntity, type NotificationKind } from '../entities/notification.entity';
import { SupervisionBoardEntity } from '../entities/supervision-board.entity';
import { SqlDialect } from '../sql-dialect';
import { type Page, type PageRequest, pageOf } from './page';

export interface NotificationListQuery extends PageRequest {
  /** only this agency's notifications (an agency user's scope, or the office's filter) */
  agency?: string;
  kind?: NotificationKind;
  /** leads the reader is refused by 回避 (computed by the api's RecusalService) */
  excludeLeadIds?: readonly string[];
  /** cases the reader is refused by 回避 */
  excludeCaseIds?: readonly string[];
}

/** 催办通知 feed: newest first (by log position, which is also creation order). */
export class NotificationQuery {
  private readonly dialect: SqlDialect;

  constructor(private readonly dataSource: DataSource) {
    this.dialect = new SqlDialect(dataSource);
  }

  async list(q: NotificationListQuery = {}): Promise<Page<NotificationEntity>> {
    const { limit, offset } = pageOf(q);
    const qb = this.dataSource.getRepository(NotificationEntity).createQueryBuilder('n').where('1 = 1');
    if (q.agency !== undefined) qb.andWhere('n.agency = :agency', { agency: q.agency });
    if (q.kind !== undefined) qb.andWhere('n.kind = :kind', { kind: q.kind });
    this.excludeHidden(qb, q);
    const [items, total] = await qb.orderBy('n.position', 'DESC').addOrderBy('n.notificationId', 'ASC').take(limit).skip(offset).getManyAndCount();
    return { total, limit, offset, items };
  }

  /**
   * 回避: a notification is about a lead (transfer and disposition clocks: refId is the lead's id) or about a
   * supervision item (refId is the item's id), which may be opened for a case or a lead (supervision_board).
   * Both are left out when that lead or case is hidden. Lead and item ids are both random UUIDs, so one
   * `refId NOT IN (leads)` needs no test of the subject. In the page's own statement: the total counts
   * exactly what the pages show. Nothing is added for a reader implicated in nothing (most readers).
   */
  private excludeHidden(qb: SelectQueryBuilder<NotificationEntity>, q: NotificationListQuery): void {
    const leadIds = [...new Set(q.excludeLeadIds ?? [])];
    const caseIds = [...new Set(q.excludeCaseIds ?? [])];
    if (leadIds.length) qb.andWhere('n.refId NOT IN (:...hiddenLeadIds)', { hiddenLeadIds: leadIds });
    const linked: string[] = [];
    const params: Record<string, string[]> = {};
    if (caseIds.length) {
      linked.push('s."case_id" IN (:...hiddenCaseIds)');
      params.hiddenCaseIds = caseIds;
    }
    if (leadIds.length) {
      linked.push('s."lead_id" IN (:...hiddenLeadIds)');
      params.hiddenLeadIds = leadIds;
    }
    if (linked.length) qb.andWhere(`n.refId NOT IN (SELECT s."item_id" FROM ${this.dialect.table(SupervisionBoardEntity)} s WHERE ${linked.join(' OR ')})`, params);
  }
}
