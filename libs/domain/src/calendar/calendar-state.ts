import type { LocalDate } from '../shared/local-date';
import type { CalendarEvent } from './calendar.events';
import { WorkingDayCalendar } from './working-day-calendar';

/** The declared exceptions to the Mon–Fri rule, by date (a date is at most one of the two). */
export interface CalendarState {
  holidays: Record<LocalDate, string>; // 法定节假日
  workingDays: Record<LocalDate, string>; // 调休上班日
}

export const initialCalendarState: CalendarState = { holidays: {}, workingDays: {} };

const without = (record: Record<LocalDate, string>, date: LocalDate): Record<LocalDate, string> => {
  const { [date]: _removed, ...rest } = record;
  return rest;
};

/** A later declaration for a date replaces an earlier one: a day is a holiday or a working day, not both. */
export function evolveCalendar(state: CalendarState, event: CalendarEvent): CalendarState {
  const { date } = event.data;
  switch (event.type) {
    case 'calendar.holiday-declared':
      return { holidays: { ...state.holidays, [date]: event.data.name }, workingDays: without(state.workingDays, date) };
    case 'calendar.working-day-declared':
      return { holidays: without(state.holidays, date), workingDays: { ...state.workingDays, [date]: event.data.name } };
    case 'calendar.day-cleared':
      return { holidays: without(state.holidays, date), workingDays: without(state.workingDays, date) };
  }
}

export const calendarStateFromEvents = (events: readonly CalendarEvent[]): CalendarState => events.reduce(evolveCalendar, initialCalendarState);

/** The working-day calendar that every clock (5 working days to answer a transfer, …) is measured on. */
export function calendarFromEvents(events: readonly CalendarEvent[]): WorkingDayCalendar {
  const state = calendarStateFromEvents(events);
  return new WorkingDayCalendar({ holidays: Object.keys(state.holidays), workingDays: Object.keys(state.workingDays) });
}
