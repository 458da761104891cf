import type { Role } from '@coord/domain';

/** Who caused an event, as recorded on it. */
export interface ActorRef {
  userId: string;
  username: string;
  role: Role;
  agency?: string;
}

export interface EventMetadata {
  /** business time: when the step happened (ISO-8601 instant) */
  occurredAt: string;
  actor: ActorRef;
  correlationId: string;
  /** the command (or event) that caused this event; for commands, the command id */
  causationId: string;
  /** digest of the request an idempotent command came from (see CommandMeta.commandHash) */
  commandHash?: string;
}

/** An event about to be appended. `eventId` is deterministic for idempotent commands. */
export interface NewEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  /** kept in its own column, never projected, relayed or logged; encrypted by the security work */
  confidential?: Record<string, unknown> | null;
  metadata: EventMetadata;
}

/** An event as stored: the full envelope. */
export interface StoredEvent extends NewEvent {
  streamId: string;
  /** 1-based: the stream's first event has streamVersion 1 */
  streamVersion: number;
  /** global position in the log; strictly increasing in the order followers see events */
  position: number;
  /** system time when the store committed it (ISO-8601) */
  recordedAt: string;
}

/**
 * Expected stream version for optimistic concurrency:
 *  - a number n >= 0: the stream must currently hold exactly n events (0 = must not exist yet)
 *  - 'any': no check
 */
export type ExpectedVersion = number | 'any';

export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expectedVersion: ExpectedVersion;
}

export interface AppendResult {
  streamId: string;
  /** the stream's version after the append */
  nextVersion: number;
  /** global position of the last event of this append */
  lastPosition: number;
  /** false when every event id was already in the stream (idempotent repeat): nothing was written */
  written: boolean;
  /**
   * The events as stored (positions, versions, recordedAt) when `written` is true. Optional so that a
   * hand-written test double still satisfies the port; every adapter in this library fills it, and the
   * command handler falls back to readStream when it is missing.
   */
  stored?: StoredEvent[];
}
