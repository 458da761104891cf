import type { DataSource } from 'typeorm';
import { BulletinRegisterEntity } from '../entities/bulletin-register.entity';
import { type Page, type PageRequest, pageOf } from './page';

export interface BulletinListRequest extends PageRequest {
  /** issued in this year (the register by year); drafts have no year and are excluded when set */
  year?: number;
  status?: string;
  caseId?: string;
  /** bulletins about cases the reader is refused by 回避 (computed by the api's RecusalService) */
  excludeCaseIds?: readonly string[];
}

/** The 《案情专报》 register: by year in issue-number order, drafts (no number yet) first when listing all. */
export class BulletinRegisterQuery {
  constructor(private readonly dataSource: DataSource) {}

  async list(q: BulletinListRequest = {}): Promise<Page<BulletinRegisterEntity>> {
    const { limit, offset } = pageOf(q);
    const qb = this.dataSource.getRepository(BulletinRegisterEntity).createQueryBuilder('b');
    if (q.year !== undefined) qb.andWhere('b.year = :year', { year: q.year });
    if (q.status !== undefined) qb.andWhere('b.status = :status', { status: q.status });
    if (q.caseId !== undefined) qb.andWhere('b.caseId = :caseId', { caseId: q.caseId });
    // in the same statement as the filters, so the total counts exactly the rows the pages can show
    if (q.excludeCaseIds?.length) qb.andWhere('b.caseId NOT IN (:...excludeCaseIds)', { excludeCaseIds: [...q.excludeCaseIds] });
    const [items, total] = await qb
      // issued ones by year and number descending; unnumbered drafts (NULL year) by drafting date
      .orderBy('CASE WHEN b.year IS NULL THEN 0 ELSE 1 END', 'ASC')
      .addOrderBy('b.year', 'DESC')
      .addOrderBy('b.seq', 'DESC')
      .addOrderBy('b.draftedOn', 'DESC')
      .addOrderBy('b.bulletinId', 'ASC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
    return { total, limit, offset, items };
  }

  async get(bulletinId: string): Promise<BulletinRegisterEntity | null> {
    return this.dataSource.getRepository(BulletinRegisterEntity).findOneBy({ bulletinId });
  }
}
