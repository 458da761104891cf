import { createHash } from 'node:crypto';
import { type Client, DatabaseError, Pool, type PoolClient } from 'pg';
import { decideAppend, notifyListeners, validateAppends, type StoredRef } from '../append.rules';
import type { AppendResult, EventMetadata, ExpectedVersion, NewEvent, StoredEvent, StreamAppend } from '../event-envelope';
import type { EventStore } from '../event-store.port';
import { ChainBuilder } from '../integrity/event-hash';
import type { IntegrityLog } from '../integrity/integrity-log';
import { chainExistingPostgresEvents, postgresCheckpointsDdl, PostgresIntegrityLog } from '../integrity/postgres-integrity-log';

/**
 * The single-node production store on PostgreSQL (`pg` Pool).
 *
 * ── Why a follower never skips a late commit ─────────────────────────────────────────────────────────
 * The classic trap: with a sequence default, transaction A takes position 7, B takes 8, B commits, a
 * follower reads "position > 6", sees 8 and moves its checkpoint to 8; then A commits 7, which the
 * follower never reads. (postgres-event-store.int-spec.ts reproduces this on a naive table.)
 *
 * We serialize appends: every append transaction first takes `pg_advisory_xact_lock(<key of this
 * schema>)`, and only then, in a LATER statement (READ COMMITTED: a fresh snapshot after the lock was
 * granted), reads the head and allocates positions head+1…head+n. PostgreSQL releases transaction-level
 * locks at the very end of CommitTransaction — after the commit record is flushed and after the
 * transaction is marked committed in the proc array (visible to new snapshots). So when the next append
 * gets the lock, the previous one is already visible; its positions are all higher; commit order equals
 * position order. Any snapshot that sees position p therefore also sees every committed position < p,
 * and a rolled-back append leaves no gap (nothing was consumed). This also holds across processes (an
 * api and a projector, or two api replicas) because the lock lives in the database.
 *
 * The alternative — keep a sequence, record the transaction id, and let followers read only below the
 * oldest running transaction's xmin (Emmett, Marten) — allows parallel appends but makes every follower
 * query more complex and lags followers behind long transactions. Serializing costs parallelism, which
 * group commit (below) buys back: the lock is taken once per BATCH, not once per append.
 *
 * ── Group commit ─────────────────────────────────────────────────────────────────────────────────────
 * Appends made while a batch is being committed queue up and are committed together in the next single
 * transaction (one lock, one head read, one multi-row insert, one fsync). Each queued call keeps its own
 * expected-version check, evaluated against the batch-local view (committed state + earlier winners of
 * the same batch); losers are rejected with WrongExpectedVersionError and contribute nothing, winners
 * are resolved after COMMIT. There is no timer: a lone writer's append is flushed immediately, so
 * batching adds no latency; it only forms when writers are already waiting. If a batch transaction fails
 * as a whole (e.g. one append carries a value PostgreSQL refuses), its calls are retried one per
 * transaction so only the culprit fails. `groupCommit: false` gives one transaction per call on its own
 * pooled connection (still serialized by the lock) — kept for benchmarking and for the proof test.
 *
 * ── Speculative batches: one round trip, and the lock never waits for this process ───────────────────
 * The plain batch needs two round trips (lock + read the view; then insert + COMMIT), and the lock is held
 * across the second one and across whatever this process does in between (deciding, hashing; on a busy
 * machine, waiting for the event loop). With group commit on, a batch is instead DECIDED IN ADVANCE
 * against what this process knows — the log's head (position, hash, recordedAt) after its own last
 * commit, and the version and last hash of the streams it recently wrote or read (an LRU cache) — and
 * sent as ONE pipelined message: BEGIN; lock; one statement that re-checks every assumption under the
 * lock and inserts only if all hold; COMMIT. The assumptions checked are exactly the inputs of the
 * decisions: the head position and its hash (so nobody appended since), the version of every stream any
 * call of the batch touches (0 = absent), and the absence of every event id the batch assumed unstored.
 * If they hold, the batch is, row for row, what the plain path would have written after reading the same
 * view: same decisions (winners, losers, idempotent answers), same positions, same hashes. If one fails
 * (another process appended; a stale cache entry; an idempotent repeat of an old command), the statement
 * writes nothing, the empty transaction commits without a WAL flush, and the batch is run again through
 * the plain path, which reads the real view; after repeated misses the plain path is used for a while
 * (a back-off), so several writer processes on one log degrade to the plain path, not below it.
 * While one speculative batch commits, the next is already decided on top of it and queued behind it on
 * the same connection, so its backend takes the lock the moment the first commits, without a round trip
 * to this process; if the earlier one fails, the later one's head check fails too and both are re-run.
 * Ordering is unchanged: every batch, speculative or not, still takes the advisory lock before it reads
 * or writes, so commit order is still position order.
 * A speculative batch stamps recordedAt with this process's clock (milliseconds, as the port returns it),
 * never earlier than the head's recordedAt it checked; the plain path uses the database clock, never
 * earlier than the head's recordedAt either, so recordedAt still never decreases along positions even
 * when the two clocks differ.
 *
 * ── Storage notes ────────────────────────────────────────────────────────────────────────────────────
 * data/metadata/confidential are jsonb: queryable and compact, but jsonb normalizes (key order,
 * duplicate keys, whitespace, number spelling) and refuses \u0000 in strings. The hash chain
 * (integrity/event-hash.ts) therefore hashes a canonical serialization of the PARSED values, never the
 * stored text. Hashes are computed here, in batch order, from the view read right after the lock (last
 * event's hash, each touched stream's last hash, and the clock): no extra round trip.
 * Positions are BIGINT; they are returned as JS numbers (exact up to 2^53, far beyond any county log).
 */
