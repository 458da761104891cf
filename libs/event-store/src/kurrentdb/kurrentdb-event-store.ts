import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  ErrorType,
  KurrentDBClient,
  NO_STREAM,
  NotFoundError,
  isCommandError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendStreamRequest,
  type EventData,
  type Filter,
  type JSONType,
} from '@kurrent/kurrentdb-client';
import { decideAppend, notifyListeners, validateAppends, type StoredRef } from '../append.rules';
import type { AppendResult, NewEvent, StoredEvent, StreamAppend } from '../event-envelope';
import type { EventStore } from '../event-store.port';
import {
  EVENT_ID_MARKER_TYPE,
  StreamNames,
  afterToReadPosition,
  commitToPosition,
  decodeClaim,
  decodeEvent,
  encodeEvent,
  expectedVersionToState,
  revisionToVersion,
  versionToRevision,
  type RecordedLike,
} from './kurrentdb-mapping';

/**
 * The EventStore port on KurrentDB (formerly EventStoreDB) with @kurrent/kurrentdb-client 1.x.
 * Mapping rules (versions, positions, encoding) are in kurrentdb-mapping.ts.
 *
 * NOT RUN IN THIS REPOSITORY'S CI: no KurrentDB server runs there. The adapter is type-checked against the
 * client's real types and its pure mapping is unit-tested; the shared contract suite
 * (kurrentdb-event-store.int-spec.ts) runs only where KURRENTDB_URL points at a server (docs/docker.md).
 *
 * ── Requires KurrentDB 25.1 or later ─────────────────────────────────────────────────────────────────
 * Every append, single- or multi-stream, is one `multiStreamAppend` (KurrentDB's atomic multi-stream
 * append, new in 25.1). On an older server the client reports it unsupported and the adapter says so.
 *
 * ── Why event ids get marker streams ─────────────────────────────────────────────────────────────────
 * Our contract makes an event id unique across the whole store (a repeated command is recognised by its
 * deterministic ids, even after the stream moved on, and an id reused in another stream is a conflict).
 * KurrentDB only deduplicates ids within one stream at the same expected revision, has no index by event
 * id, and cannot tell the caller whether an append was a no-op. So each append also writes, in the SAME
 * atomic multi-stream append, one tiny marker event per event id to the stream `coord.event-id-<id>` with
 * expected state "no stream", recording which stream and version took the id. A repeat fails on its
 * markers and nothing is written; the adapter then reads the markers and applies the same rules as the
 * other adapters (append.rules.ts: decideAppend) — answering `written: false` with the original versions
 * and positions, or IdempotencyConflictError. Costs, accepted: one extra (small) event per event, and a
 * few reads on the conflict path only. Markers are never shown to readers: $all reads filter them out
 * server-side (stream-name regex) and again client-side.
 *
 * ── Expected version 'any' ───────────────────────────────────────────────────────────────────────────
 * A marker must name the version its event gets, so the adapter reads the stream's version first and
 * appends with it as the expected version, retrying if another writer got in between: 'any' keeps its
 * meaning (no check for the caller) at the cost of one read.
 *
 * ── Positions and reads ──────────────────────────────────────────────────────────────────────────────
 * `position` is the commit position (see kurrentdb-mapping.ts). KurrentDB's log has one writer and
 * readers see it only up to what is durably written, so a position, once seen, never gets a lower event
 * committed after it: the PostgreSQL adapter's "late commit" problem does not arise. Append results are
 * read back from the stream (one read per appended stream) so `stored` carries the server's own
 * positions and timestamps instead of positions guessed from the append response.
 * KurrentDB starts a $all read only at a record boundary; a position that is one of our events' (every
 * checkpoint is) is one. For any other number (the contract suite reads "after p - 1") the first read is
 * refused by the server, and the adapter then seeks backwards from the head to the last event at or
 * before it — correct, but proportional to the distance from the head.
 *
 * ── Followers ────────────────────────────────────────────────────────────────────────────────────────
 * onAppended fires after this process's own appends. With `followRemoteAppends`, a catch-up subscription
 * to $all also wakes the listeners for other processes' appends. `subscribe(after, handler)` is a catch-up
 * subscription from a stored position for consumers that want pushed events rather than polling readAll.
 */
