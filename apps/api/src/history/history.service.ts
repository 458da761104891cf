import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { EVENT_LABELS } from './event-labels';

export interface HistoryEntry {
  version: number;
  position: number;
  type: string;
  label: string;
  occurredAt: string;
  recordedAt: string;
  actor: { username: string; role: string; agency?: string };
  data: unknown;
}

/**
 * A record's full history, who did what when. Built from `data` only: the confidential part of an
 * event (the informant) is never read here, so it cannot leak into a response.
 */
@Injectable()
export class HistoryService {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  version(streamId: string): Promise<number> {
    return this.store.streamVersion(streamId);
  }

  async of(streamId: string): Promise<{ streamId: string; version: number; events: HistoryEntry[] }> {
    const events = await this.store.readStream(streamId);
    return {
      streamId,
      version: events.length ? events[events.length - 1].streamVersion : 0,
      events: events.map((e) => ({
        version: e.streamVersion,
        position: e.position,
        type: e.type,
        label: (EVENT_LABELS as Record<string, string>)[e.type] ?? e.type,
        occurredAt: e.metadata.occurredAt,
        recordedAt: e.recordedAt,
        actor: { username: e.metadata.actor.username, role: e.metadata.actor.role, ...(e.metadata.actor.agency ? { agency: e.metadata.actor.agency } : {}) },
        data: e.data,
      })),
    };
  }
}
