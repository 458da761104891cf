import type { DataSource } from 'typeorm';
import { CaseBulletinSourceEntity } from '../entities/case-bulletin-source.entity';
import { SqlDialect } from '../sql-dialect';
import { type Page, type PageRequest, pageOf } from './page';

/** 《案情专报》 sources: the major (重大) and difficult (疑难) cases a bulletin may be drafted for. */
export class BulletinSourceQuery {
  private readonly dialect: SqlDialect;

  constructor(private readonly dataSource: DataSource) {
    this.dialect = new SqlDialect(dataSource);
  }

  async listEligible(q: PageRequest & { excludeCaseIds?: readonly string[] } = {}): Promise<Page<CaseBulletinSourceEntity>> {
    const { limit, offset } = pageOf(q);
    const [items, total] = await this.dataSource
      .getRepository(CaseBulletinSourceEntity)
      .createQueryBuilder('b')
      .where('(b.major = :yes OR b.difficult = :yes)', { yes: this.dialect.bool(true) })
      // 回避: cases naming the reader are left out (ids from the api's RecusalService)
      .andWhere(q.excludeCaseIds?.length ? 'b.caseId NOT IN (:...excludeCaseIds)' : '1 = 1', { excludeCaseIds: [...(q.excludeCaseIds ?? [])] })
      .orderBy('b.filedOn', 'DESC')
      .addOrderBy('b.caseNo', 'DESC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
    return { total, limit, offset, items };
  }

  /** Any case's sources (drafting checks eligibility; a case may have lost its flag since). */
  async get(caseId: string): Promise<CaseBulletinSourceEntity | null> {
    return this.dataSource.getRepository(CaseBulletinSourceEntity).findOneBy({ caseId });
  }
}
