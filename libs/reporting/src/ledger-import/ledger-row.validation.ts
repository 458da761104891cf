import { isLocalDate, LEAD_SOURCES, RECOVERY_CATEGORIES, type LeadSource, type LocalDate, type RecoveryCategory, type Subject } from '@coord/domain';
import { RECOVERY_LABELS, SOURCE_LABELS } from '../report-labels';
import type { CellValue, RawRow, RawSheet } from './ledger-file.parser';

export interface RowError {
  field: string;
  message: string;
}

export interface LeadImportRow {
  row: number;
  originalNo?: string;
  source: LeadSource;
  reportingAgency: string;
  subject: Subject;
  allegation: string;
  category?: string;
  receivedOn: LocalDate;
  important: boolean;
}

export interface CaseImportRow {
  row: number;
  originalNo: string;
  title: string;
  subject: Subject;
  leadAgency: string;
  coAgencies: string[];
  filedOn: LocalDate;
  closedOn?: LocalDate;
  closeSummary?: string;
  major: boolean;
  difficult: boolean;
  source: LeadSource;
  allegation?: string;
}

export interface RecoveryImportRow {
  row: number;
  /** the case's number in the original ledger (the cases import keeps it) */
  caseNo: string;
  amountFen: number;
  category: RecoveryCategory;
  agency: string;
  recoveredOn: LocalDate;
  note?: string;
  /** stable per identical row content within a file: the n-th identical row gets n (repeat-safe ids) */
  contentKey: string;
}

export interface ValidatedLedger {
  leads: LeadImportRow[];
  cases: CaseImportRow[];
  recoveries: RecoveryImportRow[];
  errors: RowError[];
}

export interface ValidationContext {
  today: LocalDate;
  /** agency code by code or display name (县审计局) */
  agencyCode: (codeOrName: string) => string | undefined;
  /** was the agency a member of the group on that date */
  isMember: (code: string, on: LocalDate) => boolean;
}

const reverse = (labels: Readonly<Record<string, string>>): Record<string, string> => Object.fromEntries(Object.entries(labels).map(([k, v]) => [v, k]));
const SOURCE_BY_LABEL = reverse(SOURCE_LABELS);
const CATEGORY_BY_LABEL = reverse(RECOVERY_LABELS);

/** Reads one row's cells into typed values, collecting every problem (never stopping at the first). */
class RowReader {
  readonly errors: RowError[] = [];
  constructor(
    private readonly r: RawRow,
    private readonly prefix: string,
    private readonly ctx: ValidationContext,
  ) {}

  private fail(field: string, message: string): undefined {
    this.errors.push({ field: `${this.prefix}row ${this.r.row}: ${field}`, message });
    return undefined;
  }

  private raw(field: string): CellValue {
    const v = this.r.values[field];
    return typeof v === 'string' && v.trim() === '' ? null : (v ?? null);
  }

