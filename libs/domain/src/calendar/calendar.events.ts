import type { DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';

/** The editable working-day calendar: Mon–Fri, minus declared holidays, plus declared 调休 working days. */
export type CalendarHolidayDeclared = DomainEvent<'calendar.holiday-declared', { date: LocalDate; name: string }>;
export type CalendarWorkingDayDeclared = DomainEvent<'calendar.working-day-declared', { date: LocalDate; name: string }>;
/** Back to the weekday rule for that date. */
export type CalendarDayCleared = DomainEvent<'calendar.day-cleared', { date: LocalDate }>;

export type CalendarEvent = CalendarHolidayDeclared | CalendarWorkingDayDeclared | CalendarDayCleared;
