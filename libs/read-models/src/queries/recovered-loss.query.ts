import { SEED_AGENCIES } from '@coord/domain';
import type { DataSource } from 'typeorm';
import { toSafeInteger } from '../entities/column-options';
import { CaseRegisterEntity } from '../entities/case-register.entity';
import { RecoveredLossEntity } from '../entities/recovered-loss.entity';
import { SqlDialect } from '../sql-dialect';

export type RecoveredLossGroupBy = 'agency' | 'year' | 'quarter' | 'category' | 'case';

export interface RecoveredLossTotalsQuery {
  groupBy: RecoveredLossGroupBy;
  /** inclusive, on the recovery date (corrections count in their original recovery's date) */
  from?: string;
  to?: string;
  /** display names by agency code; defaults to the seed agencies' names */
  agencyNames?: Record<string, string>;
}

export interface RecoveredLossRow {
  key: string;
  label: string;
  totalFen: number;
  caseCount: number;
}

export interface RecoveredLossTotals {
  totalFen: number;
  caseCount: number;
  rows: RecoveredLossRow[];
}

export const RECOVERY_CATEGORY_LABELS: Record<string, string> = { confiscation: '追缴', restitution: '退赔', fine: '罚没' };
const SEED_NAMES: Record<string, string> = Object.fromEntries(SEED_AGENCIES.map((a) => [a.code, a.name]));

/**
 * 挽回经济损失 totals. Sums are done by the database over integer columns (SQLite INTEGER, PostgreSQL
 * bigint → numeric), never in floating point; the results are converted to numbers only after checking they
 * are safe integers. caseCount counts distinct cases with at least one entry in the group (a recovery fully
 * corrected away still counts: the case did book an entry there).
 */
export class RecoveredLossQuery {
  private readonly dialect: SqlDialect;

  constructor(private readonly dataSource: DataSource) {
    this.dialect = new SqlDialect(dataSource);
  }

  async totals(q: RecoveredLossTotalsQuery): Promise<RecoveredLossTotals> {
    const t = this.dialect.table(RecoveredLossEntity);
    const p = this.dialect.params();
    const where: string[] = [];
    if (q.from) where.push(`r."recovered_on" >= ${p.add(q.from)}`);
    if (q.to) where.push(`r."recovered_on" <= ${p.add(q.to)}`);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';

    const [grand] = (await this.dataSource.query(
      `SELECT COALESCE(SUM(r."amount_fen"), 0) AS "total", COUNT(DISTINCT r."case_id") AS "cases" FROM ${t} r ${whereSql}`,
      p.values,
    )) as { total: string | number; cases: string | number }[];

    const rows = await this.groups(q, t, whereSql, p.values);
    return { totalFen: toSafeInteger(grand.total), caseCount: toSafeInteger(grand.cases), rows };
  }

  private async groups(q: RecoveredLossTotalsQuery, t: string, whereSql: string, params: unknown[]): Promise<RecoveredLossRow[]> {
    const agg = `SUM(r."amount_fen") AS "total", COUNT(DISTINCT r."case_id") AS "cases"`;
    type Raw = { total: string | number; cases: string | number } & Record<string, string | number | null>;
    const num = (raw: Raw) => ({ totalFen: toSafeInteger(raw.total), caseCount: toSafeInteger(raw.cases) });
    switch (q.groupBy) {
      case 'agency': {
        const names = { ...SEED_NAMES, ...(q.agencyNames ?? {}) };
        const raws = (await this.dataSource.query(`SELECT r."agency" AS "k", ${agg} FROM ${t} r ${whereSql} GROUP BY r."agency" ORDER BY r."agency"`, params)) as Raw[];
        return raws.map((r) => ({ key: String(r.k), label: names[String(r.k)] ?? String(r.k), ...num(r) }));
      }
      case 'category': {
        const raws = (await this.dataSource.query(`SELECT r."category" AS "k", ${agg} FROM ${t} r ${whereSql} GROUP BY r."category" ORDER BY r."category"`, params)) as Raw[];
        return raws.map((r) => ({ key: String(r.k), label: RECOVERY_CATEGORY_LABELS[String(r.k)] ?? String(r.k), ...num(r) }));
      }
      case 'year': {
        const raws = (await this.dataSource.query(`SELECT r."year" AS "y", ${agg} FROM ${t} r ${whereSql} GROUP BY r."year" ORDER BY r."year"`, params)) as Raw[];
        return raws.map((r) => ({ key: String(r.y), label: `${r.y}年`, ...num(r) }));
      }
      case 'quarter': {
        const raws = (await this.dataSource.query(
          `SELECT r."year" AS "y", r."quarter" AS "q", ${agg} FROM ${t} r ${whereSql} GROUP BY r."year", r."quarter" ORDER BY r."year", r."quarter"`,
          params,
        )) as Raw[];
        return raws.map((r) => ({ key: `${r.y}-Q${r.q}`, label: `${r.y}年第${r.q}季度`, ...num(r) }));
      }
      case 'case': {
        const c = this.dialect.table(CaseRegisterEntity);
        const raws = (await this.dataSource.query(
          `SELECT r."case_id" AS "k", c."case_no" AS "no", c."title" AS "title", ${agg} FROM ${t} r LEFT JOIN ${c} c ON c."case_id" = r."case_id" ${whereSql}
           GROUP BY r."case_id", c."case_no", c."title" ORDER BY c."case_no", r."case_id"`,
          params,
        )) as Raw[];
        return raws.map((r) => ({ key: String(r.k), label: r.no ? `${r.no} ${r.title ?? ''}`.trim() : String(r.k), ...num(r) }));
      }
    }
  }
}
