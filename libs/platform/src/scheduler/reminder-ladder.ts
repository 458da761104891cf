import { addDays, type LocalDate, type WorkingDayCalendar } from '@coord/domain';
import type { ReminderLadder } from '../app-config';

/** One rung of a ladder, placed on the calendar for one due date. */
export interface Rung {
  /** 'before-3' (3 working days before the due date) or 'after-5' (5 days overdue) */
  step: string;
  /** the date the rung becomes due */
  on: LocalDate;
  /** escalations only: 1-based level */
  level?: number;
}

/** The working day `n` working days before `date` (n = 0: the date itself). */
export function workingDaysBefore(calendar: WorkingDayCalendar, date: LocalDate, n: number): LocalDate {
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, -1);
    if (calendar.isWorkingDay(d)) left--;
  }
  return d;
}

/** Every rung for `dueOn`, in calendar order: reminders (furthest first) then escalations. */
export function rungsFor(dueOn: LocalDate, ladder: ReminderLadder, calendar: WorkingDayCalendar): Rung[] {
  const before = [...ladder.remindBeforeWorkingDays].sort((a, b) => b - a).map((n) => ({ step: `before-${n}`, on: workingDaysBefore(calendar, dueOn, n) }));
  const after = [...ladder.escalateAfterDays].sort((a, b) => a - b).map((n, i) => ({ step: `after-${n}`, on: addDays(dueOn, n), level: i + 1 }));
  return [...before, ...after];
}

/**
 * The rung to fire as of `today`, or undefined. Only the FURTHEST rung that is due fires: after downtime
 * (or for an item opened 2 days before its deadline) the scheduler does not send a burst of stale
 * reminders — it sends the one that is true today, and the skipped rungs stay skipped. A reminder rung
 * is never due after the due date (the escalation ladder takes over). `lastStep` is the rung already fired
 * for this due date (from the read model): rungs at or before it are done.
 */
export function rungToFire(rungs: readonly Rung[], dueOn: LocalDate, today: LocalDate, lastStep: string | null): Rung | undefined {
  let current = -1;
  rungs.forEach((r, i) => {
    if (r.on <= today && (r.level !== undefined || today <= dueOn)) current = i;
  });
  if (current < 0) return undefined;
  const done = lastStep === null ? -1 : rungs.findIndex((r) => r.step === lastStep);
  return current > done ? rungs[current] : undefined;
}
