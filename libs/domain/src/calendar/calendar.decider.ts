import type { Decider } from '../shared/decider';
import { assertOffice, requireDate, requireText } from '../shared/guards';
import type { CalendarCommand } from './calendar.commands';
import type { CalendarEvent } from './calendar.events';
import { evolveCalendar, initialCalendarState, type CalendarState } from './calendar-state';

/**
 * The editable working-day calendar (节假日与调休). Repeating a declaration is a no-op rather than a refusal:
 * the office pastes the State Council's yearly schedule, often twice, and the result should be the same.
 */
export const calendarDecider: Decider<CalendarCommand, CalendarState, CalendarEvent> = {
  initialState: initialCalendarState,

  decide(command, state) {
    assertOffice(command.ctx.actor, { allowSystem: true });
    requireDate(command.date, 'date');
    switch (command.type) {
      case 'DeclareHoliday':
        requireText(command.name, 'name', 'name-required', '节日名称');
        if (state.holidays[command.date] === command.name) return [];
        return [{ type: 'calendar.holiday-declared', data: { date: command.date, name: command.name } }];
      case 'DeclareWorkingDay':
        requireText(command.name, 'name', 'name-required', '调休说明');
        if (state.workingDays[command.date] === command.name) return [];
        return [{ type: 'calendar.working-day-declared', data: { date: command.date, name: command.name } }];
      case 'ClearCalendarDay':
        if (state.holidays[command.date] === undefined && state.workingDays[command.date] === undefined) return [];
        return [{ type: 'calendar.day-cleared', data: { date: command.date } }];
      default: {
        const unhandled: never = command;
        throw new Error(`unhandled calendar command ${JSON.stringify(unhandled)}`);
      }
    }
  },

  evolve: evolveCalendar,
};
