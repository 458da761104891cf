import { Inject, Injectable } from '@nestjs/common';
import { calendarFromEvents, streams, type CalendarEvent, type WorkingDayCalendar } from '@coord/domain';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { CachedStream } from '../infrastructure/cached-stream';

export interface DeclaredDay {
  date: string;
  kind: 'holiday' | 'working-day';
  name: string;
}

/** The editable working-day calendar (节假日与调休), folded from the `calendar` stream. */
@Injectable()
export class CalendarService {
  private readonly calendar: CachedStream<{ calendar: WorkingDayCalendar; days: DeclaredDay[] }>;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.calendar = new CachedStream(store, streams.calendar(), (stored) => {
      const events = stored.map((e) => ({ type: e.type, data: e.data }) as CalendarEvent);
      const days = new Map<string, DeclaredDay>();
      for (const e of events) {
        if (e.type === 'calendar.day-cleared') days.delete(e.data.date);
        else days.set(e.data.date, { date: e.data.date, kind: e.type === 'calendar.holiday-declared' ? 'holiday' : 'working-day', name: e.data.name });
      }
      return { calendar: calendarFromEvents(events), days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)) };
    });
  }

  async workingDays(): Promise<WorkingDayCalendar> {
    return (await this.calendar.get()).calendar;
  }

  async declaredDays(year?: number): Promise<DeclaredDay[]> {
    const { days } = await this.calendar.get();
    return year ? days.filter((d) => d.date.startsWith(`${year}-`)) : days;
  }
}
