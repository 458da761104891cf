import type { AppendResult, NewEvent, StreamAppend } from './event-envelope';
import { IdempotencyConflictError, WrongExpectedVersionError } from './event-store.errors';

/**
 * The append rules every adapter applies, in one place so SQLite, PostgreSQL (and later KurrentDB
 * emulation code) cannot drift apart. The adapters only supply "what is the stream's version" and
 * "where is this event id stored", read inside their own transaction or lock.
 */

/** Where an already-stored event id lives. */
export interface StoredRef {
  streamId: string;
  streamVersion: number;
  position: number;
}

export type AppendDecision =
  | { kind: 'write'; fromVersion: number }
  | { kind: 'noop'; result: AppendResult };

/**
 * Cheap checks done before touching storage. Empty appends are refused rather than treated as a bare
 * version check (as EventStoreDB allows): nothing in this product needs one, and answering
 * "lastPosition" for them would cost every adapter an extra read.
 * A call that repeats an event id within itself is refused: the adapters would otherwise disagree on
 * whether the second copy is an idempotent repeat of the first (it is in SQLite's transaction view,
 * not in PostgreSQL's batch-local view).
 */
export function validateAppends(appends: readonly StreamAppend[]): void {
  if (appends.length === 0) throw new RangeError('appendMulti needs at least one stream append');
  const seen = new Set<string>();
  for (const a of appends) {
    if (typeof a.streamId !== 'string' || a.streamId.length === 0) throw new RangeError('streamId must be a non-empty string');
    if (a.events.length === 0) throw new RangeError(`append to ${a.streamId} has no events`);
    const ev = a.expectedVersion;
    if (ev !== 'any' && !(Number.isSafeInteger(ev) && ev >= 0)) {
      throw new RangeError(`expectedVersion must be a non-negative integer or 'any', got ${String(ev)}`);
    }
    for (const e of a.events) {
      if (typeof e.eventId !== 'string' || e.eventId.length === 0) throw new RangeError('eventId must be a non-empty string');
      if (seen.has(e.eventId)) throw new IdempotencyConflictError(a.streamId, e.eventId);
      seen.add(e.eventId);
    }
  }
}

/**
 * Decide one stream append against the current view (committed state plus whatever the same
 * transaction/batch accepted before it).
 *
 * Idempotency is judged before the version check, as in EventStoreDB: a client repeating a request
 * after a lost response still sends the expected version of its first try, which is stale by now, and
 * must get the first result, not a 409.
 */
export function decideAppend(
  a: StreamAppend,
  currentVersion: number,
  lookup: (eventId: string) => StoredRef | undefined,
): AppendDecision {
  const refs = a.events.map((e) => lookup(e.eventId));
  const storedCount = refs.filter((r) => r !== undefined).length;
  if (storedCount > 0) return { kind: 'noop', result: idempotentResult(a, refs) };
  if (a.expectedVersion !== 'any' && a.expectedVersion !== currentVersion) {
    throw new WrongExpectedVersionError(a.streamId, a.expectedVersion, currentVersion);
  }
  return { kind: 'write', fromVersion: currentVersion + 1 };
}

function idempotentResult(a: StreamAppend, refs: (StoredRef | undefined)[]): AppendResult {
  const firstStored = refs.findIndex((r) => r !== undefined);
  if (refs.some((r) => r === undefined)) {
    // a mix of stored and new ids: a client reused ids for different content
    throw new IdempotencyConflictError(a.streamId, (a.events[firstStored] as NewEvent).eventId);
  }
  const first = refs[0];
  refs.forEach((r, i) => {
    // every id stored, in this stream, consecutively and in the same order: the same batch again
    const same = r !== undefined && first !== undefined && r.streamId === a.streamId && r.streamVersion === first.streamVersion + i;
    if (!same) throw new IdempotencyConflictError(a.streamId, (a.events[i] as NewEvent).eventId);
  });
  const last = refs[refs.length - 1] as StoredRef;
  return { streamId: a.streamId, nextVersion: last.streamVersion, lastPosition: last.position, written: false };
}

/** Listener errors must not turn a committed append into a failed command. */
export function notifyListeners(listeners: Iterable<(lastPosition: number) => void>, lastPosition: number): void {
  for (const l of listeners) {
    try {
      l(lastPosition);
    } catch {
      // deliberately swallowed: the events are committed; a broken wake-up only delays a poller
    }
  }
}
