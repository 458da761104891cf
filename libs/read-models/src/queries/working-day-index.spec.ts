import { addDays, daysBetween, WorkingDayCalendar } from '@coord/domain';
import { EpochDays, WorkingDayIndex, workingDayIndex } from './working-day-index';

/** The index must give exactly the calendar's own answers: it replaces stepping, not the rule. */
describe('WorkingDayIndex', () => {
  // holidays (one on a weekend), a 调休 Saturday and Sunday, a long national holiday
  const calendar = new WorkingDayCalendar({
    holidays: ['2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-03-25', '2026-04-04', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06'],
    workingDays: ['2026-02-14', '2026-02-28', '2026-09-27', '2026-10-11'],
  });
  const days = new EpochDays();

  it('EpochDays converts like toUtcDate/addDays/daysBetween', () => {
    expect(days.day('1970-01-01')).toBe(0);
    expect(days.date(days.day('2026-02-28') + 1)).toBe(addDays('2026-02-28', 1));
    expect(days.day('2026-03-01') - days.day('2024-02-28')).toBe(daysBetween('2024-02-28', '2026-03-01'));
    expect(() => days.day('2026-3-1')).toThrow(RangeError);
  });

  it('n working days after every start of a year, for n = 0…40, equals calendar.addWorkingDays', () => {
    const from = days.day('2025-12-01');
    const index = WorkingDayIndex.build(calendar, from, days.day('2027-03-31'), days);
    for (let start = from; start <= days.day('2026-12-31'); start++) {
      for (let n = 0; n <= 40; n++) {
        const got = index.addWorkingDays(start, n);
        expect(got === undefined ? undefined : days.date(got)).toBe(calendar.addWorkingDays(days.date(start), n));
      }
    }
  });

  it('answers undefined outside its range (the caller then asks the calendar)', () => {
    const index = WorkingDayIndex.build(calendar, days.day('2026-03-02'), days.day('2026-03-31'), days);
    expect(index.addWorkingDays(days.day('2026-03-01'), 1)).toBeUndefined();
    expect(index.addWorkingDays(days.day('2026-03-30'), 5)).toBeUndefined();
    expect(days.date(index.addWorkingDays(days.day('2026-03-20'), 3) as number)).toBe('2026-03-26');
  });

  it('is cached per calendar and widened when a query needs more days', () => {
    const a = workingDayIndex(calendar, days.day('2026-03-01'), days.day('2026-04-30'), days);
    expect(workingDayIndex(calendar, days.day('2026-03-10'), days.day('2026-04-01'), days)).toBe(a);
    const b = workingDayIndex(calendar, days.day('2026-01-01'), days.day('2026-04-01'), days);
    expect(b).not.toBe(a);
    expect(b.covers(days.day('2026-01-01'), days.day('2026-04-30'))).toBe(true);
    expect(workingDayIndex(new WorkingDayCalendar(), days.day('2026-03-01'), days.day('2026-04-30'), days)).not.toBe(b);
  });
});
