import { addDays, type WorkingDayCalendar } from '@coord/domain';
import type { DataSource } from 'typeorm';
import { FollowUpClockEntity, type FollowUpKind } from '../entities/follow-up-clock.entity';
import { SqlDialect } from '../sql-dialect';
import { MEETING_AGENCY, missedRegularMeetings } from './missed-regular-meetings';
import { EpochDays, workingDayIndex, type WorkingDayIndex } from './working-day-index';
import { type Page, type PageRequest, pageOf } from './page';
import { toSafeInteger } from '../entities/column-options';

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

export interface OverdueFollowUpListQuery extends PageRequest {
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

export interface OverdueFollowUps extends Page<OverdueFollowUpItem> {
  asOf: string;
  /** every overdue item (not only this page's), counted by kind and by responsible agency */
  byKind: Record<string, number>;
  byAgency: Record<string, number>;
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
 * One clock's obligations: a SQL condition selecting exactly those overdue as of `asOf`, the column along
 * which their due date grows, and the two directions of that (monotone) relation.
 */
interface ClockGroup {
  /** SQL condition (placeholders added by `where`) */
  where: (p: SqlParams) => string;
  /** 'start_on' for the clocks counted from the start, 'fixed_due_on' for fixed dates */
  sortColumn: 'start_on' | 'fixed_due_on' | null;
  /** the largest sort value whose due date is on or before `due` (null: no ordering, fetch the whole group) */
  lastWithDueBy: (due: string) => string;
  due: (sortValue: string) => string;
  /** the clock type and configured clock (for the index-edge reads of satisfiedIndex) */
  clock?: string;
  param?: string;
  /** SQLite: the index the satisfied-later side walks (set per query) */
  satisfiedIndex?: string;
}

type SqlParams = ReturnType<SqlDialect['params']>;

const COLUMNS = `f."kind", f."ref", f."ref_id", f."agency", f."title", f."start_on", f."clock", f."clock_param", f."fixed_due_on"`;

/**
 * Overdue follow-ups as of a date: every obligation started on or before `asOf`, not satisfied by then
 * (never, or later than `asOf`), whose due date is before `asOf`; daysOverdue = calendar days from the due
 * date to `asOf`; sorted most overdue first, one page at a time, with the counts of all of them by kind and
 * by agency.
 *
 * Why due dates are computed here, at query time, and not stored by the projection: they depend on two
 * things that are not events of the obligation — the clock configuration (5 working days today, maybe 3
 * after a rule change) and the editable working-day calendar (a holiday or 调休 day declared after the
 * obligation started moves its deadline). Storing them would freeze yesterday's configuration into the
 * table and need a rebuild on every calendar edit; computing them keeps the projection a pure function of
 * the obligation's own events.
 *
 * Why it is still selective in SQL: for one clock (a clock type and a configured number of days) the due
 * date never decreases as the start date grows (n working / calendar days after it), so "due before asOf"
 * is exactly "started on or before S", S computed here from today's calendar and clocks; and "most overdue
 * first" within one clock is "oldest start first". A page is then, per clock, the first offset + limit rows
 * in start order (plus those sharing the last one's due date, so that ties sort as everywhere else), merged;
 * the counts are per-clock index range counts. Nothing is read for the tens of thousands of overdue rows a
 * county has beyond their index entries.
 */
export class OverdueFollowUpQuery {
  private readonly dialect: SqlDialect;

  constructor(private readonly dataSource: DataSource) {
    this.dialect = new SqlDialect(dataSource);
  }

