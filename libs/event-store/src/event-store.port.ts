import type { AppendResult, ExpectedVersion, NewEvent, StoredEvent, StreamAppend } from './event-envelope';

export const EVENT_STORE = Symbol('EVENT_STORE');

export interface ReadStreamOptions {
  fromVersion?: number;
  toVersion?: number;
  /**
   * 'omit': the caller never looks at the events' confidential parts (a decider's fold, the guard's
   * account check, 回避's subject lookup), so a store that encrypts them (EncryptingEventStore) leaves
   * them out instead of looking up, unwrapping and using the stream's data key for every read. Stores
   * that hold no keys may still return them. Default 'open'.
   */
  confidential?: 'open' | 'omit';
}

/**
 * The event store port. Every adapter (SQLite, PostgreSQL, KurrentDB) passes the same contract suite
 * (testing/event-store.contract.ts).
 *
 * Guarantees:
 *  - append is atomic per call (appendMulti: across all its streams) and durable when the promise resolves;
 *  - expectedVersion is checked per stream; a mismatch rejects with WrongExpectedVersionError and writes nothing;
 *  - appending events whose ids are already in the stream (same ids, same order, at its end or earlier) is a
 *    no-op that resolves with the original positions and `written: false`, as in EventStoreDB; a batch that
 *    mixes stored and new ids is rejected with IdempotencyConflictError;
 *  - readAll never returns an event at a position lower than one it has already returned to any caller
 *    with a checkpoint: a follower that reads "after position p" never skips an event that commits late.
 */
export interface EventStore {
  append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult>;
  /** All-or-nothing across streams (ledger numbering + lead registration, case filing + lead conversion). */
  appendMulti(appends: StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream in version order, from `fromVersion` (1-based, inclusive) to `toVersion` (inclusive). */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** The stream's current version (0 when it does not exist). */
  streamVersion(streamId: string): Promise<number>;
  /** Up to `limit` events with position > `after`, in position order. */
  readAll(after: number, limit: number): Promise<StoredEvent[]>;
  /** The highest position a follower may safely read up to now (the head of the log). */
  headPosition(): Promise<number>;
  /**
   * Register a callback run after every local commit (in-process wake-up for followers, so the embedded
   * profile does not poll). Cross-process followers still poll readAll. Returns an unsubscribe function.
   */
  onAppended(listener: (lastPosition: number) => void): () => void;
  close(): Promise<void>;
}