  text(field: string, required: boolean, max = 2000): string | undefined {
    const v = this.raw(field);
    if (v === null) return required ? this.fail(field, '必填') : undefined;
    const s = (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)).trim();
    if (s.length > max) return this.fail(field, `长度超过 ${max} 字`);
    return s;
  }

  date(field: string, required: boolean): LocalDate | undefined {
    const v = this.raw(field);
    if (v === null) return required ? this.fail(field, '必填') : undefined;
    let d: string | undefined;
    if (v instanceof Date) d = v.toISOString().slice(0, 10);
    else if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 2_958_466) {
      // an Excel serial date in a cell without a date format (days since 1899-12-30)
      d = new Date(Date.UTC(1899, 11, 30) + v * 86_400_000).toISOString().slice(0, 10);
    } else {
      const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(String(v).trim());
      if (m) d = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
    }
    if (d === undefined || !isLocalDate(d)) return this.fail(field, '日期无效（应为 YYYY-MM-DD）');
    if (d > this.ctx.today) return this.fail(field, `日期不能晚于今天（${this.ctx.today}）`);
    return d;
  }

  bool(field: string): boolean {
    const v = this.raw(field);
    if (v === null) return false;
    if (typeof v === 'boolean') return v;
    const s = String(v).trim().toLowerCase();
    if (['是', 'y', 'yes', 'true', '1', '√'].includes(s)) return true;
    if (['否', 'n', 'no', 'false', '0'].includes(s)) return false;
    this.fail(field, '应为“是”或“否”');
    return false;
  }

  agency(field: string, on: LocalDate | undefined, required = true): string | undefined {
    const name = this.text(field, required, 100);
    if (name === undefined) return undefined;
    const code = this.ctx.agencyCode(name);
    if (code === undefined) return this.fail(field, `“${name}”不是协调小组成员单位`);
    if (on !== undefined && !this.ctx.isMember(code, on)) return this.fail(field, `“${name}”在 ${on} 不是协调小组成员单位`);
    return code;
  }

  agencies(field: string, on: LocalDate | undefined): string[] {
    const s = this.text(field, false, 500);
    if (s === undefined) return [];
    const out: string[] = [];
    for (const part of s.split(/[、,，;；\s]+/).filter(Boolean)) {
      const code = this.ctx.agencyCode(part);
      if (code === undefined) this.fail(field, `“${part}”不是协调小组成员单位`);
      else if (on !== undefined && !this.ctx.isMember(code, on)) this.fail(field, `“${part}”在 ${on} 不是协调小组成员单位`);
      else if (!out.includes(code)) out.push(code);
    }
    return out;
  }

  source(field: string): LeadSource | undefined {
    const s = this.text(field, false, 50);
    if (s === undefined) return 'other';
    const code = (LEAD_SOURCES as readonly string[]).includes(s) ? s : SOURCE_BY_LABEL[s];
    return code === undefined ? this.fail(field, `线索来源无效：${s}`) : (code as LeadSource);
  }

  category(field: string): RecoveryCategory | undefined {
    const s = this.text(field, true, 20);
    if (s === undefined) return undefined;
    const code = (RECOVERY_CATEGORIES as readonly string[]).includes(s) ? s : CATEGORY_BY_LABEL[s];
    return code === undefined ? this.fail(field, `挽损类别无效：${s}（应为 追缴、退赔 或 罚没）`) : (code as RecoveryCategory);
  }

  /** amountFen (a positive integer) or amountYuan (up to two decimals) — converted exactly, never via floats. */
  amount(): number | undefined {
    const fen = this.raw('amountFen');
    const yuan = this.raw('amountYuan');
    if (fen === null && yuan === null) return this.fail('amountFen', '必填（金额（分）或金额（元））');
    if (fen !== null) {
      const s = String(fen).trim();
      const n = /^\d+$/.test(s) ? Number(s) : NaN;
      if (!Number.isSafeInteger(n) || n <= 0) return this.fail('amountFen', '金额须为正整数（单位：分）');
      return n;
    }
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(yuan).trim().replace(/,/g, ''));
    if (!m) return this.fail('amountYuan', '金额（元）须为正数，最多两位小数');
    const n = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
    if (!Number.isSafeInteger(n) || n <= 0) return this.fail('amountYuan', '金额（元）须为正数，最多两位小数');
    return n;
  }
}

function subjectOf(r: RowReader, withRank: boolean): Subject {
  const subject: Subject = { name: r.text('subjectName', true, 100) ?? '', post: r.text('subjectPost', false, 100) ?? '', unit: r.text('subjectUnit', false, 200) ?? '' };
  const rank = withRank ? r.text('subjectRank', false, 50) : undefined;
  return rank === undefined ? subject : { ...subject, rank };
}

/**
 * Validates EVERY row of every sheet and returns all problems, each named `row 7: amountFen` (prefixed
 * with the ledger when a workbook holds several), before anything is written. Business rules that need
 * the event store (a recovery's case exists and is open) are checked by the importer's dry run, with the
 * same row naming.
 */
