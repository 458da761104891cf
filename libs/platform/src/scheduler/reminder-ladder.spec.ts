import { WorkingDayCalendar } from '@coord/domain';
import { rungsFor, rungToFire, workingDaysBefore } from './reminder-ladder';

const calendar = new WorkingDayCalendar({ holidays: ['2026-03-27'] }); // a Friday off
const ladder = { remindBeforeWorkingDays: [1, 3], escalateAfterDays: [10, 1, 5] };
const DUE = '2026-03-31'; // a Tuesday

describe('reminder ladder', () => {
  it('places reminders on working days before the due date (the calendar’s holidays skipped) and escalations on days after it', () => {
    expect(workingDaysBefore(calendar, DUE, 0)).toBe(DUE);
    expect(rungsFor(DUE, ladder, calendar)).toEqual([
      { step: 'before-3', on: '2026-03-25' }, // Mon 30, (Fri 27 holiday), Thu 26, Wed 25
      { step: 'before-1', on: '2026-03-30' },
      { step: 'after-1', on: '2026-04-01', level: 1 },
      { step: 'after-5', on: '2026-04-05', level: 2 },
      { step: 'after-10', on: '2026-04-10', level: 3 },
    ]);
  });

  const rungs = rungsFor(DUE, ladder, calendar);
  const fire = (today: string, last: string | null = null) => rungToFire(rungs, DUE, today, last)?.step;

  it('fires nothing before the first rung, then each rung on its day', () => {
    expect(fire('2026-03-24')).toBeUndefined();
    expect(fire('2026-03-25')).toBe('before-3');
    expect(fire('2026-03-30', 'before-3')).toBe('before-1');
    expect(fire('2026-04-01', 'before-1')).toBe('after-1');
  });

  it('a rung already fired is not fired again', () => {
    expect(fire('2026-03-26', 'before-3')).toBeUndefined();
    expect(fire('2026-04-12', 'after-10')).toBeUndefined();
  });

  it('after downtime only the furthest due rung fires (no burst of stale reminders)', () => {
    expect(fire('2026-04-06')).toBe('after-5');
    expect(fire('2026-03-31')).toBe('before-1'); // on the due date the last reminder is still true
  });

  it('no reminder after the due date when the escalation ladder is empty', () => {
    const remindersOnly = rungsFor(DUE, { remindBeforeWorkingDays: [3], escalateAfterDays: [] }, calendar);
    expect(rungToFire(remindersOnly, DUE, '2026-04-02', null)).toBeUndefined();
  });
});