export interface PostgresEventStoreOptions {
  connectionString: string;
  /** a dedicated PostgreSQL schema (default 'coord_events'); tests use a fresh one each */
  schema?: string;
  /** read pool size (default 10); appends use one more connection with group commit, or up to poolSize more without */
  poolSize?: number;
  /** default true, see the class comment */
  groupCommit?: boolean;
  /** upper bound of calls per batch transaction (default 500) */
  maxBatch?: number;
  /** with group commit: decide batches in advance, one round trip each (default true; see the class comment) */
  speculate?: boolean;
}

export interface PostgresEventStoreStats {
  /** append transactions committed */
  transactions: number;
  /** append calls (append/appendMulti) that wrote events */
  writtenCalls: number;
  /** of the transactions, those decided in advance (one round trip, see the class comment) */
  speculated: number;
  /** speculative batches whose assumptions did not hold (nothing written; re-run on the plain path) */
  missedSpeculations: number;
}

/** 1: events + streams; 2: hash chain + checkpoints (existing events chained once at upgrade) */
const SCHEMA_VERSION = 2;
/** first half of the advisory lock key: 'coor'; the second half is derived from the schema name */
const LOCK_CLASS = 0x636f6f72;

interface Pending {
  appends: readonly StreamAppend[];
  resolve: (r: AppendResult[]) => void;
  reject: (e: unknown) => void;
}

/** The last event of the log as this process knows it: what the next batch is chained to. */
interface Tip {
  position: number;
  hash: string | null;
  /** its recordedAt ('' for an empty log) */
  recordedAt: string;
}

interface StreamHead {
  version: number;
  /** hash of the stream's last event */
  hash: string | null;
}

/** What a batch's calls are decided against. */
interface BatchView {
  /** the stream's version before the batch, or undefined when it cannot be known (speculation then gives up) */
  version(a: StreamAppend): number | undefined;
  /** hash of the stream's last event before the batch (null for a new stream) */
  streamHash(streamId: string): string | null;
  /** where an event id is stored, if it is */
  lookup(eventId: string): StoredRef | undefined;
}

/** A batch decided: rows to insert, and what to tell each call once the rows are committed. */
interface DecidedBatch {
  rows: Rows;
  /** streams written → their version after the batch */
  versions: Map<string, number>;
  /** position of the batch's last event (the head if it writes nothing) */
  head: number;
  settle: (() => void)[];
  deferred: Pending[];
}

/** A speculative batch on the wire. */
interface Speculation {
  batch: Pending[];
  decided: DecidedBatch;
  /** the log's last event once it commits */
  tip: Tip;
  /** streams it writes → their head once it commits */
  heads: Map<string, StreamHead>;
  /** event ids it writes → where (so a later batch decided on top of it sees them stored) */
  ids: Map<string, StoredRef>;
  outcome: Promise<'ok' | 'miss' | { error: unknown }>;
}

/**
 * Batches on the wire at a time, on ONE connection: while the first commits, the next is already in its
 * backend's input, so the lock passes from one to the next inside PostgreSQL, and they cannot reach the
 * lock out of order (two connections could: the later batch would then fail its head check for nothing).
 */
const MAX_SPECULATING = 2;
/** streams whose version and last hash are remembered for speculation */
const STREAM_CACHE_SIZE = 10_000;
/** after n consecutive misses, the next min(2^n, this) batches take the plain path */
const MAX_BACKOFF = 64;

interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: unknown;
  confidential: Record<string, unknown> | null;
  metadata: EventMetadata;
  recorded_at: Date;
}

const COLUMNS = 'position, event_id, stream_id, stream_version, type, schema_version, data, confidential, metadata, recorded_at';

export class PostgresEventStore implements EventStore {
  private readonly listeners = new Set<(lastPosition: number) => void>();
  private readonly queue: Pending[] = [];
  private draining: Promise<void> | null = null;
  private inFlight = new Set<Promise<void>>();
  private closed = false;
  private readonly counters: PostgresEventStoreStats = { transactions: 0, writtenCalls: 0, speculated: 0, missedSpeculations: 0 };
  private readonly q: ReturnType<typeof queries>;
  /** speculation state (group commit only): undefined until a plain batch has read the head, and after a miss */
  private tip: Tip | undefined;
  private readonly streamHeads = new Map<string, StreamHead>();
  private readonly speculating: Speculation[] = [];
  private consecutiveMisses = 0;
  /** the connection the speculative batches are pipelined on, kept while the store is open */
  private speculationClient: Promise<PoolClient> | undefined;
  /** set while the loop waits for the next call (see drain) */
  private wake: (() => void) | undefined;
  private plainBatchesBeforeSpeculating = 0;

