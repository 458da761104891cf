import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { toSafeInteger } from '../entities/column-options';
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
  /**
   * Keyset paging: only leads registered before this position — the registeredPosition of the previous
   * page's last row (one registration event per lead, so positions are unique and the order is total).
   * `offset` then counts from there; the total stays the filter's. The console's walk through the whole
   * ledger uses it: an offset makes the database step over every earlier row again, page after page.
   */
  before?: number;
}

/** 线索台账 reads. Newest registration first. */
export class LeadQuery {
  private readonly dialect: SqlDialect;

  constructor(private readonly dataSource: DataSource) {
    this.dialect = new SqlDialect(dataSource);
  }

  async list(q: LeadListQuery = {}): Promise<Page<LeadRegisterEntity>> {
    const { limit, offset } = pageOf(q);
    const page = this.filtered(q, 'exists');
    if (q.before !== undefined) page.andWhere('l.registeredPosition < :before', { before: q.before });
    const items = await page.orderBy('l.registeredPosition', 'DESC').take(limit).skip(offset).getMany();
    // The total with COUNT(*) rather than getManyAndCount's COUNT(DISTINCT lead_id): the same number (one row
    // per lead, no join) without a de-duplication pass over every matching row. The agency scope as
    // `lead_id IN (the agency's access rows)` here, EXISTS for the page: the same leads either way, but a
    // count must visit them all, and IN lets the database start from the agency's lead_access rows instead of
    // probing lead_access once for every lead in the register; the page, newest first, stops after
    // offset + limit matches, which the EXISTS walk down the registration order reaches soonest.
    //
    // Leads hidden by 回避 are subtracted rather than excluded with NOT IN: count(filters) − count(filters and
    // hidden) is the same number (lead_id is the key, never null; IN counts a row once however often its id
    // is listed), but NOT IN turns "count the register" into a scan testing every lead against the list,
    // while the two counts are an index count and a few key lookups. Most readers are implicated in no lead
    // at all; the rare one who is still pays only for the lookups. (Like the page and its total, the two
    // counts are separate statements, as getManyAndCount's were: a projector commit between them shows in
    // the next request.)
    const unhidden = { ...q, excludeIds: undefined, before: undefined };
    let total = await this.count(this.filtered(unhidden, 'in'));
    const hidden = [...new Set(q.excludeIds ?? [])];
    if (hidden.length) total -= await this.count(this.filtered(unhidden, 'in').andWhere('l.leadId IN (:...hidden)', { hidden }));
    return { total, limit, offset, items };
  }

  private async count(qb: SelectQueryBuilder<LeadRegisterEntity>): Promise<number> {
    const raw = await qb.select('COUNT(*)', 'total').getRawOne<{ total: string | number }>();
    return toSafeInteger(raw?.total ?? 0);
  }

  private filtered(q: LeadListQuery, scope: 'exists' | 'in'): SelectQueryBuilder<LeadRegisterEntity> {
    const qb = this.scoped(q.scopeAgency, scope);
    if (q.status) qb.andWhere('l.status = :status', { status: q.status });
    if (q.agency) qb.andWhere('l.holderAgency = :agency', { agency: q.agency });
    if (q.source) qb.andWhere('l.source = :source', { source: q.source });
    if (q.excludeIds?.length) qb.andWhere('l.leadId NOT IN (:...excludeIds)', { excludeIds: [...q.excludeIds] });
    return qb;
  }

  /** null when the lead does not exist or is outside the scope (callers answer 404 either way). */
  async get(leadId: string, opts: { scopeAgency?: string } = {}): Promise<LeadRegisterEntity | null> {
    return this.scoped(opts.scopeAgency).andWhere('l.leadId = :leadId', { leadId }).getOne();
  }

  private scoped(scopeAgency: string | undefined, form: 'exists' | 'in' = 'exists'): SelectQueryBuilder<LeadRegisterEntity> {
    // no `WHERE 1 = 1` placeholder: SQLite counts an unfiltered table from its b-tree pages (OP_Count) only
    // when there is no WHERE clause at all — 100k leads counted in microseconds instead of milliseconds
    const qb = this.dataSource.getRepository(LeadRegisterEntity).createQueryBuilder('l');
    if (scopeAgency !== undefined) {
      const access = this.dialect.table(LeadAccessEntity);
      qb.andWhere(
        form === 'exists'
          ? `EXISTS (SELECT 1 FROM ${access} a WHERE a."lead_id" = l."lead_id" AND a."agency" = :scopeAgency)`
          : `l."lead_id" IN (SELECT a."lead_id" FROM ${access} a WHERE a."agency" = :scopeAgency)`,
        { scopeAgency },
      );
    }
    return qb;
  }
}
