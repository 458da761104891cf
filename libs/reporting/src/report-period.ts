import { DomainError, isLocalDate, type LocalDate, type ReportKind } from '@coord/domain';

export interface ReportPeriod {
  kind: ReportKind;
  from: LocalDate;
  to: LocalDate;
  /** events with a business date after this are not counted (default: `to`, or today when `to` is later) */
  asOf: LocalDate;
}

/** "2026-H1", "2026-H2", "2026" — the presets the county committee asks for. */
export const PERIOD_PRESET = /^(\d{4})(?:-(H1|H2))?$/;

/**
 * Resolves a preset or an explicit from/to into a period; asOf defaults to the period's end, but never
 * later than today (a report "as of" a date that has not happened yet would only look complete).
 * Throws DomainError naming the field.
 */
export function resolvePeriod(q: { preset?: string; from?: string; to?: string; asOf?: string }, today: LocalDate): ReportPeriod {
  let kind: ReportKind = 'custom';
  let from = q.from;
  let to = q.to;
  if (q.preset !== undefined) {
    const m = PERIOD_PRESET.exec(q.preset);
    if (!m) throw new DomainError('invalid-preset', '报告期应为 2026、2026-H1 或 2026-H2', 'invalid', 'preset');
    if (q.from !== undefined || q.to !== undefined) throw new DomainError('preset-with-dates', '报告期与起止日期只能二选一', 'invalid', 'preset');
    const y = m[1];
    if (m[2] === 'H1') [kind, from, to] = ['half-year', `${y}-01-01`, `${y}-06-30`];
    else if (m[2] === 'H2') [kind, from, to] = ['half-year', `${y}-07-01`, `${y}-12-31`];
    else [kind, from, to] = ['annual', `${y}-01-01`, `${y}-12-31`];
  }
  if (from === undefined) throw new DomainError('from-required', '请指定报告期（preset）或起始日期', 'invalid', 'from');
  if (to === undefined) throw new DomainError('to-required', '请指定截止日期', 'invalid', 'to');
  if (!isLocalDate(from)) throw new DomainError('date-invalid', '日期格式应为 YYYY-MM-DD', 'invalid', 'from');
  if (!isLocalDate(to)) throw new DomainError('date-invalid', '日期格式应为 YYYY-MM-DD', 'invalid', 'to');
  if (from > to) throw new DomainError('invalid-period', '起始日期不能晚于截止日期', 'invalid', 'from');
  const asOf = q.asOf ?? (to < today ? to : today);
  if (!isLocalDate(asOf)) throw new DomainError('date-invalid', '日期格式应为 YYYY-MM-DD', 'invalid', 'asOf');
  if (asOf < from) throw new DomainError('as-of-before-period', '统计截至日期不能早于报告期起始日期', 'invalid', 'asOf');
  if (asOf > today) throw new DomainError('as-of-in-future', `统计截至日期不能晚于今天（${today}）`, 'invalid', 'asOf');
  return { kind, from, to, asOf };
}

/** 《XX县反腐败协调小组2026年上半年工作报告》 */
export function defaultReportTitle(period: ReportPeriod, groupName = '县反腐败协调小组'): string {
  const y = period.from.slice(0, 4);
  if (period.kind === 'half-year') return `${groupName}${y}年${period.from.slice(5, 7) === '01' ? '上' : '下'}半年工作报告`;
  if (period.kind === 'annual') return `${groupName}${y}年度工作报告`;
  return `${groupName}工作报告（${period.from}至${period.to}）`;
}