  private constructor(
    private readonly pool: Pool,
    /** pipelined connections for append transactions (pg >= 8.22 pipeline mode: fewer round trips) */
    private readonly appendPool: Pool,
    readonly schema: string,
    private readonly groupCommit: boolean,
    private readonly maxBatch: number,
    private readonly speculate: boolean,
  ) {
    this.q = queries(schema);
  }

  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'coord_events';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`invalid schema name: ${schema}`);
    const size = Math.max(2, options.poolSize ?? 10);
    const groupCommit = options.groupCommit ?? true;
    const pool = new Pool({ connectionString: options.connectionString, max: size });
    // group commit: one append connection for the plain batches and one kept for the speculative ones
    // (their pipeline); without it, appends run in parallel and wait for each other on the lock in the database
    const appendPool = new Pool({ connectionString: options.connectionString, max: groupCommit ? 2 : size, pipeline: true });
    // enable_seqscan=off on the append connections only: their statements are prepared once per connection,
    // and PostgreSQL keeps the generic plan it built while the tables were small (a fresh store) for the
    // connection's life — a sequential scan of events for the head and the id checks, slower with every
    // append (measured: a fresh store's appends fell to a third within 4,000 events; autovacuum's ANALYZE
    // would replan, but need not run). Every lookup these statements make has its index; this makes the
    // planner take it whatever the size. Issued on connect, so it is the connection's first statement.
    appendPool.on('connect', (client) => {
      void client.query('SET enable_seqscan = off').catch(() => undefined);
    });
    // an idle client that loses its connection emits 'error' on the pool; without a handler that would
    // crash the process. pg discards the broken client and the next checkout reconnects.
    pool.on('error', () => undefined);
    appendPool.on('error', () => undefined);
    try {
      await migrate(pool, schema);
    } catch (e) {
      await Promise.all([pool.end(), appendPool.end()]);
      throw e;
    }
    return new PostgresEventStore(pool, appendPool, schema, groupCommit, Math.max(1, options.maxBatch ?? 500), groupCommit && (options.speculate ?? true));
  }

  /** The advisory lock every append transaction takes (pg_advisory_xact_lock(classId, objId)); for operators and tests. */
  get appendLockKey(): { classId: number; objId: number } {
    return { classId: LOCK_CLASS, objId: lockKeyOf(this.schema) };
  }

  /** Counters for benchmarks and the group-commit test. */
  stats(): PostgresEventStoreStats {
    return { ...this.counters };
  }

  async append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    const [result] = await this.appendMulti([{ streamId, events, expectedVersion }]);
    return result as AppendResult;
  }

  async appendMulti(appends: StreamAppend[]): Promise<AppendResult[]> {
    this.assertOpen();
    validateAppends(appends);
    return new Promise<AppendResult[]>((resolve, reject) => {
      const p: Pending = { appends, resolve, reject };
      if (this.groupCommit) {
        this.queue.push(p);
        this.draining ??= this.drain();
        this.wake?.();
      } else {
        const run = this.flushIsolated([p]);
        this.inFlight.add(run);
        void run.finally(() => this.inFlight.delete(run));
      }
    });
  }

  /** The group-commit loop: calls arriving while a batch is in flight form the next batch. */
  private async drain(): Promise<void> {
    try {
      for (;;) {
        if (this.queue.length > 0 && this.speculating.length < MAX_SPECULATING) {
          const batch = this.queue.splice(0, this.maxBatch);
          const speculation = this.trySpeculation(batch);
          if (speculation) {
            this.speculating.push(speculation);
            continue;
          }
          // the plain path reads the real state: let what is already on the wire settle first
          while (this.speculating.length > 0) await this.settleOldestSpeculation();
          await this.flushIsolated(batch);
          continue;
        }
        if (this.speculating.length === 0) break; // and the queue is empty
        if (this.queue.length === 0 && this.speculating.length < MAX_SPECULATING) {
          // room for one more batch: send it as soon as calls arrive, so that it waits on the lock while
          // the one before commits, rather than after that one's answer has come back here
          const arrived = await new Promise<boolean>((resolve) => {
            this.wake = () => resolve(true);
            void (this.speculating[0] as Speculation).outcome.then(() => resolve(false));
          });
          this.wake = undefined;
          if (arrived) {
            // writers woken by the same commit queue their next calls in the same tick: one batch for all
            await new Promise((resolve) => setImmediate(resolve));
            continue;
          }
        }
        await this.settleOldestSpeculation();
      }
    } finally {
      this.draining = null;
    }
  }

  /** Flush a batch; if the transaction fails as a whole, retry its calls one by one to isolate the culprit. Never throws. */
  private async flushIsolated(batch: Pending[]): Promise<void> {
    try {
      const deferred = await this.flush(batch);
      if (deferred.length > 0) {
        // calls repeating ids a batch-mate just wrote: run them after, where they see those ids stored
        if (this.groupCommit) {
          this.queue.unshift(...deferred);
        } else {
          await this.flushIsolated(deferred);
        }
      }
    } catch (err) {
      if (batch.length === 1) (batch[0] as Pending).reject(err);
      else for (const p of batch) await this.flushIsolated([p]);
    }
  }

  /**
   * Decide a batch's calls in order against `view` plus the batch's own earlier winners, building the rows
   * (positions from head + 1, hash chain from the view). Each call keeps its own expected-version check;
   * a loser is rejected (after commit) and contributes nothing. Calls repeating ids a batch-mate writes
   * are deferred. Returns undefined if the view cannot tell a stream's version (speculation only).
   */
  private decideBatch(batch: Pending[], view: BatchView, head: number, rows: Rows): DecidedBatch | undefined {
    const versions = new Map<string, number>();
    const batchIds = new Set<string>();
    const deferred: Pending[] = [];
    const settle: (() => void)[] = [];
    for (const p of batch) {
      if (p.appends.some((a) => a.events.some((e) => batchIds.has(e.eventId)))) {
        deferred.push(p);
        continue;
      }
      // decide the call against the batch-local view; commit its effects to the view only if all its streams pass
      const local = new Map<string, number>();
      const planned: ({ kind: 'noop'; result: AppendResult } | { kind: 'write'; a: StreamAppend; fromVersion: number })[] = [];
      let failure: unknown;
      for (const a of p.appends) {
        const current = local.get(a.streamId) ?? versions.get(a.streamId) ?? view.version(a);
        if (current === undefined) return undefined;
        try {
          const d = decideAppend(a, current, (id) => view.lookup(id));
          if (d.kind === 'noop') planned.push(d);
          else {
            planned.push({ kind: 'write', a, fromVersion: d.fromVersion });
            local.set(a.streamId, d.fromVersion + a.events.length - 1);
          }
        } catch (e) {
          failure = e;
          break;
        }
      }
      if (failure !== undefined) {
        const e = failure;
        settle.push(() => p.reject(e));
        continue;
      }
      for (const [s, v] of local) versions.set(s, v);
      const results = planned.map((x): AppendResult => {
        if (x.kind === 'noop') return x.result;
        const storedEvents = x.a.events.map((e, i) => {
          batchIds.add(e.eventId);
          return rows.add(++head, e, x.a.streamId, x.fromVersion + i);
        });
        const last = storedEvents[storedEvents.length - 1] as StoredEvent;
        return { streamId: x.a.streamId, nextVersion: last.streamVersion, lastPosition: last.position, written: true, stored: storedEvents };
      });
      const wrote = planned.some((x) => x.kind === 'write');
      settle.push(() => {
        if (wrote) this.counters.writtenCalls++;
        p.resolve(results);
      });
    }
    return { rows, versions, head, settle, deferred };
  }

  /**
   * The plain path: one append transaction for a batch of calls, deciding against the view read under the
   * lock. Settles the calls it decided (after COMMIT) and returns the ones it deferred. Throws (having
   * rolled back, settled nothing) if the transaction fails.
   */
  private async flush(batch: Pending[]): Promise<Pending[]> {
    const client = await this.appendPool.connect();
    let broken: Error | undefined;
    try {
      const streamIds = [...new Set(batch.flatMap((p) => p.appends.map((a) => a.streamId)))];
      const eventIds = batch.flatMap((p) => p.appends.flatMap((a) => a.events.map((e) => e.eventId)));
      // One round trip (pipelined). The view is a SEPARATE statement after the lock statement: under
      // READ COMMITTED its snapshot is taken once the lock is granted, so it sees every earlier append
      // committed. (Folding the lock into the same statement would read a snapshot from before the wait.)
      const [, view] = await Promise.all([
        client.query(this.q.beginLocked),
        client.query<{ k: string; id: string | null; n: number | null; p: string | null; sid: string | null; h: string | null; t: Date | null; ht: Date | null }>({
          name: this.q.names.view,
          text: this.q.view,
          values: [streamIds, eventIds],
        }),
      ]);
      const versions = new Map<string, number>();
      const stored = new Map<string, StoredRef>();
      const streamHashes = new Map<string, string | null>();
      let tip: Tip = { position: 0, hash: null, recordedAt: '' };
      let clock = new Date();
      for (const r of view.rows) {
        if (r.k === 's') {
          versions.set(r.id as string, r.n as number);
          streamHashes.set(r.id as string, r.h);
        } else if (r.k === 'e') stored.set(r.id as string, { streamId: r.sid as string, streamVersion: r.n as number, position: Number(r.p) });
        else {
          tip = { position: Number(r.p), hash: r.h, recordedAt: r.ht === null ? '' : r.ht.toISOString() };
          clock = r.t as Date;
        }
      }

      // recordedAt: clock_timestamp() read by the view, i.e. after the advisory lock was granted (so it
      // follows position order across batches; never earlier than the head's, see the class comment), in
      // the millisecond precision the port returns — the hash covers it, so it must be known before the
      // insert and stored exactly as hashed
      const rows = new Rows(clock.toISOString(), new ChainBuilder(tip.hash, (s) => streamHashes.get(s) ?? null));
      const decided = this.decideBatch(
        batch,
        { version: (a) => versions.get(a.streamId) ?? 0, streamHash: (s) => streamHashes.get(s) ?? null, lookup: (id) => stored.get(id) },
        tip.position,
        rows,
      ) as DecidedBatch; // this view knows every version

      // insert and COMMIT in one pipelined round trip; COMMIT releases the advisory lock after this
      // commit is visible. If the insert fails, PostgreSQL answers the COMMIT with a rollback.
      if (rows.length > 0) {
        await Promise.all([
          client.query({ name: this.q.names.insert, text: this.q.insert, values: rows.params(decided.versions) }),
          client.query('COMMIT'),
        ]);
      } else {
        await client.query('COMMIT');
      }
      this.counters.transactions++;
      if (this.speculate) {
        // what was read under the lock and written is now committed: the next batch may be decided on it
        for (const [s, v] of versions) this.rememberStream(s, { version: v, hash: streamHashes.get(s) ?? null });
        this.learn(rows, decided.versions, rows.length > 0 ? { position: decided.head, hash: rows.lastHash(), recordedAt: rows.recordedAt } : tip);
      }
      for (const s of decided.settle) s();
      if (rows.length > 0) notifyListeners(this.listeners, decided.head);
      return decided.deferred;
    } catch (e) {
      broken = e instanceof Error ? e : new Error(String(e));
      try {
        await client.query('ROLLBACK');
        broken = undefined; // the connection is fine; the error was the statement's
      } catch {
        // connection gone: release(broken) below destroys it
      }
      throw e;
    } finally {
      client.release(broken);
    }
  }

  /** Record a committed batch's effects in the speculation state. */
  private learn(rows: Rows, versions: Map<string, number>, tip: Tip): void {
    const hashes = rows.lastHashByStream();
    for (const [s, v] of versions) this.rememberStream(s, { version: v, hash: hashes.get(s) ?? null });
    this.tip = tip;
  }

  private rememberStream(streamId: string, head: StreamHead): void {
    // re-inserted at the end: the Map's insertion order is the LRU order
    this.streamHeads.delete(streamId);
    this.streamHeads.set(streamId, head);
    if (this.streamHeads.size > STREAM_CACHE_SIZE) this.streamHeads.delete(this.streamHeads.keys().next().value as string);
  }

  /**
   * Decide `batch` on top of what this process knows (the committed tip and stream cache, plus the batches
   * already on the wire) and send it as one pipelined transaction that checks those assumptions under the
   * lock. Returns undefined (nothing sent, the batch still unsettled) when speculation is off, backing off,
   * or the batch depends on something unknown here: a stream neither cached nor expected to be new.
   */
  private trySpeculation(batch: Pending[]): Speculation | undefined {
    if (!this.speculate || this.tip === undefined) return undefined;
    if (this.plainBatchesBeforeSpeculating > 0) {
      this.plainBatchesBeforeSpeculating--;
      return undefined;
    }
    const onWire = this.speculating;
    const base = onWire.length > 0 ? (onWire[onWire.length - 1] as Speculation).tip : this.tip;
    const headOf = (streamId: string): StreamHead | undefined => {
      for (let i = onWire.length - 1; i >= 0; i--) {
        const h = (onWire[i] as Speculation).heads.get(streamId);
        if (h) return h;
      }
      return this.streamHeads.get(streamId);
    };
    // the checks sent along: each stream's version as assumed (0 = absent), each id assumed not stored
    // (all of them, not only the written ones: a call decided as losing its version check writes nothing,
    // so no unique constraint would notice that its ids were stored and the answer is an idempotent no-op)
    const assumedVersions = new Map<string, number>();
    const assumedAbsent: string[] = [];
    const view: BatchView = {
      version: (a) => {
        const known = headOf(a.streamId);
        // unknown here: a new stream if the caller expects one (checked), otherwise not decidable in advance
        const v = known ? known.version : a.expectedVersion === 0 ? 0 : undefined;
        if (v !== undefined && !assumedVersions.has(a.streamId)) assumedVersions.set(a.streamId, v);
        return v;
      },
      streamHash: (s) => headOf(s)?.hash ?? null,
      lookup: (id) => {
        for (let i = onWire.length - 1; i >= 0; i--) {
          const ref = (onWire[i] as Speculation).ids.get(id);
          if (ref) return ref; // written by a batch on the wire: the head check below covers it
        }
        assumedAbsent.push(id);
        return undefined;
      },
    };
    // never earlier than the head it links to (a clock behind the database's, or one that stepped back)
    const now = new Date().toISOString();
    const rows = new Rows(now > base.recordedAt ? now : base.recordedAt, new ChainBuilder(base.hash, (s) => view.streamHash(s)));
    let decided: DecidedBatch | undefined;
    try {
      decided = this.decideBatch(batch, view, base.position, rows);
    } catch {
      // a call the store cannot serialize (no metadata, a BigInt in data…): the plain path fails it alone
      return undefined;
    }
    if (decided === undefined || rows.length === 0) return undefined; // nothing to write: the plain path answers

    const heads = new Map<string, StreamHead>();
    const lastHashes = rows.lastHashByStream();
    for (const [s, v] of decided.versions) heads.set(s, { version: v, hash: lastHashes.get(s) ?? null });
    const ids = new Map<string, StoredRef>();
    for (const e of rows.stored()) ids.set(e.eventId, { streamId: e.streamId, streamVersion: e.streamVersion, position: e.position });
    const values = [
      ...rows.params(decided.versions),
      base.position,
      base.hash,
      assumedAbsent,
      [...assumedVersions.keys()],
      [...assumedVersions.values()],
    ];
    if (decided.deferred.length > 0) this.queue.unshift(...decided.deferred);
    return {
      batch: batch.filter((p) => !decided.deferred.includes(p)),
      decided,
      tip: { position: decided.head, hash: rows.lastHash(), recordedAt: rows.recordedAt },
      heads,
      ids,
      outcome: this.sendSpeculation(values),
    };
  }

  /**
   * BEGIN; lock; check-and-insert; COMMIT in one round trip, on the speculation connection (batches
   * queue behind each other on it, in order). Never rejects.
   */
  private async sendSpeculation(values: unknown[]): Promise<'ok' | 'miss' | { error: unknown }> {
    let client: PoolClient;
    try {
      // the first of several batches sent at once opens the connection; the others wait for the same
      // promise and, resumed in the order they awaited it, issue their queries in batch order
      client = await (this.speculationClient ??= this.appendPool.connect());
    } catch (error) {
      this.speculationClient = undefined;
      return { error };
    }
    try {
      // the three queries leave in one write (one segment on the wire, one wake-up of the backend)
      // instead of one write per query: pg's pipeline mode writes each query as it is issued
      const socket = (client as unknown as Client).connection.stream;
      socket.cork();
      let sent;
      try {
        sent = Promise.all([
          client.query(this.q.beginLocked),
          client.query<{ ok: boolean }>({ name: this.q.names.speculate, text: this.q.speculate, values }),
          // ends the transaction whatever happened before it: a failed check wrote nothing and commits
          // empty (no WAL flush); after a failed statement PostgreSQL answers it with a rollback. So the
          // next batch, already behind it on this connection, always starts outside a transaction.
          client.query('COMMIT'),
        ]);
      } finally {
        socket.uncork();
      }
      const [, checked] = await sent;
      return checked.rows[0]?.ok === true ? 'ok' : 'miss';
    } catch (error) {
      // a statement PostgreSQL refused leaves the connection fine; anything else (the connection is gone)
      // discards it, and the next speculation opens another
      if (!(error instanceof DatabaseError) && this.speculationClient !== undefined) {
        const broken = this.speculationClient;
        this.speculationClient = undefined;
        void broken.then((c) => c.release(error instanceof Error ? error : new Error(String(error)))).catch(() => undefined);
      }
      return { error };
    }
  }

  /**
   * Wait for the oldest batch on the wire. Committed: settle its calls. Missed or failed: every later batch
   * on the wire was decided on top of it and must fail its head check too, so wait for them all, then
   * re-run the missed calls through the plain path (queue front, original order) and isolate the calls of
   * a failed transaction one per transaction, as the plain path does.
   */
  private async settleOldestSpeculation(): Promise<void> {
    const first = this.speculating.shift() as Speculation;
    const outcome = await first.outcome;
    if (outcome === 'ok') {
      this.counters.transactions++;
      this.counters.speculated++;
      this.consecutiveMisses = 0;
      this.learn(first.decided.rows, first.decided.versions, first.tip);
      for (const s of first.decided.settle) s();
      notifyListeners(this.listeners, first.decided.head);
      return;
    }
    const rerun: Pending[] = [];
    const isolate: Pending[][] = [];
    const account = (s: Speculation, o: Awaited<Speculation['outcome']>) => {
      if (o === 'ok') {
        // cannot happen (its head check names a batch that did not commit); were it so, it committed
        this.counters.transactions++;
        this.counters.speculated++;
        for (const settle of s.decided.settle) settle();
        notifyListeners(this.listeners, s.decided.head);
        return;
      }
      for (const p of s.batch) for (const a of p.appends) this.streamHeads.delete(a.streamId);
      if (o === 'miss') {
        this.counters.missedSpeculations++;
        rerun.push(...s.batch);
      } else isolate.push(s.batch);
    };
    account(first, outcome);
    while (this.speculating.length > 0) {
      const next = this.speculating.shift() as Speculation;
      account(next, await next.outcome);
    }
    this.tip = undefined; // unknown until the plain path reads it again
    this.consecutiveMisses++;
    this.plainBatchesBeforeSpeculating = Math.min(MAX_BACKOFF, 2 ** (this.consecutiveMisses - 1));
    for (const batch of isolate) for (const p of batch) await this.flushIsolated([p]);
    this.queue.unshift(...rerun);
  }

  /** Raw access for the integrity tooling (verify, checkpoints), on this store's read pool. */
  integrityLog(): IntegrityLog {
    this.assertOpen();
    return new PostgresIntegrityLog(this.pool, this.schema);
  }

  async readStream(streamId: string, options: { fromVersion?: number; toVersion?: number } = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const r = await this.pool.query<EventRow>(this.q.readStream, [
      streamId,
      options.fromVersion ?? 1,
      Math.min(options.toVersion ?? 2_147_483_647, 2_147_483_647),
    ]);
    return r.rows.map(fromRow);
  }

  async streamVersion(streamId: string): Promise<number> {
    this.assertOpen();
    const r = await this.pool.query<{ version: number }>(this.q.streamVersion, [streamId]);
    return r.rows[0]?.version ?? 0;
  }

  async readAll(after: number, limit: number): Promise<StoredEvent[]> {
    this.assertOpen();
    const r = await this.pool.query<EventRow>(this.q.readAll, [after, limit]);
    return r.rows.map(fromRow);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    // max(position), not the sequence-style "last allocated": with appends serialized, every visible
    // position is committed and nothing below it can still appear
    const r = await this.pool.query<{ head: string | null }>(this.q.head);
    return Number(r.rows[0]?.head ?? 0);
  }

  onAppended(listener: (lastPosition: number) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Waits for queued appends to settle, then closes the pool. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.draining || this.inFlight.size > 0) {
      await Promise.all([this.draining, ...this.inFlight]);
    }
    this.listeners.clear();
    const speculation = this.speculationClient;
    this.speculationClient = undefined;
    if (speculation) await speculation.then((c) => c.release()).catch(() => undefined);
    await Promise.all([this.pool.end(), this.appendPool.end()]);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('PostgresEventStore is closed');
  }
}