export function validateLedger(sheets: RawSheet[], ctx: ValidationContext): ValidatedLedger {
  const out: ValidatedLedger = { leads: [], cases: [], recoveries: [], errors: [] };
  const multi = new Set(sheets.map((s) => s.kind)).size > 1;
  for (const sheet of sheets) {
    const prefix = multi ? `${sheet.kind} ` : '';
    for (const h of sheet.unknownHeaders) out.errors.push({ field: `${prefix}row 1: ${h}`, message: `无法识别的列“${h}”` });
    const seen = new Map<string, number>();
    for (const raw of sheet.rows) {
      const r = new RowReader(raw, prefix, ctx);
      if (sheet.kind === 'leads') {
        const receivedOn = r.date('receivedOn', true);
        const row: Partial<LeadImportRow> = {
          row: raw.row,
          originalNo: r.text('originalNo', false, 60),
          source: r.source('source'),
          reportingAgency: r.agency('reportingAgency', receivedOn),
          subject: subjectOf(r, true),
          allegation: r.text('allegation', true, 4000),
          category: r.text('category', false, 100),
          receivedOn,
          important: r.bool('important'),
        };
        if (row.originalNo !== undefined) {
          const dup = seen.get(row.originalNo);
          if (dup !== undefined) r.errors.push({ field: `${prefix}row ${raw.row}: originalNo`, message: `原编号与第 ${dup} 行重复` });
          else seen.set(row.originalNo, raw.row);
        }
        if (r.errors.length === 0) out.leads.push(row as LeadImportRow);
      } else if (sheet.kind === 'cases') {
        const filedOn = r.date('filedOn', true);
        const closedOn = r.date('closedOn', false);
        const row: Partial<CaseImportRow> = {
          row: raw.row,
          originalNo: r.text('originalNo', true, 60),
          title: r.text('title', true, 200),
          subject: subjectOf(r, false),
          leadAgency: r.agency('leadAgency', filedOn),
          coAgencies: r.agencies('coAgencies', filedOn),
          filedOn,
          closedOn,
          closeSummary: r.text('closeSummary', false, 4000),
          major: r.bool('major'),
          difficult: r.bool('difficult'),
          source: r.source('source'),
          allegation: r.text('allegation', false, 4000),
        };
        if (filedOn && closedOn && closedOn < filedOn) r.errors.push({ field: `${prefix}row ${raw.row}: closedOn`, message: '结案日期不能早于立案日期' });
        if (row.leadAgency && row.coAgencies?.includes(row.leadAgency)) r.errors.push({ field: `${prefix}row ${raw.row}: coAgencies`, message: '主办单位不能同时是协办单位' });
        if (row.originalNo !== undefined) {
          const dup = seen.get(row.originalNo);
          if (dup !== undefined) r.errors.push({ field: `${prefix}row ${raw.row}: originalNo`, message: `原编号与第 ${dup} 行重复` });
          else seen.set(row.originalNo, raw.row);
        }
        if (r.errors.length === 0) out.cases.push(row as CaseImportRow);
      } else {
        const recoveredOn = r.date('recoveredOn', true);
        const row: Partial<RecoveryImportRow> = {
          row: raw.row,
          caseNo: r.text('caseNo', true, 60),
          amountFen: r.amount(),
          category: r.category('category'),
          agency: r.agency('agency', recoveredOn),
          recoveredOn,
          note: r.text('note', false, 2000),
        };
        if (r.errors.length === 0) {
          const content = JSON.stringify([row.caseNo, row.amountFen, row.category, row.agency, row.recoveredOn, row.note ?? null]);
          const n = (seen.get(content) ?? 0) + 1;
          seen.set(content, n);
          out.recoveries.push({ ...(row as RecoveryImportRow), contentKey: `${content}#${n}` });
        }
      }
      out.errors.push(...r.errors);
    }
  }
  return out;
}
