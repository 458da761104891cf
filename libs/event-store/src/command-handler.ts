import type { CommandContext, Decider, DomainEvent } from '@coord/domain';
import { deterministicEventId } from './deterministic-event-id';
import { KeyedSerializer } from './keyed-serializer';
import type { ActorRef, AppendResult, EventMetadata, ExpectedVersion, NewEvent, StoredEvent, StreamAppend } from './event-envelope';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from './event-store.errors';
import type { EventStore } from './event-store.port';
import type { Upcaster } from './upcasting';

/**
 * The one generic command handler: read the stream(s), fold with evolve, decide, append with the
 * expected version — for every aggregate. A plain class (no Nest): the api wraps it in a provider and
 * its @nestjs/cqrs handlers delegate here.
 *
 *   const handler = new CommandHandler(store, { schemaVersionOf: (t) => EVENT_SCHEMA_VERSIONS[t], upcaster });
 *   // one stream
 *   await handler.handle(leadDecider, streams.lead(id), command, meta, { ifMatch });
 *   // several streams atomically (ledger number + lead registration); the plan re-runs on conflict
 *   await handler.execute(meta, async (load) => {
 *     const ledger = await load(ledgerDecider, streams.ledger('lead', 2026));
 *     const no = ledger.state.next;
 *     return [step(ledgerDecider, streams.ledger('lead', 2026), assign(no)), step(leadDecider, streams.lead(id), register(no))];
 *   }, { primaryStreamId: streams.lead(id), retryOnConflict: 3 });
 *
 * Semantics, in order, per attempt:
 *  1. Idempotent replay: when `meta.idempotencyKeyGiven` and the primary stream already holds events
 *     whose causationId is this commandId, they are returned (`replayed: true`) and nothing is written.
 *     It works on every store because the stream is read anyway. A replay returns the primary stream's
 *     events only (the other streams of a multi-stream command are not searched: that would need a log
 *     scan). The caller must derive the primary stream id from the key too (e.g. lead id = f(key)),
 *     otherwise a repeat targets a new stream and is not recognised.
 *  2. If-Match: `ifMatch` differing from the primary stream's version → WrongExpectedVersionError before
 *     deciding, and no retry (the client asked for that exact version).
 *  3. Decide each step against its freshly folded state; DomainErrors propagate unchanged.
 *  4. Append all non-empty steps with appendMulti (atomic), each with its expected version (default: the
 *     version this attempt loaded). Event ids are UUIDv5 of (commandId, streamId, index), so the store
 *     itself also recognises a repeated append as a no-op.
 *  5. On WrongExpectedVersionError, re-run from 1 when `retryOnConflict` allows and no ifMatch was given.
 *     Only commands whose decision is safe to recompute on new state should allow it (ledger numbers:
 *     yes; a transfer the user decided on what they saw: no, let the 409 reach them).
 *
 * The events' causationId is always the commandId (that is what step 1 matches on); what caused the
 * command (an HTTP request, an intake message) is carried by correlationId.
 */

export interface CommandMeta {
  /** unique per command; derived from the Idempotency-Key / message key when one was given */
  commandId: string;
  /** defaults to commandId */
  correlationId?: string;
  ctx: CommandContext;
  /** true when commandId came from a client key: enables the replay lookup of step 1 */
  idempotencyKeyGiven: boolean;
  /**
   * A digest of what the client asked for (e.g. method, path and body). Stored on the events; a replay
   * whose digest differs is a key reused for a different request and is refused, not silently answered
   * with the first result.
   */
  commandHash?: string;
}

export interface LoadedStream<S> {
  state: S;
  /** the stream's version (0 when it does not exist) */
  version: number;
  /** the stream's events, upcast to current schema versions */
  events: StoredEvent[];
}

export type StreamLoader = <C, S, E extends DomainEvent>(decider: Decider<C, S, E>, streamId: string) => Promise<LoadedStream<S>>;

export interface Step<C = unknown, S = unknown, E extends DomainEvent = DomainEvent> {
  decider: Decider<C, S, E>;
  streamId: string;
  command: C;
  /** defaults to the version this attempt loaded for the stream; give 0 to insist on a new stream */
  expectedVersion?: ExpectedVersion;
}