/**
 * The rows of one multi-row insert (one round trip however large the batch), sent as ONE JSON array that
 * PostgreSQL expands with jsonb_to_recordset: each row's data, metadata and confidential texts are
 * embedded as they are (they are JSON already), where a text[] / jsonb[] parameter would have every
 * element escaped here and unescaped there. Same rows, same values: jsonb_to_recordset hands the jsonb
 * columns over as parsed, in array order; a JSON null there arrives as SQL NULL, which the insert maps
 * back to JSON null for data and metadata (confidential is SQL NULL when absent, as before).
 */
class Rows {
  private readonly json: string[] = [];
  private readonly streamIds: string[] = [];
  private readonly hashes: string[] = [];
  private readonly out: StoredEvent[] = [];

  constructor(
    readonly recordedAt: string,
    private readonly chain: ChainBuilder,
  ) {}

  get length(): number {
    return this.out.length;
  }

  stored(): readonly StoredEvent[] {
    return this.out;
  }

  /** hash of the last row (the batch's new head) */
  lastHash(): string | null {
    return this.hashes[this.hashes.length - 1] ?? null;
  }

  /** each written stream → hash of its last row */
  lastHashByStream(): Map<string, string> {
    const m = new Map<string, string>();
    this.streamIds.forEach((s, i) => m.set(s, this.hashes[i] as string));
    return m;
  }

