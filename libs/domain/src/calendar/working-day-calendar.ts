import { addDays, dayOfWeek, type LocalDate } from '../shared/local-date';

/**
 * Working days are Mon–Fri, minus declared public holidays, plus declared adjusted working days (调休).
 * The declarations come from the editable calendar (calendar.* events), never from constants in code.
 */
export class WorkingDayCalendar {
  private readonly holidays: ReadonlySet<LocalDate>;
  private readonly workingDays: ReadonlySet<LocalDate>;

  constructor(declared: { holidays?: Iterable<LocalDate>; workingDays?: Iterable<LocalDate> } = {}) {
    this.holidays = new Set(declared.holidays ?? []);
    this.workingDays = new Set(declared.workingDays ?? []);
  }

  isWorkingDay(date: LocalDate): boolean {
    if (this.workingDays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6;
  }

  /**
   * The date that is `n` working days after `start` (start itself not counted): a 5-working-day clock
   * started on a Friday ends on the next Friday when no holiday intervenes. n = 0 returns `start`.
   */
  addWorkingDays(start: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer: ${n}`);
    let date = start;
    let left = n;
    while (left > 0) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) left--;
    }
    return date;
  }

  /** Working days in (from, to]: how many working days have passed since `from` by the end of `to`. */
  workingDaysBetween(from: LocalDate, to: LocalDate): number {
    if (to <= from) return 0;
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) count++;
    return count;
  }
}