export interface KurrentDbEventStoreOptions {
  /** e.g. kurrentdb://localhost:2113?tls=false */
  connectionString: string;
  /** stream-name prefix isolating this deployment (or test) in a shared KurrentDB; default '' */
  namespace?: string;
  /** wake onAppended listeners for other processes' appends too (catch-up subscription to $all) */
  followRemoteAppends?: boolean;
  /** where subscription errors (then retried) are reported; structured facts only, never event data */
  onSubscriptionError?: (error: unknown, facts: { after: number; retryInMs: number }) => void;
}

export interface KurrentDbSubscription {
  /** the last position handed to the handler (the caller's checkpoint) */
  readonly position: number;
  stop(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** attempts per append call: conflicts on 'any' appends (a concurrent writer) and partial idempotent repeats retry */
const MAX_ATTEMPTS = 20;
/** positions remembered as valid $all read starts (our events' positions), bounded */
const KNOWN_POSITIONS_MAX = 50_000;

interface Planned {
  index: number;
  a: StreamAppend;
  /** the concrete version the stream is expected at ('any' resolved by a read) */
  from: number;
}

export class KurrentDbEventStore implements EventStore {
  private readonly listeners = new Set<(lastPosition: number) => void>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly known = new Set<number>();
  private readonly subscriptions = new Set<KurrentDbSubscription>();
  private lastNotified = 0;
  private closed = false;

  private constructor(
    private readonly client: KurrentDBClient,
    readonly names: StreamNames,
    private readonly dedupeNotifications: boolean,
    private readonly onSubscriptionError?: KurrentDbEventStoreOptions['onSubscriptionError'],
  ) {}

  static async connect(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const names = new StreamNames(options.namespace ?? '');
    const client = KurrentDBClient.connectionString(options.connectionString);
    const store = new KurrentDbEventStore(client, names, options.followRemoteAppends === true, options.onSubscriptionError);
    try {
      // fail at start, not at the first command, when the server is unreachable
      const head = await store.headPosition();
      if (options.followRemoteAppends) {
        store.lastNotified = head;
        store.subscribe(head, (e) => store.notify(e.position));
      }
    } catch (e) {
      await client.dispose();
      throw e;
    }
    return store;
  }

  // ── appends ───────────────────────────────────────────────────────────────────────────────────────

  async append(streamId: string, events: NewEvent[], expectedVersion: number | 'any'): Promise<AppendResult> {
    const [result] = await this.appendMulti([{ streamId, events, expectedVersion }]);
    return result as AppendResult;
  }

  appendMulti(appends: StreamAppend[]): Promise<AppendResult[]> {
    // refusals reject the promise (as the other adapters' async methods do), never throw synchronously
    try {
      this.validate(appends);
    } catch (e) {
      return Promise.reject(e);
    }
    const run = this.appendWithRetry(appends);
    this.inFlight.add(run);
    void run.then(
      () => this.inFlight.delete(run),
      () => this.inFlight.delete(run),
    );
    return run;
  }

  private validate(appends: StreamAppend[]): void {
    this.assertOpen();
    validateAppends(appends);
    const serverNames = appends.map((a) => this.names.data(a.streamId));
    if (new Set(serverNames).size !== serverNames.length) {
      // KurrentDB's multi-stream append takes one request per stream; merging two with their own expected
      // versions would change their meaning. Nothing in this product appends to one stream twice per call.
      throw new RangeError('the KurrentDB adapter does not accept the same stream twice in one appendMulti call');
    }
    for (const a of appends) {
      for (const e of a.events) {
        if (!UUID.test(e.eventId)) throw new RangeError(`KurrentDB event ids are UUIDs, got ${e.eventId}`);
        encodeEvent(e); // validates the type before anything is sent
      }
    }
  }

  private async appendWithRetry(appends: StreamAppend[]): Promise<AppendResult[]> {
    const results: AppendResult[] = new Array<AppendResult>(appends.length);
    let pending = appends.map((a, index) => ({ a, index }));
    for (let attempt = 1; ; attempt++) {
      const planned: Planned[] = await Promise.all(
        pending.map(async (p) => ({ ...p, from: p.a.expectedVersion === 'any' ? await this.streamVersionUnchecked(p.a.streamId) : p.a.expectedVersion })),
      );
      try {
        const written = await this.write(planned);
        planned.forEach((p, k) => (results[p.index] = written[k] as AppendResult));
        this.notify(Math.max(...written.map((r) => r.lastPosition)));
        return results;
      } catch (e) {
        if (!isConflict(e)) throw explain(e);
        // Something was already there: our ids (a repeat), or another writer's events. Nothing of this
        // attempt was written (the append is atomic). Decide each stream exactly as the other adapters do.
        const claims = await this.lookupClaims(pending.flatMap((p) => p.a.events.map((ev) => ev.eventId)));
        const next: typeof pending = [];
        for (const p of pending) {
          const current = await this.streamVersionUnchecked(p.a.streamId);
          const d = decideAppend(p.a, current, (id) => claims.get(id)); // throws WrongExpectedVersion / IdempotencyConflict
          if (d.kind === 'noop') results[p.index] = d.result;
          else next.push(p);
        }
        if (next.length === 0) return results;
        if (attempt >= MAX_ATTEMPTS) throw new Error(`append gave up after ${MAX_ATTEMPTS} conflicting attempts (heavy contention on an 'any' append)`, { cause: e });
        pending = next;
      }
    }
  }

  /** One atomic multi-stream append of the planned data streams plus their event-id markers; reads the events back. */
  private async write(planned: Planned[]): Promise<AppendResult[]> {
    const requests: AppendStreamRequest[] = planned.map((p) => ({
      streamName: this.names.data(p.a.streamId),
      expectedState: expectedVersionToState(p.from),
      events: p.a.events.map((e) => toEventData(e)),
    }));
    for (const p of planned) {
      p.a.events.forEach((e, i) => {
        requests.push({
          streamName: this.names.marker(e.eventId),
          expectedState: NO_STREAM,
          // a fresh id every attempt, so the server never takes a repeat of the marker for an idempotent write
          events: [jsonEvent({ id: randomUUID(), type: EVENT_ID_MARKER_TYPE, data: { streamId: p.a.streamId, streamVersion: p.from + i + 1 } })],
        });
      });
    }
    await this.client.multiStreamAppend(requests);
    // Written. Should the read-back below fail, the caller gets an error for a committed append; repeating
    // the command (same event ids) then answers `written: false` with the stored positions.
    return Promise.all(
      planned.map(async (p): Promise<AppendResult> => {
        const n = p.a.events.length;
        const stored = await this.readStreamUnchecked(p.a.streamId, { fromVersion: p.from + 1, toVersion: p.from + n });
        if (stored.length !== n || stored.some((s, i) => s.eventId !== p.a.events[i]?.eventId)) {
          throw new Error(`KurrentDB acknowledged the append to ${p.a.streamId} but reading it back did not return the appended events`);
        }
        const last = stored[n - 1] as StoredEvent;
        return { streamId: p.a.streamId, nextVersion: last.streamVersion, lastPosition: last.position, written: true, stored };
      }),
    );
  }

  /** Where each already-claimed event id is stored (absent ids are free). */
  private async lookupClaims(eventIds: string[]): Promise<Map<string, StoredRef>> {
    const found = new Map<string, StoredRef>();
    await Promise.all(
      eventIds.map(async (id) => {
        const [marker] = await this.readRaw(this.names.marker(id), { maxCount: 1 });
        if (!marker) return;
        const claim = decodeClaim(marker.data);
        const [event] = await this.readStreamUnchecked(claim.streamId, { fromVersion: claim.streamVersion, toVersion: claim.streamVersion });
        if (!event || event.eventId !== id) throw new Error(`event-id marker for ${id} points at ${claim.streamId}@${claim.streamVersion}, which holds another event`);
        found.set(id, { streamId: claim.streamId, streamVersion: claim.streamVersion, position: event.position });
      }),
    );
    return found;
  }

  // ── reads ─────────────────────────────────────────────────────────────────────────────────────────

  async readStream(streamId: string, options: { fromVersion?: number; toVersion?: number } = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    return this.readStreamUnchecked(streamId, options);
  }

  async streamVersion(streamId: string): Promise<number> {
    this.assertOpen();
    return this.streamVersionUnchecked(streamId);
  }

  // the *Unchecked reads serve appends already in flight, which close() lets finish
  private async readStreamUnchecked(streamId: string, options: { fromVersion?: number; toVersion?: number }): Promise<StoredEvent[]> {
    const from = Math.max(1, options.fromVersion ?? 1);
    const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    if (to < from) return [];
    const raw = await this.readRaw(this.names.data(streamId), {
      fromRevision: versionToRevision(from),
      maxCount: to === Number.MAX_SAFE_INTEGER ? undefined : to - from + 1,
    });
    return raw.map((r) => this.remember(decodeEvent(r, streamId)));
  }

  private async streamVersionUnchecked(streamId: string): Promise<number> {
    const [last] = await this.readRaw(this.names.data(streamId), { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    return last ? revisionToVersion(last.revision) : 0;
  }

  async readAll(after: number, limit: number): Promise<StoredEvent[]> {
    this.assertOpen();
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
    afterToReadPosition(after); // validates
    if (limit === 0) return [];
    if (after === 0 || this.known.has(after)) return this.readAllFrom(after, after, limit);
    try {
      return await this.readAllFrom(after, after, limit);
    } catch (e) {
      if (isConnectivityError(e)) throw e;
      // most likely not a record boundary (see the class comment): start at the last event at or before it
      return this.readAllFrom(await this.seekAtOrBefore(after), after, limit);
    }
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    const iterator = this.client.readAll({ direction: BACKWARDS, fromPosition: END, filter: this.allFilter() });
    for await (const r of iterator) {
      const e = this.ours(r);
      if (e) return e.position;
    }
    return 0;
  }

  /** Pages forward through $all from `start` (a record boundary, or 0), keeping events after `after`. */
  private async readAllFrom(start: number, after: number, limit: number): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    let cursor = start;
    const pageSize = limit + 1; // the event at `cursor` itself comes back first (reads start inclusive)
    for (;;) {
      let count = 0;
      let last = cursor;
      for await (const r of this.client.readAll({ fromPosition: afterToReadPosition(cursor), maxCount: pageSize, filter: this.allFilter() })) {
        count++;
        const commit = r.event?.position.commit ?? r.commitPosition;
        if (commit !== undefined) last = Math.max(last, commitToPosition(commit));
        const e = this.ours(r);
        if (e && e.position > after && out.length < limit) out.push(e);
      }
      if (out.length >= limit || count < pageSize || last === cursor) return out;
      cursor = last;
    }
  }

  /** The position of the last event of ours at or before `position` (0 if none): a valid read start. */
  private async seekAtOrBefore(position: number): Promise<number> {
    for await (const r of this.client.readAll({ direction: BACKWARDS, fromPosition: END, filter: this.allFilter() })) {
      const e = this.ours(r);
      if (e && e.position <= position) return e.position;
    }
    return 0;
  }

  // ── notifications and subscriptions ───────────────────────────────────────────────────────────────

  onAppended(listener: (lastPosition: number) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * A catch-up subscription to $all (this namespace only) delivering every event after `after`, in
   * position order, one at a time (the handler's promise is awaited: back-pressure). After an error it
   * resubscribes from the last delivered position with capped backoff, so a consumer that checkpoints
   * what it handled sees each event at least once and never out of order. `after` must be 0 or a
   * position this store returned (KurrentDB subscribes only from record boundaries).
   */
  subscribe(after: number, handler: (event: StoredEvent) => Promise<void> | void): KurrentDbSubscription {
    this.assertOpen();
    afterToReadPosition(after);
    let stopped = false;
    let current: AllStreamSubscription | undefined;
    let wake: (() => void) | undefined;
    const state = { position: after };
    const loop = (async () => {
      let failures = 0;
      const pause = (ms: number) =>
        new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, ms).unref();
        });
      while (!stopped) {
        try {
          current = this.client.subscribeToAll({ fromPosition: afterToReadPosition(state.position), filter: this.allFilter() });
          for await (const r of current) {
            if (stopped) break;
            const e = this.ours(r);
            if (!e || e.position <= state.position) continue;
            await handler(e);
            state.position = e.position;
            failures = 0;
          }
          // the server ended the subscription without an error (e.g. it is shutting down): resubscribe shortly
          if (!stopped) await pause(250);
        } catch (err) {
          if (stopped) break;
          failures++;
          const retryInMs = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
          this.onSubscriptionError?.(err, { after: state.position, retryInMs });
          await pause(retryInMs);
        }
      }
    })();
    const subscription: KurrentDbSubscription = {
      get position() {
        return state.position;
      },
      stop: async () => {
        stopped = true;
        wake?.();
        await current?.unsubscribe().catch(() => undefined);
        await loop;
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Waits for in-flight appends, stops subscriptions, disposes the client. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.listeners.clear();
    await this.client.dispose();
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────────────

  private notify(lastPosition: number): void {
    if (this.dedupeNotifications) {
      // the subscription and this process's own appends both report; tell listeners each head once
      if (lastPosition <= this.lastNotified) return;
      this.lastNotified = lastPosition;
    }
    notifyListeners(this.listeners, lastPosition);
  }

  private allFilter(): Filter {
    return streamNameFilter({ regex: this.names.allFilterRegex });
  }

  /** Our StoredEvent for a $all entry, or undefined for anything else (other namespace, marker, system event, link). */
  private ours(r: AllStreamResolvedEvent): StoredEvent | undefined {
    const ev = r.event;
    if (!ev || r.link || ev.type.startsWith('$')) return undefined;
    const streamId = this.names.fromServer(ev.streamId);
    if (streamId === undefined) return undefined;
    return this.remember(decodeEvent(ev as RecordedLike, streamId));
  }

  private remember(e: StoredEvent): StoredEvent {
    if (this.known.size >= KNOWN_POSITIONS_MAX) this.known.clear();
    this.known.add(e.position);
    return e;
  }

  /** Reads a stream's raw records; a stream that does not exist reads as empty. */
  private async readRaw(
    streamName: string,
    options: { fromRevision?: bigint | typeof END; maxCount?: number; direction?: typeof BACKWARDS },
  ): Promise<RecordedLike[]> {
    const out: RecordedLike[] = [];
    try {
      for await (const r of this.client.readStream(streamName, options)) {
        if (r.event) out.push(r.event as RecordedLike);
      }
    } catch (e) {
      if (errorType(e) === ErrorType.STREAM_NOT_FOUND) return [];
      throw e;
    }
    return out;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('KurrentDbEventStore is closed');
  }
}

function toEventData(e: NewEvent): EventData {
  const enc = encodeEvent(e);
  // data is any JSON value; the client serializes it with JSON.stringify whatever its declared type
  return jsonEvent({ id: enc.id, type: enc.type, data: enc.data as JSONType, metadata: enc.metadata });
}

/** The client's error kind (its CommandError classes carry a `type`), or undefined for anything else. */
function errorType(e: unknown): ErrorType | undefined {
  return e instanceof Error && isCommandError(e) ? e.type : e instanceof NotFoundError ? ErrorType.NOT_FOUND : undefined;
}

function isConflict(e: unknown): boolean {
  const t = errorType(e);
  return t === ErrorType.WRONG_EXPECTED_VERSION || t === ErrorType.APPEND_CONSISTENCY_VIOLATION;
}

function isConnectivityError(e: unknown): boolean {
  const t = errorType(e);
  return t !== undefined && [ErrorType.UNAVAILABLE, ErrorType.DEADLINE_EXCEEDED, ErrorType.TIMEOUT, ErrorType.ACCESS_DENIED, ErrorType.NOT_LEADER].includes(t);
}

function explain(e: unknown): unknown {
  const t = errorType(e);
  if (t === ErrorType.UNSUPPORTED || t === ErrorType.NOT_FOUND) {
    return new Error('the KurrentDB adapter needs multi-stream append: KurrentDB 25.1 or later', { cause: e });
  }
  return e;
}

