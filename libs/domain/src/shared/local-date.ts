/**
 * Business dates are calendar dates in Asia/Shanghai, carried as 'YYYY-MM-DD' strings. They compare
 * correctly as strings. Arithmetic is done on UTC midnights so no host time zone leaks in.
 */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function toUtcDate(date: LocalDate): Date {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
}

export function fromUtcDate(d: Date): LocalDate {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = toUtcDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtcDate(d);
}

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcDate(to).getTime() - toUtcDate(from).getTime()) / 86_400_000);
}

/** 0 = Sunday … 6 = Saturday */
export function dayOfWeek(date: LocalDate): number {
  return toUtcDate(date).getUTCDay();
}

export function yearOf(date: LocalDate): number {
  return +date.slice(0, 4);
}

export function quarterOf(date: LocalDate): number {
  return Math.floor((+date.slice(5, 7) - 1) / 3) + 1;
}

/** The Asia/Shanghai calendar date of an instant (UTC+8, no DST since 1991). */
export function shanghaiDateOf(instant: Date): LocalDate {
  return fromUtcDate(new Date(instant.getTime() + 8 * 3_600_000));
}
