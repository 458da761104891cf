import type { CoordinationEventType } from '@coord/domain';
import type { NewEvent } from '@coord/event-store';
import type { EventDataOf, ProjectedEvent } from '../projection';

const ACTOR = { userId: 'u-office', username: 'office', role: 'office' as const, agency: 'discipline-commission' };

/** The stream an event of the catalogue belongs to, from its data (test convenience). */
export function streamOf(type: string, data: unknown): string {
  const d = data as { leadId?: string; caseId?: string; itemId?: string };
  if (type.startsWith('lead.')) return `lead-${d.leadId}`;
  if (type.startsWith('case.')) return `case-${d.caseId}`;
  if (type.startsWith('supervision.')) return `supervision-${d.itemId}`;
  return type.split('.', 1)[0];
}

/**
 * Hand-built events for given/when/then specs: positions increase by one, stream versions per stream,
 * occurredAt/recordedAt fixed so that rows are deterministic.
 */
export class EventFeed {
  private position: number;
  private readonly versions = new Map<string, number>();

  constructor(startPosition = 0) {
    this.position = startPosition;
  }

  next<T extends CoordinationEventType>(type: T, data: EventDataOf<T>, streamId = streamOf(type, data)): ProjectedEvent<EventDataOf<T>> & { type: T } {
    const version = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, version);
    this.position += 1;
    return {
      type,
      data,
      streamId,
      streamVersion: version,
      position: this.position,
      occurredAt: '2026-03-02T02:00:00.000Z',
      recordedAt: '2026-03-02T02:00:00.000Z',
      actor: ACTOR,
    };
  }
}

let counter = 0;

/** An event ready for EventStore.append. */
export function newEvent<T extends CoordinationEventType>(
  type: T,
  data: EventDataOf<T>,
  confidential?: Record<string, unknown>,
): NewEvent {
  counter += 1;
  return {
    eventId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    type,
    schemaVersion: 1,
    data,
    confidential: confidential ?? null,
    metadata: { occurredAt: '2026-03-02T02:00:00.000Z', actor: ACTOR, correlationId: `c-${counter}`, causationId: `c-${counter}` },
  };
}
