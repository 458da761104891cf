import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { SupervisionBoardEntity, type SupervisionStatus } from '../entities/supervision-board.entity';
import { type Page, type PageRequest, pageOf } from './page';

export interface SupervisionListQuery extends PageRequest {
  status?: SupervisionStatus;
  /** the assignee agency */
  agency?: string;
  /** an agency user's scope: only items assigned to its agency */
  scopeAgency?: string;
}

/** 督办台账 reads. Earliest due first (what needs attention). */
export class SupervisionQuery {
  constructor(private readonly dataSource: DataSource) {}

  async list(q: SupervisionListQuery = {}): Promise<Page<SupervisionBoardEntity>> {
    const { limit, offset } = pageOf(q);
    const qb = this.scoped(q.scopeAgency);
    if (q.status) qb.andWhere('s.status = :status', { status: q.status });
    if (q.agency) qb.andWhere('s.assigneeAgency = :agency', { agency: q.agency });
    const [items, total] = await qb.orderBy('s.dueOn', 'ASC').addOrderBy('s.itemNo', 'ASC').take(limit).skip(offset).getManyAndCount();
    return { total, limit, offset, items };
  }

  async get(itemId: string, opts: { scopeAgency?: string } = {}): Promise<SupervisionBoardEntity | null> {
    return this.scoped(opts.scopeAgency).andWhere('s.itemId = :itemId', { itemId }).getOne();
  }

  private scoped(scopeAgency: string | undefined): SelectQueryBuilder<SupervisionBoardEntity> {
    const qb = this.dataSource.getRepository(SupervisionBoardEntity).createQueryBuilder('s').where('1 = 1');
    if (scopeAgency !== undefined) qb.andWhere('s.assigneeAgency = :scopeAgency', { scopeAgency });
    return qb;
  }
}
