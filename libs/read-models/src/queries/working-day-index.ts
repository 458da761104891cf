import { fromUtcDate, toUtcDate, type LocalDate, type WorkingDayCalendar } from '@coord/domain';

const DAY_MS = 86_400_000;

/**
 * 'YYYY-MM-DD' ⇄ epoch day (days since 1970-01-01, UTC midnights), memoized: a query over tens of thousands
 * of rows sees a few thousand distinct dates. Conversions go through the domain's own toUtcDate and
 * fromUtcDate (same validation, same output format), so the results are exactly those of addDays and
 * daysBetween — only computed once per distinct date instead of once per row.
 */
export class EpochDays {
  private readonly days = new Map<LocalDate, number>();
  private readonly dates = new Map<number, LocalDate>();

  day(date: LocalDate): number {
    let d = this.days.get(date);
    if (d === undefined) {
      d = Math.round(toUtcDate(date).getTime() / DAY_MS);
      this.days.set(date, d);
    }
    return d;
  }

  date(day: number): LocalDate {
    let s = this.dates.get(day);
    if (s === undefined) {
      s = fromUtcDate(new Date(day * DAY_MS));
      this.dates.set(day, s);
    }
    return s;
  }
}

/**
 * The working days of a calendar over a range of days, as a sorted list plus, for every day in the range,
 * how many working days of the range fall on or before it. Then "n working days after start" is one array
 * read — `working[countUpTo(start) + n - 1]`, the n-th working day strictly after `start` — which is by
 * construction what WorkingDayCalendar.addWorkingDays computes by stepping day by day (each day asked to
 * the same calendar's isWorkingDay once, when the index is built).
 *
 * Why: the overdue follow-ups query computes a due date for every open obligation at query time (the
 * clocks and the calendar are configuration, see OverdueFollowUpQuery); stepping through string dates costs
 * about a hundred microseconds per obligation, i.e. seconds for a county's tens of thousands of open
 * obligations. The index is built once per calendar (calendars are immutable; the api hands out the same
 * instance until the calendar stream changes) and extended when a query needs days outside its range.
 */
export class WorkingDayIndex {
  private constructor(
    readonly from: number,
    readonly to: number,
    /** working epoch days in [from, to], ascending */
    private readonly working: Int32Array,
    /** upTo[d - from] = number of working days in [from, d] */
    private readonly upTo: Int32Array,
  ) {}

  static build(calendar: WorkingDayCalendar, from: number, to: number, days: EpochDays): WorkingDayIndex {
    const span = to - from + 1;
    const upTo = new Int32Array(span);
    const working: number[] = [];
    for (let i = 0; i < span; i++) {
      if (calendar.isWorkingDay(days.date(from + i))) working.push(from + i);
      upTo[i] = working.length;
    }
    return new WorkingDayIndex(from, to, Int32Array.from(working), upTo);
  }

  covers(from: number, to: number): boolean {
    return from >= this.from && to <= this.to;
  }

  /** The epoch day `n` working days after `start` (start not counted; n = 0 → start), or undefined when
   *  `start` or the answer lies outside the indexed range (the caller then asks the calendar itself). */
  addWorkingDays(start: number, n: number): number | undefined {
    if (start < this.from || start > this.to) return undefined;
    if (n === 0) return start;
    return this.working[(this.upTo[start - this.from] as number) + n - 1];
  }
}

const indexes = new WeakMap<WorkingDayCalendar, WorkingDayIndex>();

/** The (cached) index of `calendar` covering at least [from, to]; a wider one replaces a narrower one. */
export function workingDayIndex(calendar: WorkingDayCalendar, from: number, to: number, days: EpochDays): WorkingDayIndex {
  const cached = indexes.get(calendar);
  if (cached?.covers(from, to)) return cached;
  const index = WorkingDayIndex.build(calendar, Math.min(from, cached?.from ?? from), Math.max(to, cached?.to ?? to), days);
  indexes.set(calendar, index);
  return index;
}