  async list(q: OverdueFollowUpListQuery): Promise<OverdueFollowUps> {
    const { limit, offset } = pageOf(q);
    const params = this.clockParams(q.clocks);
    const days = new EpochDays();
    const asOfDay = days.day(q.asOf);
    // the working-day index from `from` up to the longest clock past asOf (a due date beyond the range is
    // asked to the calendar itself); cached per calendar, widened when a query needs older starts
    const longest = Math.max(0, ...[...params.values()].filter((n) => Number.isInteger(n) && n >= 0));
    const indexFrom = (from: number) => workingDayIndex(q.calendar, Math.min(from, asOfDay), asOfDay + 2 * longest + 31, days);
    const groups = this.groups(q, params, indexFrom, days);

    // Two sides of "not satisfied by asOf", as separate statements (disjoint): still open (partial index over
    // the open obligations) and, for a past asOf, satisfied after it (see migration 1768521600000).
    const sides = ['open', 'satisfied-later'] as const;
    const byKind: Record<string, number> = {};
    const byAgency: Record<string, number> = {};
    let total = 0;
    const raws: (RawClock & { unordered: boolean })[] = [];
    const want = offset + limit;
    for (const side of sides) {
      for (const g of groups) {
        if (side === 'satisfied-later') g.satisfiedIndex = await this.satisfiedIndex(q, g);
        // an unordered (malformed) clock is counted from its rows below, once their due dates are known
        for (const c of g.sortColumn === null ? [] : await this.counts(q, g, side)) {
          const n = toSafeInteger(c.n);
          total += n;
          byKind[c.kind] = (byKind[c.kind] ?? 0) + n;
          byAgency[c.agency] = (byAgency[c.agency] ?? 0) + n;
        }
        for (const r of await this.firstRows(q, g, side, want)) raws.push({ ...r, unordered: g.sortColumn === null });
      }
    }

    let minStart = asOfDay;
    for (const r of raws) if (r.clock === 'working-days') minStart = Math.min(minStart, days.day(r.start_on));
    const index = indexFrom(minStart);
    const items: OverdueFollowUpItem[] = [];
    for (const r of raws) {
      const dueOn = this.dueOn(r, params, q.calendar, index, days);
      if (dueOn === null || dueOn >= q.asOf) continue;
      items.push({ kind: r.kind, ref: r.ref, refId: r.ref_id, agency: r.agency, title: r.title, dueOn, daysOverdue: asOfDay - days.day(dueOn) });
      if (r.unordered) {
        total++;
        byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
        byAgency[r.agency] = (byAgency[r.agency] ?? 0) + 1;
      }
    }
    if (q.agency === undefined || q.agency === MEETING_AGENCY) {
      const meetings = await missedRegularMeetings(this.dataSource, q.asOf, q.meetingsSince);
      items.push(...meetings);
      total += meetings.length;
      for (const m of meetings) {
        byKind[m.kind] = (byKind[m.kind] ?? 0) + 1;
        byAgency[m.agency] = (byAgency[m.agency] ?? 0) + 1;
      }
    }
    items.sort((a, b) => b.daysOverdue - a.daysOverdue || cmp(a.kind, b.kind) || cmp(a.ref, b.ref) || cmp(a.refId, b.refId));
    return { asOf: q.asOf, total, limit, offset, byKind, byAgency, items: items.slice(offset, offset + limit) };
  }

  /** the clocks as SQL-selectable groups; a malformed clock (negative, fractional) is one unordered group
   *  whose rows go to the calendar, which refuses them as it always did */
  private groups(q: OverdueFollowUpListQuery, params: Map<string, number>, indexFrom: (from: number) => WorkingDayIndex, days: EpochDays): ClockGroup[] {
    const asOf = q.asOf;
    const groups: ClockGroup[] = [
      {
        where: (p) => `f."clock" = 'fixed-date' AND f."fixed_due_on" < ${p.add(asOf)} AND f."start_on" <= ${p.add(asOf)}`,
        sortColumn: 'fixed_due_on',
        lastWithDueBy: (due) => due,
        due: (v) => v,
      },
    ];
    for (const [param, n] of params) {
      if (!Number.isInteger(n) || n < 0) {
        groups.push({ where: (p) => `f."clock" <> 'fixed-date' AND f."clock_param" = ${p.add(param)} AND f."start_on" <= ${p.add(asOf)}`, sortColumn: null, lastWithDueBy: (d) => d, due: (v) => v });
        continue;
      }
      const working = {
        due: (s: string) => days.date(indexFrom(days.day(s)).addWorkingDays(days.day(s), n) ?? days.day(q.calendar.addWorkingDays(s, n))),
        lastWithDueBy: (due: string) => days.date(lastStartDueBy(q.calendar, days, days.day(due), n)),
      };
      const dayBefore = days.date(days.day(asOf) - 1);
      const workingLast = working.lastWithDueBy(dayBefore);
      groups.push({
        where: (p) => `f."clock" = 'working-days' AND f."clock_param" = ${p.add(param)} AND f."start_on" <= ${p.add(workingLast)}`,
        clock: 'working-days',
        param,
        sortColumn: 'start_on',
        ...working,
      });
      const calendarLast = days.date(days.day(asOf) - 1 - n);
      groups.push({
        // the projection writes three clock types (FollowUpClockType): named, so that this is an index range
        where: (p) => `f."clock" = 'calendar-days' AND f."clock_param" = ${p.add(param)} AND f."start_on" <= ${p.add(calendarLast)}`,
        clock: 'calendar-days',
        param,
        sortColumn: 'start_on',
        due: (s) => days.date(days.day(s) + n),
        lastWithDueBy: (due) => days.date(days.day(due) - n),
      });
    }
    return groups;
  }

