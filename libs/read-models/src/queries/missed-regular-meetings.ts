import { daysBetween } from '@coord/domain';
import type { DataSource } from 'typeorm';
import { FollowUpClockEntity } from '../entities/follow-up-clock.entity';
import { RegularMeetingHalfYearEntity } from '../entities/regular-meeting-half-year.entity';
import { SqlDialect } from '../sql-dialect';

/** The office that convenes the joint meeting owns the gap (the discipline commission hosts the group's office). */
export const MEETING_AGENCY = 'discipline-commission';

export interface MissedRegularMeeting {
  kind: 'regular-meeting';
  ref: string;
  refId: string;
  agency: string;
  title: string;
  dueOn: string;
  daysOverdue: number;
}

const halfYears = (since: string, asOf: string): { id: string; start: string; end: string; label: string }[] => {
  const out = [];
  for (let year = +since.slice(0, 4); year <= +asOf.slice(0, 4); year++) {
    for (const h of [1, 2] as const) {
      const start = h === 1 ? `${year}-01-01` : `${year}-07-01`;
      const end = h === 1 ? `${year}-06-30` : `${year}-12-31`;
      out.push({ id: `${year}-H${h}`, start, end, label: `${year}年${h === 1 ? '上' : '下'}半年` });
    }
  }
  return out;
};

/**
 * Every completed half-year (its last day before `asOf`) with no regular joint meeting held in it — "每半年
 * 至少召开一次联席会议". Due on the half-year's last day; days overdue counted like the other follow-ups.
 *
 * Which half-years count: those that began on or after `since` (the group's establishment date, or when not
 * given, the earliest business date the read models know: the first obligation or the first meeting). A
 * group set up mid-half-year therefore owes its first regular meeting in the first FULL half-year — a
 * choice: the rule is "every half-year", and a half-year the group only partly existed in cannot fairly
 * be called missed. With no `since` and no data at all, nothing is listed.
 */
export async function missedRegularMeetings(dataSource: DataSource, asOf: string, since?: string): Promise<MissedRegularMeeting[]> {
  const dialect = new SqlDialect(dataSource);
  const held = (await dataSource.query(`SELECT "half_year", "first_held_on" FROM ${dialect.table(RegularMeetingHalfYearEntity)}`)) as { half_year: string; first_held_on: string }[];
  let from = since;
  if (from === undefined) {
    const [first] = (await dataSource.query(`SELECT MIN("start_on") AS "first" FROM ${dialect.table(FollowUpClockEntity)}`)) as { first: string | null }[];
    const candidates = [first?.first, ...held.map((h) => h.first_held_on)].filter((d): d is string => typeof d === 'string' && d !== '');
    if (candidates.length === 0) return [];
    from = candidates.sort()[0] as string;
  }
  // a meeting only counts as of asOf if it was held by then (time travel: "as of 30 June")
  const heldIds = new Set(held.filter((h) => h.first_held_on <= asOf).map((h) => h.half_year));
  return halfYears(from, asOf)
    .filter((h) => h.start >= from && h.end < asOf && !heldIds.has(h.id))
    .map((h) => ({
      kind: 'regular-meeting' as const,
      ref: h.label,
      refId: h.id,
      agency: MEETING_AGENCY,
      title: `${h.label}未召开联席会议定期会议`,
      dueOn: h.end,
      daysOverdue: daysBetween(h.end, asOf),
    }));
}