  add(position: number, e: NewEvent, streamId: string, streamVersion: number): StoredEvent {
    const data = JSON.stringify(e.data ?? null);
    const confidential = e.confidential == null ? null : JSON.stringify(e.confidential);
    const metadata = JSON.stringify(e.metadata);
    const occurredAt = e.metadata.occurredAt;
    // re-parsed from the serialized text so the result equals what a later read returns
    const s: StoredEvent = {
      eventId: e.eventId,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: JSON.parse(data) as unknown,
      metadata: JSON.parse(metadata) as EventMetadata,
      streamId,
      streamVersion,
      position,
      recordedAt: this.recordedAt,
    };
    if (confidential !== null) s.confidential = JSON.parse(confidential) as Record<string, unknown>;
    // in batch order, which is position order: each event links to the one allocated just before it
    const hash = this.chain.next({ ...s, confidential: s.confidential ?? null });
    // JSON.stringify of the scalars: strings escaped, a missing value written as null (refused by the
    // NOT NULL columns, as a NULL array element was); schemaVersion and the texts above are JSON already
    this.json.push(
      `{"p":${position},"e":${json(e.eventId)},"s":${json(streamId)},"v":${streamVersion},"t":${json(e.type)},"sv":${json(e.schemaVersion)},` +
        `"d":${data},"c":${confidential ?? 'null'},"m":${metadata},"o":${json(occurredAt)},"h":"${hash}"}`,
    );
    this.streamIds.push(streamId);
    this.hashes.push(hash);
    this.out.push(s);
    return s;
  }

