import type { WithContext } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';

export type DeclareHoliday = WithContext<{ type: 'DeclareHoliday'; date: LocalDate; name: string }>;
export type DeclareWorkingDay = WithContext<{ type: 'DeclareWorkingDay'; date: LocalDate; name: string }>;
export type ClearCalendarDay = WithContext<{ type: 'ClearCalendarDay'; date: LocalDate }>;
export type CalendarCommand = DeclareHoliday | DeclareWorkingDay | ClearCalendarDay;