  /**
   * "Satisfied after asOf, due before it" is a two-sided range (start_on <= S, satisfied_on > asOf) that no
   * single index answers: walked along start_on it visits every obligation started earlier, along
   * satisfied_on every one satisfied later. SQLite plans a statement before it sees its parameters, so the
   * shorter walk is chosen here from the group's first start and last satisfaction (two index-edge reads),
   * assuming obligations spread evenly over time. PostgreSQL plans with the values and its statistics.
   */
  private async satisfiedIndex(q: OverdueFollowUpListQuery, g: ClockGroup): Promise<string> {
    const byStart = q.agency ? 'ix_follow_up_clocks_satisfied_agency' : 'ix_follow_up_clocks_satisfied';
    const bySatisfied = q.agency ? 'ix_follow_up_clocks_satisfied_on_agency' : 'ix_follow_up_clocks_satisfied_on';
    if (this.dialect.postgres || g.sortColumn !== 'start_on') return '';
    const t = this.dialect.table(FollowUpClockEntity);
    const p = this.dialect.params();
    const agency = q.agency ? `f."agency" = ${p.add(q.agency)} AND ` : '';
    const where = `${agency}f."satisfied_on" IS NOT NULL AND f."clock" = ${p.add(g.clock)} AND f."clock_param" = ${p.add(g.param)}`;
    const edge = async (sql: string) => ((await this.dataSource.query(sql, p.values)) as { v: string | null }[])[0]?.v ?? null;
    const first = await edge(`SELECT MIN(f."start_on") AS "v" FROM ${t} f INDEXED BY ${byStart} WHERE ${where}`);
    const last = await edge(`SELECT MAX(f."satisfied_on") AS "v" FROM ${t} f INDEXED BY ${bySatisfied} WHERE ${where}`);
    if (!first || !last || last <= q.asOf) return ` INDEXED BY ${bySatisfied}`;
    const days = new EpochDays();
    return days.day(q.asOf) - days.day(first) <= days.day(last) - days.day(q.asOf) ? ` INDEXED BY ${byStart}` : ` INDEXED BY ${bySatisfied}`;
  }

  private sideSql(q: OverdueFollowUpListQuery, g: ClockGroup, side: 'open' | 'satisfied-later', p: SqlParams): string {
    // placeholders are added in the order they appear in the SQL (SQLite binds `?` positionally)
    const agency = q.agency ? `f."agency" = ${p.add(q.agency)} AND ` : '';
    const satisfied = side === 'open' ? `f."satisfied_on" IS NULL` : `f."satisfied_on" > ${p.add(q.asOf)}`;
    return `${agency}${satisfied} AND ${g.where(p)}`;
  }

  private async counts(q: OverdueFollowUpListQuery, g: ClockGroup, side: 'open' | 'satisfied-later'): Promise<{ kind: string; agency: string; n: string | number }[]> {
    const p = this.dialect.params();
    const where = this.sideSql(q, g, side, p);
    return (await this.dataSource.query(
      `SELECT f."kind" AS "kind", f."agency" AS "agency", COUNT(*) AS "n" FROM ${this.dialect.table(FollowUpClockEntity)} f${side === 'open' ? '' : g.satisfiedIndex} WHERE ${where} GROUP BY f."kind", f."agency"`,
      p.values,
    )) as { kind: string; agency: string; n: string | number }[];
  }

  /** this group's rows that can be among the `want` most overdue: the first `want` by due date and every
   *  row sharing the last one's due date (ties are ordered by kind and reference, not by start) */
  private async firstRows(q: OverdueFollowUpListQuery, g: ClockGroup, side: 'open' | 'satisfied-later', want: number): Promise<RawClock[]> {
    const t = `${this.dialect.table(FollowUpClockEntity)} f${side === 'open' ? '' : g.satisfiedIndex}`;
    const p = this.dialect.params();
    const where = this.sideSql(q, g, side, p);
    if (g.sortColumn === null) return (await this.dataSource.query(`SELECT ${COLUMNS} FROM ${t} WHERE ${where}`, p.values)) as RawClock[];
    const col = `f."${g.sortColumn}"`;
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} FROM ${t} WHERE ${where} ORDER BY ${col} LIMIT ${want}`, p.values)) as RawClock[];
    if (rows.length < want) return rows;
    const sortColumn = g.sortColumn;
    const last = rows[rows.length - 1]![sortColumn] as string;
    const through = g.lastWithDueBy(g.due(last));
    // Every row whose sort value lies in [last, through] shares the last row's due date, INCLUDING rows
    // equal to `last` that the LIMIT cut off (60 transfers started the same day, a page of 50): they are
    // fetched again as one set, so the tie order (kind, reference) decides among all of them.
    const p2 = this.dialect.params();
    const where2 = this.sideSql(q, g, side, p2);
    const ties = (await this.dataSource.query(`SELECT ${COLUMNS} FROM ${t} WHERE ${where2} AND ${col} >= ${p2.add(last)} AND ${col} <= ${p2.add(through)}`, p2.values)) as RawClock[];
    return [...rows.filter((r) => (r[sortColumn] as string) < last), ...ties];
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

/**
 * The last start day whose n-th working day after it falls on or before `dueDay`: the day before the n-th
 * working day counted back from `dueDay` (inclusive) — addWorkingDays(s, n) <= due exactly when at least n
 * working days lie in (s, due]. n = 0: due itself.
 */
export function lastStartDueBy(calendar: WorkingDayCalendar, days: EpochDays, dueDay: number, n: number): number {
  if (n === 0) return dueDay;
  let d = dueDay;
  for (let left = n; ; d--) {
    if (calendar.isWorkingDay(days.date(d)) && --left === 0) return d - 1;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