  params(versions: Map<string, number>): unknown[] {
    // only streams this batch wrote to, once each (ON CONFLICT cannot touch a row twice per statement)
    const touched = [...new Set(this.streamIds)];
    return [`[${this.json.join(',')}]`, touched, touched.map((s) => versions.get(s) as number), this.recordedAt];
  }
}

/** JSON text of a scalar; undefined (which JSON.stringify returns no text for) as null. */
const json = (v: unknown): string => JSON.stringify(v) ?? 'null';

/** The SELECT that expands Rows.params()'s JSON array ($rows) into the events table's columns. */
const rowsOf = (rows: string, recordedAt: string) => `
        SELECT r.p, r.e, r.s, r.v, r.t, r.sv, COALESCE(r.d, 'null'::jsonb), r.c, COALESCE(r.m, 'null'::jsonb), r.o, r.h, ${recordedAt}::timestamptz
          FROM jsonb_to_recordset(${rows}::jsonb) AS r(p bigint, e text, s text, v int, t text, sv int, d jsonb, c jsonb, m jsonb, o timestamptz, h text)`;

function queries(schema: string) {
  const t = (name: string) => `"${schema}".${name}`;
  // prepared once per connection (parse and plan saved on every batch); names differ per schema
  const tag = (lockKeyOf(schema) >>> 0).toString(36);
  return {
    // BEGIN and the append lock in one simple-protocol query (two statements, the key inlined: two integers
    // of ours); the statement after it, a separate query, takes its snapshot once the lock is granted
    beginLocked: `BEGIN; SELECT pg_advisory_xact_lock(${LOCK_CLASS}, ${lockKeyOf(schema)})`,
    // '2': the statements' text changed with schema version 2 (hash chain)
    // '3': the view returns the head's recordedAt and the insert takes its rows as one JSON array (schema
    // unchanged); 'spec1': the speculative batch
    names: { view: `coord_es_view3_${tag}`, insert: `coord_es_insert3_${tag}`, speculate: `coord_es_spec1_${tag}` },
    // 's': each touched stream's version and last hash; 'e': stored ids; 'h': the head, its hash and
    // recordedAt, and the clock (never earlier than the head's recordedAt: see the class comment)
    view: `
      SELECT 's' AS k, s.stream_id AS id, s.version AS n, NULL::bigint AS p, NULL::text AS sid, e.hash AS h, NULL::timestamptz AS t, NULL::timestamptz AS ht
        FROM ${t('streams')} s LEFT JOIN ${t('events')} e ON e.stream_id = s.stream_id AND e.stream_version = s.version
       WHERE s.stream_id = ANY($1::text[])
      UNION ALL
      SELECT 'e', event_id, stream_version, position, stream_id, NULL, NULL, NULL
        FROM ${t('events')} WHERE event_id = ANY($2::text[])
      UNION ALL
      SELECT 'h', NULL, NULL, COALESCE(l.position, 0), NULL, l.hash, GREATEST(clock_timestamp(), l.recorded_at), l.recorded_at
        FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT position, hash, recorded_at FROM ${t('events')} ORDER BY position DESC LIMIT 1) l ON true`,
    // a data-modifying CTE always runs to completion, whether or not the outer statement reads it.
    // recorded_at ($4) is the view's clock_timestamp(), taken after the advisory lock was granted: now()
    // would be the transaction's start, before it waited for the lock, and a later position could then
    // carry an earlier recordedAt than the batch committed just before it.
    insert: `
      WITH ins AS (
        INSERT INTO ${t('events')} (position, event_id, stream_id, stream_version, type, schema_version, data, confidential, metadata, occurred_at, hash, recorded_at)
        ${rowsOf('$1', '$4')}
      )
      INSERT INTO ${t('streams')} (stream_id, version)
      SELECT * FROM unnest($2::text[], $3::int[])
      ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version`,
    // the speculative batch: $1–$4 as in insert; the assumptions its decisions rest on, checked in the
    // statement's own snapshot (taken after the lock was granted, like the view's): $5/$6 the head's
    // position and hash, $7 ids assumed unstored, $8/$9 each touched stream's assumed version (0 =
    // absent). Rows are written only if all hold; the result says which. One snapshot for all parts: the
    // checks read the state before this statement's own inserts.
    speculate: `
      WITH ok AS (
        SELECT COALESCE(l.position, 0) = $5::bigint AND l.hash IS NOT DISTINCT FROM $6::text
               AND NOT EXISTS (SELECT 1 FROM ${t('events')} WHERE event_id = ANY($7::text[]))
               AND NOT EXISTS (SELECT 1 FROM unnest($8::text[], $9::int[]) AS a(id, v)
                                 LEFT JOIN ${t('streams')} s ON s.stream_id = a.id WHERE COALESCE(s.version, 0) <> a.v) AS ok
          FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT position, hash FROM ${t('events')} ORDER BY position DESC LIMIT 1) l ON true
      ), ins AS (
        INSERT INTO ${t('events')} (position, event_id, stream_id, stream_version, type, schema_version, data, confidential, metadata, occurred_at, hash, recorded_at)
        ${rowsOf('$1', '$4')} WHERE (SELECT ok FROM ok)
      ), up AS (
        INSERT INTO ${t('streams')} (stream_id, version)
        SELECT * FROM unnest($2::text[], $3::int[]) WHERE (SELECT ok FROM ok)
        ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version
      )
      SELECT ok FROM ok`,
    readStream: `SELECT ${COLUMNS} FROM ${t('events')} WHERE stream_id = $1 AND stream_version >= $2 AND stream_version <= $3 ORDER BY stream_version`,
    readAll: `SELECT ${COLUMNS} FROM ${t('events')} WHERE position > $1 ORDER BY position LIMIT $2`,
    streamVersion: `SELECT version FROM ${t('streams')} WHERE stream_id = $1`,
    head: `SELECT MAX(position) AS head FROM ${t('events')}`,
  };
}

