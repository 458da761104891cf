import { addDays, type WorkingDayCalendar } from '@coord/domain';
import type { DataSource } from 'typeorm';
import { FollowUpClockEntity, type FollowUpKind } from '../entities/follow-up-clock.entity';
import { SqlDialect } from '../sql-dialect';
import { MEETING_AGENCY, missedRegularMeetings } from './missed-regular-meetings';
import { EpochDays, workingDayIndex, type WorkingDayIndex } from './working-day-index';

/** The follow-up clocks, from configuration (clocks are configuration, not constants in code). */
export interface FollowUpClocks {
  transferAcknowledgeWorkingDays: number;
  transferDecisionWorkingDays: number;
  leadDispositionWorkingDays: number;
  /** per disposition method with its own conclusion clock, e.g. talk-inquiry 30, preliminary-verification 15 */
  dispositionWorkingDays: Record<string, number>;
  /** calendar days a major case may go without a progress report */
  majorCaseProgressDays: number;
}

export interface OverdueFollowUpListQuery {
  asOf: string;
  agency?: string;
  calendar: WorkingDayCalendar;
  clocks: FollowUpClocks;
  /** the group's establishment date: half-years from then on owe a regular joint meeting (default: the first recorded date) */
  meetingsSince?: string;
}

export interface OverdueFollowUpItem {
  /** 'regular-meeting': a completed half-year without a regular joint meeting (see missed-regular-meetings.ts) */
  kind: FollowUpKind | 'regular-meeting';
  ref: string;
  refId: string;
  agency: string;
  title: string;
  dueOn: string;
  daysOverdue: number;
}

export interface OverdueFollowUps {
  asOf: string;
  items: OverdueFollowUpItem[];
}

interface RawClock {
  kind: FollowUpKind;
  ref: string;
  ref_id: string;
  agency: string;
  title: string;
  start_on: string;
  clock: string;
  clock_param: string | null;
  fixed_due_on: string | null;
}

/**
 * Overdue follow-ups as of a date: every obligation started on or before `asOf`, not satisfied by then
 * (never, or later than `asOf`), whose due date is before `asOf`; daysOverdue = calendar days from the due
 * date to `asOf`; sorted most overdue first.
 *
 * Why due dates are computed here, at query time, and not stored by the projection: they depend on two
 * things that are not events of the obligation — the clock configuration (5 working days today, maybe 3
 * after a rule change) and the editable working-day calendar (a holiday or 调休 day declared after the
 * obligation started moves its deadline). Storing them would freeze yesterday's configuration into the
 * table and need a rebuild on every calendar edit; computing them keeps the projection a pure function of
 * the obligation's own events. To stay fast the SQL still prunes: n working days are at least n calendar
 * days, so an obligation can only be overdue if it started before `asOf - n` — most rows never leave the
 * index.
 */
export class OverdueFollowUpQuery {
  private readonly dialect: SqlDialect;

  constructor(private readonly dataSource: DataSource) {
    this.dialect = new SqlDialect(dataSource);
  }