/** Builds a Step with its command type-checked against its decider. */
export function step<C, S, E extends DomainEvent>(
  decider: Decider<C, S, E>,
  streamId: string,
  command: C,
  expectedVersion?: ExpectedVersion,
): Step<C, S, E> {
  return expectedVersion === undefined ? { decider, streamId, command } : { decider, streamId, command, expectedVersion };
}

export type Plan = (load: StreamLoader) => Promise<readonly Step[]>;

export interface ExecuteOptions {
  /** the stream whose version the result reports, If-Match is compared with and replays are found in */
  primaryStreamId: string;
  ifMatch?: number;
  /** how many times to re-run after a conflict (default 0); ignored when ifMatch is given */
  retryOnConflict?: number;
  /**
   * A hot stream every such command writes (a per-year ledger). Commands naming the same one run one at
   * a time within this process, so they do not conflict with each other; see KeyedSerializer. Its fold
   * is also kept between commands (see HotFold), so each command reads only what was appended since.
   */
  serializeOn?: string;
}

export type HandleOptions = Omit<ExecuteOptions, 'primaryStreamId'>;

export interface CommandResult {
  /** the events this command wrote (or, on replay, had written), in append order */
  events: StoredEvent[];
  /** every stream the command touched, with its version afterwards */
  streams: { streamId: string; version: number }[];
  /** the primary stream's version afterwards (the HTTP ETag) */
  version: number;
  /** the global position to wait for in read-your-writes queries (minPosition) */
  position: number;
  replayed: boolean;
}

export interface CommandHandlerOptions {
  /** the current schema version of an event type, e.g. `(t) => EVENT_SCHEMA_VERSIONS[t]` */
  schemaVersionOf: (type: string) => number;
  upcaster?: Upcaster;
}

/**
 * The fold of a hot stream (`serializeOn`: a per-year ledger that every registration or filing reads)
 * kept between commands. Without it every command re-reads and re-folds the whole year's register, so
 * the cost of a registration grows with the number registered before it in that year.
 *
 * Still exact: a stream is append-only with contiguous versions, so folding the events after version v
 * onto the fold of 1..v equals folding 1..v+k from the start (evolve is pure; the cached state and
 * events are never mutated, only extended into new objects). Each use re-reads from the last folded
 * event on and checks that it is still there with the same event id; if not (a log replaced under a
 * running process: a restore, a test reset) the stream is folded from the start. Events appended by
 * other processes are simply part of the tail. Streams with confidential parts are never kept: what a
 * read returns for them can change (erasure), and a hot stream has none.
 */
interface HotFold {
  decider: unknown;
  stream: LoadedStream<unknown>;
}

/** hot streams kept per handler (a few per-year ledgers are hot at a time); the least recently used goes first */
const HOT_FOLDS = 8;

export class CommandHandler {
  private readonly upcast: Upcaster;
  private readonly serial = new KeyedSerializer();
  private readonly hot = new Map<string, HotFold>();

  constructor(
    private readonly store: EventStore,
    private readonly options: CommandHandlerOptions,
  ) {
    this.upcast = options.upcaster ?? ((e) => e);
  }

