import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { CaseAccessEntity } from '../entities/case-access.entity';
import { CaseRegisterEntity, type CaseStatus } from '../entities/case-register.entity';
import { SqlDialect } from '../sql-dialect';
import { type Page, type PageRequest, pageOf } from './page';

export interface CaseListQuery extends PageRequest {
  status?: CaseStatus;
  /** the lead agency (主办) */
  agency?: string;
  major?: boolean;
  difficult?: boolean;
  /** an agency user's scope: only cases its agency leads, co-handles or received (case_access) */
  scopeAgency?: string;
  /** cases the reader is refused by 回避 (computed by the api's RecusalService) */
  excludeIds?: readonly string[];
}

/** 案件台账 reads. Newest filing first. 回避 (implicated users) is applied by the caller with subjectNames. */
export class CaseQuery {
  private readonly dialect: SqlDialect;

  constructor(private readonly dataSource: DataSource) {
    this.dialect = new SqlDialect(dataSource);
  }

  async list(q: CaseListQuery = {}): Promise<Page<CaseRegisterEntity>> {
    const { limit, offset } = pageOf(q);
    const qb = this.scoped(q.scopeAgency);
    if (q.status) qb.andWhere('c.status = :status', { status: q.status });
    if (q.agency) qb.andWhere('c.leadAgency = :agency', { agency: q.agency });
    if (q.major !== undefined) qb.andWhere('c.major = :major', { major: this.dialect.bool(q.major) });
    if (q.difficult !== undefined) qb.andWhere('c.difficult = :difficult', { difficult: this.dialect.bool(q.difficult) });
    if (q.excludeIds?.length) qb.andWhere('c.caseId NOT IN (:...excludeIds)', { excludeIds: [...q.excludeIds] });
    const [items, total] = await qb.orderBy('c.filedPosition', 'DESC').take(limit).skip(offset).getManyAndCount();
    return { total, limit, offset, items };
  }

  async get(caseId: string, opts: { scopeAgency?: string } = {}): Promise<CaseRegisterEntity | null> {
    return this.scoped(opts.scopeAgency).andWhere('c.caseId = :caseId', { caseId }).getOne();
  }

  private scoped(scopeAgency: string | undefined): SelectQueryBuilder<CaseRegisterEntity> {
    const qb = this.dataSource.getRepository(CaseRegisterEntity).createQueryBuilder('c').where('1 = 1');
    if (scopeAgency !== undefined) {
      qb.andWhere(`EXISTS (SELECT 1 FROM ${this.dialect.table(CaseAccessEntity)} a WHERE a."case_id" = c."case_id" AND a."agency" = :scopeAgency)`, { scopeAgency });
    }
    return qb;
  }
}