  async list(q: OverdueFollowUpListQuery): Promise<OverdueFollowUps> {
    const params = this.clockParams(q.clocks);
    // Two statements, one per side of "not satisfied by asOf": still open today (satisfied_on IS NULL: an
    // index-only read of a partial index over the open obligations) and, for a past asOf, satisfied after
    // it. The same rows as one `(satisfied_on IS NULL OR satisfied_on > asOf)` statement — the two sides are
    // disjoint — but an OR makes the planner fetch every candidate's table row (see the migration
    // 1768435200000-query-indexes.ts). Row order does not matter: the items are sorted below.
    const raws = [...(await this.candidates(q, params, 'open')), ...(await this.candidates(q, params, 'satisfied-later'))];

    // Due dates by epoch-day arithmetic and a working-day index (working-day-index.ts): the same dates as
    // calendar.addWorkingDays / addDays / daysBetween, without stepping through date strings per row.
    const days = new EpochDays();
    const asOfDay = days.day(q.asOf);
    let minStart = asOfDay;
    for (const r of raws) if (r.clock === 'working-days' && r.clock_param !== null && params.has(r.clock_param)) minStart = Math.min(minStart, days.day(r.start_on));
    // up to the longest clock past asOf (a due date beyond the range is asked to the calendar itself)
    const index = workingDayIndex(q.calendar, minStart, asOfDay + 2 * Math.max(0, ...params.values()) + 31, days);
    const items: OverdueFollowUpItem[] = [];
    for (const r of raws) {
      const dueOn = this.dueOn(r, params, q.calendar, index, days);
      if (dueOn === null || dueOn >= q.asOf) continue;
      items.push({ kind: r.kind, ref: r.ref, refId: r.ref_id, agency: r.agency, title: r.title, dueOn, daysOverdue: asOfDay - days.day(dueOn) });
    }
    if (q.agency === undefined || q.agency === MEETING_AGENCY) items.push(...(await missedRegularMeetings(this.dataSource, q.asOf, q.meetingsSince)));
    items.sort((a, b) => b.daysOverdue - a.daysOverdue || cmp(a.kind, b.kind) || cmp(a.ref, b.ref) || cmp(a.refId, b.refId));
    return { asOf: q.asOf, items };
  }

  private async candidates(q: OverdueFollowUpListQuery, params: Map<string, number>, side: 'open' | 'satisfied-later'): Promise<RawClock[]> {
    const p = this.dialect.params();
    // placeholders are added in the order they appear in the SQL (SQLite binds `?` positionally)
    const satisfied = side === 'open' ? `f."satisfied_on" IS NULL` : `f."satisfied_on" > ${p.add(q.asOf)}`;
    const started = `f."start_on" <= ${p.add(q.asOf)}`;
    const agency = q.agency ? ` AND f."agency" = ${p.add(q.agency)}` : '';
    const prune: string[] = [`(f."clock" = 'fixed-date' AND f."fixed_due_on" < ${p.add(q.asOf)})`];
    for (const [param, n] of params) prune.push(`(f."clock_param" = ${p.add(param)} AND f."start_on" < ${p.add(addDays(q.asOf, -n))})`);
    return (await this.dataSource.query(
      `SELECT f."kind", f."ref", f."ref_id", f."agency", f."title", f."start_on", f."clock", f."clock_param", f."fixed_due_on"
       FROM ${this.dialect.table(FollowUpClockEntity)} f
       WHERE ${satisfied} AND ${started}${agency} AND (${prune.join(' OR ')})`,
      p.values,
    )) as RawClock[];
  }

  private clockParams(c: FollowUpClocks): Map<string, number> {
    const m = new Map<string, number>([
      ['transferAcknowledgeWorkingDays', c.transferAcknowledgeWorkingDays],
      ['transferDecisionWorkingDays', c.transferDecisionWorkingDays],
      ['leadDispositionWorkingDays', c.leadDispositionWorkingDays],
      ['majorCaseProgressDays', c.majorCaseProgressDays],
    ]);
    for (const [method, n] of Object.entries(c.dispositionWorkingDays)) m.set(`dispositionWorkingDays.${method}`, n);
    return m;
  }

  private dueOn(r: RawClock, params: Map<string, number>, calendar: WorkingDayCalendar, index: WorkingDayIndex, days: EpochDays): string | null {
    if (r.clock === 'fixed-date') return r.fixed_due_on;
    const n = r.clock_param === null ? undefined : params.get(r.clock_param);
    if (n === undefined) return null; // no clock configured for it: nothing can be overdue
    // a malformed clock (negative, fractional) goes to the calendar, which refuses it as it always did
    if (!Number.isInteger(n) || n < 0) return r.clock === 'working-days' ? calendar.addWorkingDays(r.start_on, n) : addDays(r.start_on, n);
    const start = days.day(r.start_on);
    if (r.clock !== 'working-days') return days.date(start + n);
    const due = index.addWorkingDays(start, n);
    return due === undefined ? calendar.addWorkingDays(r.start_on, n) : days.date(due);
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
