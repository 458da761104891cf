import type { Actor } from '../shared/actor';
import { given } from '../testing/given-when-then';
import { ctx, office } from '../testing/fixtures';
import { calendarDecider } from './calendar.decider';

/** Refusals of the calendar decider that calendar.decider.spec.ts does not pin down to code, kind AND field. */
const BLANKS = ['', '  \t\u3000'];
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };

describe('calendarDecider refusals (code, kind and field)', () => {
  it('an agency user bound to no agency writes nothing', () => {
    given(calendarDecider).when({ type: 'ClearCalendarDay', date: '2026-10-01', ctx: ctx(agencyWithoutAgency) }).thenRefuses('agency-missing', 'forbidden');
  });

  describe.each(BLANKS)('required text, blank value %j', (blank) => {
    it('a holiday and a working day each need a name', () => {
      given(calendarDecider).when({ type: 'DeclareHoliday', date: '2026-10-01', name: blank, ctx: ctx(office) }).thenRefuses('name-required', 'invalid', 'name');
      given(calendarDecider).when({ type: 'DeclareWorkingDay', date: '2026-10-10', name: blank, ctx: ctx(office) }).thenRefuses('name-required', 'invalid', 'name');
    });
  });
});