  /** Read and fold one stream (for queries that need the write-side state, and for plans). */
  async load<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, streamId: string): Promise<LoadedStream<S>> {
    return this.fold(decider, await this.readUpcast(streamId));
  }

  /** One command on one stream. */
  async handle<C, S, E extends DomainEvent>(
    decider: Decider<C, S, E>,
    streamId: string,
    command: C,
    meta: CommandMeta,
    opts: HandleOptions = {},
  ): Promise<CommandResult> {
    return this.execute(
      meta,
      async () => [step(decider, streamId, command)],
      { ...opts, primaryStreamId: streamId },
    );
  }

  /** One command across several streams, appended atomically. */
  async execute(meta: CommandMeta, plan: Plan, opts: ExecuteOptions): Promise<CommandResult> {
    return opts.serializeOn ? this.serial.run(opts.serializeOn, () => this.executeWithRetries(meta, plan, opts)) : this.executeWithRetries(meta, plan, opts);
  }

  private async executeWithRetries(meta: CommandMeta, plan: Plan, opts: ExecuteOptions): Promise<CommandResult> {
    const retries = opts.ifMatch === undefined ? Math.max(0, Math.floor(opts.retryOnConflict ?? 0)) : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(meta, plan, opts);
      } catch (e) {
        if (!(e instanceof WrongExpectedVersionError) || attempt >= retries) throw e;
        // Jittered backoff before re-reading: several api replicas (or many requests in one) racing for
        // one hot stream (a yearly ledger) would otherwise retry in lock-step and exhaust the retries
        // together; a random pause of up to 2^attempt ms (max 64) spreads them out.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(64, 2 ** (attempt + 1))));
      }
    }
  }

  private async attempt(meta: CommandMeta, plan: Plan, opts: ExecuteOptions): Promise<CommandResult> {
    // one read per stream per attempt, shared by the replay check, If-Match and the plan's loads
    const read = new Map<string, Promise<StoredEvent[]>>();
    const readOnce = (streamId: string): Promise<StoredEvent[]> => {
      let p = read.get(streamId);
      if (!p) read.set(streamId, (p = this.readUpcast(streamId)));
      return p;
    };
    const primary = opts.primaryStreamId;

    if (meta.idempotencyKeyGiven || opts.ifMatch !== undefined) {
      const events = await readOnce(primary);
      if (meta.idempotencyKeyGiven) {
        const mine = events.filter((e) => e.metadata.causationId === meta.commandId);
        if (mine.length > 0) {
          const stored = mine[0]?.metadata.commandHash;
          if (meta.commandHash && stored && stored !== meta.commandHash) throw new IdempotencyKeyReusedError(primary, meta.commandId);
          return replay(primary, mine);
        }
      }
      const version = versionOf(events);
      if (opts.ifMatch !== undefined && opts.ifMatch !== version) {
        throw new WrongExpectedVersionError(primary, opts.ifMatch, version);
      }
    }

    const loaded = new Map<string, { decider: unknown; stream: LoadedStream<unknown> }>();
    const load: StreamLoader = async (decider, streamId) => {
      const stream = streamId === opts.serializeOn && !read.has(streamId) ? await this.loadHot(decider, streamId) : this.fold(decider, await readOnce(streamId));
      loaded.set(streamId, { decider, stream });
      return stream;
    };

    const steps = await plan(load);
    const touched: { streamId: string; version: number; position: number }[] = [];
    const appends: StreamAppend[] = [];
    for (const s of steps) {
      if (touched.some((t) => t.streamId === s.streamId) || appends.some((a) => a.streamId === s.streamId)) {
        throw new Error(`a command plan has two steps for stream ${s.streamId}; merge them into one command`);
      }
      const known = loaded.get(s.streamId);
      const stream = known && known.decider === s.decider ? known.stream : await load(s.decider, s.streamId);
      const decided = s.decider.decide(s.command, stream.state);
      if (decided.length === 0) {
        touched.push({ streamId: s.streamId, version: stream.version, position: lastPosition(stream.events) });
        continue;
      }
      appends.push({
        streamId: s.streamId,
        events: decided.map((d, i) => this.toNewEvent(d, meta, s.streamId, i)),
        expectedVersion: s.expectedVersion ?? stream.version,
      });
    }

    // The primary stream goes last, so its last event carries the command's highest position: a replay,
    // which only reads the primary stream, then reports the same position as the first answer did, and
    // a read with minPosition=<that position> sees every stream the command touched.
    appends.sort((a, b) => Number(a.streamId === primary) - Number(b.streamId === primary));
    const results = appends.length > 0 ? await this.store.appendMulti(appends) : [];
    const written: StoredEvent[] = [];
    for (const [i, r] of results.entries()) {
      const count = (appends[i] as StreamAppend).events.length;
      written.push(...(r.stored ?? (await this.readBack(r, count))));
      touched.push({ streamId: r.streamId, version: r.nextVersion, position: r.lastPosition });
    }

    const primaryTouched = touched.find((t) => t.streamId === primary);
    const version = primaryTouched?.version ?? versionOf(await readOnce(primary));
    const position = Math.max(0, ...touched.map((t) => t.position));
    return {
      events: written,
      streams: touched.map(({ streamId, version: v }) => ({ streamId, version: v })),
      version,
      position,
      // every append was an idempotent no-op at the store (same deterministic ids already stored)
      replayed: results.length > 0 && results.every((r) => !r.written),
    };
  }

  private async readBack(r: AppendResult, count: number): Promise<StoredEvent[]> {
    // for stores that do not return `stored` (test doubles), and for store-level idempotent no-ops
    return this.store.readStream(r.streamId, { fromVersion: r.nextVersion - count + 1, toVersion: r.nextVersion });
  }

  /**
   * Reads for folds and replays leave confidential parts out (`confidential: 'omit'`): a decider writes
   * them (the informant, a password hash) but never decides on them — evolve folds `data` only — and the
   * callers answer a replay from the events' data. Opening them would cost a data-key lookup, an unwrap
   * and a decryption per command on every lead with an informant, and would make a decision depend on
   * whether the stream's key was erased.
   */
  private async readUpcast(streamId: string, fromVersion?: number): Promise<StoredEvent[]> {
    return (await this.store.readStream(streamId, fromVersion === undefined ? { confidential: 'omit' } : { fromVersion, confidential: 'omit' })).map(this.upcast);
  }

  /** A hot stream's fold: the kept one extended by the events appended since, or a fresh one (HotFold). */
  private async loadHot<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, streamId: string): Promise<LoadedStream<S>> {
    const kept = this.hot.get(streamId);
    if (kept && kept.decider === decider) {
      const last = kept.stream.events[kept.stream.events.length - 1] as StoredEvent;
      const tail = await this.readUpcast(streamId, last.streamVersion);
      if (tail[0]?.eventId === last.eventId && tail.every((e) => e.confidential == null)) {
        let state = kept.stream.state as S;
        for (let i = 1; i < tail.length; i++) state = decider.evolve(state, toDomainEvent<E>(tail[i] as StoredEvent));
        const events = tail.length > 1 ? kept.stream.events.concat(tail.slice(1)) : kept.stream.events;
        return this.keepHot(streamId, decider, { state, version: versionOf(events), events });
      }
    }
    const stream = this.fold(decider, await this.readUpcast(streamId));
    if (stream.events.length > 0 && stream.events.every((e) => e.confidential == null)) return this.keepHot(streamId, decider, stream);
    this.hot.delete(streamId);
    return stream;
  }

  private keepHot<S>(streamId: string, decider: unknown, stream: LoadedStream<S>): LoadedStream<S> {
    this.hot.delete(streamId);
    this.hot.set(streamId, { decider, stream });
    if (this.hot.size > HOT_FOLDS) this.hot.delete(this.hot.keys().next().value as string);
    return stream;
  }

  private fold<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, events: StoredEvent[]): LoadedStream<S> {
    let state = decider.initialState;
    for (const e of events) state = decider.evolve(state, toDomainEvent<E>(e));
    return { state, version: versionOf(events), events };
  }

  private toNewEvent(d: DomainEvent, meta: CommandMeta, streamId: string, index: number): NewEvent {
    const e: NewEvent = {
      eventId: deterministicEventId(meta.commandId, streamId, index),
      type: d.type,
      schemaVersion: this.options.schemaVersionOf(d.type),
      data: d.data,
      metadata: metadataOf(meta),
    };
    if (d.confidential !== undefined) e.confidential = d.confidential;
    return e;
  }
}

