import { given } from '../testing/given-when-then';
import { audit, ctx, leadership, office } from '../testing/fixtures';
import { calendarDecider } from './calendar.decider';
import { calendarFromEvents } from './calendar-state';
import type { CalendarEvent } from './calendar.events';

const holiday = (date: string, name = '国庆节'): CalendarEvent => ({ type: 'calendar.holiday-declared', data: { date, name } });
const workingDay = (date: string, name = '国庆调休'): CalendarEvent => ({ type: 'calendar.working-day-declared', data: { date, name } });
const cleared = (date: string): CalendarEvent => ({ type: 'calendar.day-cleared', data: { date } });

describe('calendarDecider (节假日与调休)', () => {
  it('the office declares a holiday', () => {
    given(calendarDecider).when({ type: 'DeclareHoliday', date: '2026-10-01', name: '国庆节', ctx: ctx(office) }).then([holiday('2026-10-01')]);
  });

  it('declaring the same holiday twice is a no-op', () => {
    given(calendarDecider, holiday('2026-10-01')).when({ type: 'DeclareHoliday', date: '2026-10-01', name: '国庆节', ctx: ctx(office) }).thenNothing();
  });

  it('declares an adjusted working day, also over an earlier holiday declaration', () => {
    given(calendarDecider).when({ type: 'DeclareWorkingDay', date: '2026-10-10', name: '国庆调休', ctx: ctx(office) }).then([workingDay('2026-10-10')]);
    given(calendarDecider, workingDay('2026-10-10')).when({ type: 'DeclareWorkingDay', date: '2026-10-10', name: '国庆调休', ctx: ctx(office) }).thenNothing();
    given(calendarDecider, holiday('2026-10-10')).when({ type: 'DeclareWorkingDay', date: '2026-10-10', name: '国庆调休', ctx: ctx(office) }).then([workingDay('2026-10-10')]);
  });

  it('clearing a declared date emits day-cleared; clearing an undeclared date is a no-op', () => {
    given(calendarDecider, holiday('2026-10-01')).when({ type: 'ClearCalendarDay', date: '2026-10-01', ctx: ctx(office) }).then([cleared('2026-10-01')]);
    given(calendarDecider).when({ type: 'ClearCalendarDay', date: '2026-10-01', ctx: ctx(office) }).thenNothing();
  });

  it('office only; readers never write', () => {
    given(calendarDecider).when({ type: 'DeclareHoliday', date: '2026-10-01', name: '国庆节', ctx: ctx(audit) }).thenRefuses('office-only', 'forbidden');
    given(calendarDecider).when({ type: 'DeclareHoliday', date: '2026-10-01', name: '国庆节', ctx: ctx(leadership) }).thenRefuses('read-only-role', 'forbidden');
  });

  it('refuses a malformed date', () => {
    given(calendarDecider).when({ type: 'DeclareHoliday', date: '2026-02-30', name: 'x', ctx: ctx(office) }).thenRefuses('date-invalid', 'invalid', 'date');
  });
});

describe('calendarFromEvents', () => {
  it('folds declarations into a working-day calendar; later declarations win', () => {
    const cal = calendarFromEvents([
      holiday('2026-10-01'),
      holiday('2026-10-02'),
      holiday('2026-10-05'),
      cleared('2026-10-05'), // 10-05 back to an ordinary Monday
      workingDay('2026-10-10'), // a Saturday worked (调休)
      holiday('2026-10-09'),
      workingDay('2026-10-09'), // declared a holiday, then corrected to a working day
    ]);
    expect(cal.isWorkingDay('2026-10-01')).toBe(false);
    expect(cal.isWorkingDay('2026-10-05')).toBe(true);
    expect(cal.isWorkingDay('2026-10-09')).toBe(true);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    // from Wed 09-30: 10-05, 06, 07, 08, 09 are the five working days
    expect(cal.addWorkingDays('2026-09-30', 5)).toBe('2026-10-09');
  });

  it('with no events it is the plain Mon–Fri calendar', () => {
    expect(calendarFromEvents([]).addWorkingDays('2026-11-27', 5)).toBe('2026-12-04');
  });
});
