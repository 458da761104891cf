import { WorkingDayCalendar } from './working-day-calendar';

describe('WorkingDayCalendar', () => {
  it('given only weekdays, when adding 5 working days to a Friday, then it ends on the next Friday', () => {
    expect(new WorkingDayCalendar().addWorkingDays('2026-11-27', 5)).toBe('2026-12-04');
  });

  it('given a declared holiday inside the clock, then the clock ends one working day later', () => {
    const cal = new WorkingDayCalendar({ holidays: ['2026-12-01'] });
    expect(cal.addWorkingDays('2026-11-27', 5)).toBe('2026-12-07');
  });

  it('given a declared adjusted working Saturday (调休), then it counts as a working day', () => {
    const cal = new WorkingDayCalendar({ workingDays: ['2026-11-28'] });
    expect(cal.isWorkingDay('2026-11-28')).toBe(true);
    expect(cal.addWorkingDays('2026-11-27', 1)).toBe('2026-11-28');
  });

  it('counts working days passed between two dates, excluding the start', () => {
    const cal = new WorkingDayCalendar({ holidays: ['2026-10-01', '2026-10-02'] });
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-09')).toBe(5); // Oct 5–9 (Oct 3–4 weekend)
    expect(cal.workingDaysBetween('2026-10-09', '2026-10-09')).toBe(0);
    expect(cal.workingDaysBetween('2026-10-09', '2026-10-01')).toBe(0);
  });

  it('refuses a negative or fractional clock', () => {
    expect(() => new WorkingDayCalendar().addWorkingDays('2026-11-27', -1)).toThrow(RangeError);
    expect(() => new WorkingDayCalendar().addWorkingDays('2026-11-27', 1.5)).toThrow(RangeError);
  });
});
