import { streamCategory } from '@coord/domain';
import type { StoredEvent } from '@coord/event-store';
import { TOPIC_BY_CATEGORY } from './topics';

export interface IntegrationMessage {
  topic: string;
  /** the stream id: Kafka keeps per-key order, so one lead's events arrive in order */
  key: string;
  headers: Record<string, string>;
  /** JSON: the event's data and envelope facts; never the confidential part */
  value: string;
}

/**
 * Maps a stored event to the message the relay publishes, or undefined when the event is not published.
 * Built from an explicit allow-list of envelope fields: `confidential` (the informant's identity) is not
 * copied, so no later change to StoredEvent can leak it by accident.
 */
export function toIntegrationMessage(event: StoredEvent): IntegrationMessage | undefined {
  const topic = TOPIC_BY_CATEGORY[streamCategory(event.streamId)];
  if (!topic) return undefined;
  const { actor } = event.metadata;
  return {
    topic,
    key: event.streamId,
    headers: {
      'event-id': event.eventId,
      'event-type': event.type,
      'schema-version': String(event.schemaVersion),
      'correlation-id': event.metadata.correlationId,
    },
    value: JSON.stringify({
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      streamId: event.streamId,
      streamVersion: event.streamVersion,
      position: event.position,
      occurredAt: event.metadata.occurredAt,
      recordedAt: event.recordedAt,
      actor: { role: actor.role, ...(actor.agency ? { agency: actor.agency } : {}) },
      data: event.data,
    }),
  };
}
