import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { LeadAccessEntity } from '../entities/lead-access.entity';
import { LeadRegisterEntity, type LeadStatus } from '../entities/lead-register.entity';
import { SqlDialect } from '../sql-dialect';
import { type Page, type PageRequest, pageOf } from './page';

export interface LeadListQuery extends PageRequest {
  status?: LeadStatus;
  /** the agency currently holding the lead */
  agency?: string;
  source?: string;
  /** an agency user's scope: only leads its agency registered, held or was sent (lead_access) */
  scopeAgency?: string;
  /** leads the reader is refused by 回避 (computed by the api's RecusalService) */
  excludeIds?: readonly string[];
}

/** 线索台账 reads. Newest registration first. */
export class LeadQuery {
  private readonly dialect: SqlDialect;

  constructor(private readonly dataSource: DataSource) {
    this.dialect = new SqlDialect(dataSource);
  }

  async list(q: LeadListQuery = {}): Promise<Page<LeadRegisterEntity>> {
    const { limit, offset } = pageOf(q);
    const qb = this.scoped(q.scopeAgency);
    if (q.status) qb.andWhere('l.status = :status', { status: q.status });
    if (q.agency) qb.andWhere('l.holderAgency = :agency', { agency: q.agency });
    if (q.source) qb.andWhere('l.source = :source', { source: q.source });
    if (q.excludeIds?.length) qb.andWhere('l.leadId NOT IN (:...excludeIds)', { excludeIds: [...q.excludeIds] });
    const [items, total] = await qb.orderBy('l.registeredPosition', 'DESC').take(limit).skip(offset).getManyAndCount();
    return { total, limit, offset, items };
  }

  /** null when the lead does not exist or is outside the scope (callers answer 404 either way). */
  async get(leadId: string, opts: { scopeAgency?: string } = {}): Promise<LeadRegisterEntity | null> {
    return this.scoped(opts.scopeAgency).andWhere('l.leadId = :leadId', { leadId }).getOne();
  }

  private scoped(scopeAgency: string | undefined): SelectQueryBuilder<LeadRegisterEntity> {
    const qb = this.dataSource.getRepository(LeadRegisterEntity).createQueryBuilder('l').where('1 = 1');
    if (scopeAgency !== undefined) {
      qb.andWhere(`EXISTS (SELECT 1 FROM ${this.dialect.table(LeadAccessEntity)} a WHERE a."lead_id" = l."lead_id" AND a."agency" = :scopeAgency)`, { scopeAgency });
    }
    return qb;
  }
}