function metadataOf(meta: CommandMeta): EventMetadata {
  const { userId, username, role, agency } = meta.ctx.actor;
  // copy field by field: whatever else rides on the actor object (a token, a session) stays out of the log
  const actor: ActorRef = agency === undefined ? { userId, username, role } : { userId, username, role, agency };
  return {
    occurredAt: meta.ctx.at,
    actor,
    correlationId: meta.correlationId ?? meta.commandId,
    causationId: meta.commandId,
    ...(meta.commandHash ? { commandHash: meta.commandHash } : {}),
  };
}

function toDomainEvent<E extends DomainEvent>(e: StoredEvent): E {
  // the store cannot know the union E; the event type string is the persisted contract that selects it
  const d: DomainEvent = e.confidential == null ? { type: e.type, data: e.data } : { type: e.type, data: e.data, confidential: e.confidential };
  return d as E;
}

function versionOf(events: readonly StoredEvent[]): number {
  return events.length === 0 ? 0 : (events[events.length - 1] as StoredEvent).streamVersion;
}

function lastPosition(events: readonly StoredEvent[]): number {
  return events.length === 0 ? 0 : (events[events.length - 1] as StoredEvent).position;
}

function replay(streamId: string, mine: StoredEvent[]): CommandResult {
  const last = mine[mine.length - 1] as StoredEvent;
  return {
    events: mine,
    streams: [{ streamId, version: last.streamVersion }],
    version: last.streamVersion,
    position: last.position,
    replayed: true,
  };
}