async function migrate(pool: Pool, schema: string): Promise<void> {
  const client: PoolClient = await pool.connect();
  try {
    // the append lock also guards DDL, so two processes starting at once do not race on CREATE SCHEMA
    await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${LOCK_CLASS}, ${lockKeyOf(schema)})`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS "${schema}".schema_info (version INTEGER NOT NULL)`);
    const v = await client.query<{ version: number }>(`SELECT version FROM "${schema}".schema_info`);
    const current = v.rows[0]?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(`event store schema version ${current} is newer than this code (${SCHEMA_VERSION}); upgrade the application`);
    }
    if (current < 1) {
      await client.query(`
        CREATE TABLE IF NOT EXISTS "${schema}".events (
          -- allocated by the appender under the advisory lock, not by a sequence: see the class comment
          position       BIGINT      PRIMARY KEY,
          event_id       TEXT        NOT NULL UNIQUE,
          stream_id      TEXT        NOT NULL,
          stream_version INTEGER     NOT NULL,
          type           TEXT        NOT NULL,
          schema_version INTEGER     NOT NULL,
          data           JSONB       NOT NULL,
          -- informant identity and the like; the security issue encrypts it per aggregate
          confidential   JSONB       NULL,
          metadata       JSONB       NOT NULL,
          occurred_at    TIMESTAMPTZ NOT NULL,
          recorded_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
          -- hash chain (schema version 2, integrity/event-hash.ts); NULL only in a version-1 store before its upgrade
          hash           TEXT        NULL,
          UNIQUE (stream_id, stream_version)
        );
        CREATE TABLE IF NOT EXISTS "${schema}".streams (
          stream_id TEXT    PRIMARY KEY,
          version   INTEGER NOT NULL
        );
      `);
    }
    if (current < 2) {
      await client.query(postgresCheckpointsDdl(schema));
      // a version-1 store's events have no hash: chain them once, in position order, under the append
      // lock held by this transaction (docs/security-integrity.md, "Upgrading an existing store")
      await chainExistingPostgresEvents(client, schema);
    }
    if (current < SCHEMA_VERSION) {
      await client.query(`DELETE FROM "${schema}".schema_info`);
      await client.query(`INSERT INTO "${schema}".schema_info (version) VALUES ($1)`, [SCHEMA_VERSION]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** A stable int4 from the schema name, so stores in different schemas do not serialize each other. */
function lockKeyOf(schema: string): number {
  return createHash('sha1').update(schema).digest().readInt32BE(0);
}

function fromRow(r: EventRow): StoredEvent {
  const s: StoredEvent = {
    eventId: r.event_id,
    type: r.type,
    schemaVersion: r.schema_version,
    data: r.data,
    metadata: r.metadata,
    streamId: r.stream_id,
    streamVersion: r.stream_version,
    position: Number(r.position),
    recordedAt: r.recorded_at.toISOString(),
  };
  if (r.confidential !== null) s.confidential = r.confidential;
  return s;
}
