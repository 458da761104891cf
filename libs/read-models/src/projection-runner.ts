import { WakeableSleep, type EventStore, type StoredEvent } from '@coord/event-store';
import type { DataSource, QueryRunner } from 'typeorm';
import { toSafeInteger } from './entities/column-options';
import { ProjectionCheckpointEntity } from './entities/projection-checkpoint.entity';
import { applyToCache, type ProjectedEvent, type RowProjection, toProjectedEvent } from './projection';
import type { ProjectionLease } from './projection-lease';
import { RowCache } from './row-cache';
import { BetterSqliteRowStore, rowStoreFor, type RowStore } from './row-store';
import { SqliteWriteBehind, WriteBehindCheckpointMoved } from './sqlite-write-behind';
import { RowMapper, SqlDialect } from './sql-dialect';

/** pino-compatible subset (object first, message second); no event data is ever logged, only ids. */
export interface ProjectionLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ProjectionRunnerOptions {
  store: EventStore;
  dataSource: DataSource;
  projections: readonly RowProjection<object>[];
  /** events per read, and per transaction while following the log; default 1000 */
  batchSize?: number;
  /**
   * Events per transaction while catching up (`runUntilCaughtUp()`, `rebuild()`): several reads of
   * `batchSize` applied in memory and committed together; default 50,000. See `catchUp()` for why.
   */
  catchUpBatchSize?: number;
  /** Rows per projection a catch-up keeps cached between its transactions (see RowCache); default 10,000. */
  rowCacheSize?: number;
  /** upcaster, applied to every stored event before it is projected */
  transform?: (e: StoredEvent) => StoredEvent;
  logger?: ProjectionLogger;
  /** how often a started runner looks for other processes' appends; default 500 ms */
  pollIntervalMs?: number;
  /** cap of the retry backoff after a failed batch; default 30 s */
  maxBackoffMs?: number;
  /**
   * One active runner per projection (projection-lease.ts). With a lease, `start()` applies events only
   * while it holds the lease and otherwise stands by, polling every `pollIntervalMs`; `runUntilCaughtUp()`
   * returns 0 at once when another runner holds it. Without one (specs, one-shot tools) the guarded
   * checkpoint update is the only protection.
   */
  lease?: ProjectionLease;
}

/** Another runner committed this projection's checkpoint since we read it: our batch is void. */
export class ProjectionCheckpointMovedError extends Error {
  constructor(readonly projection: string) {
    super(`checkpoint of projection ${projection} moved under this runner (another runner active?)`);
    this.name = 'ProjectionCheckpointMovedError';
  }
}

interface ProjectionState {
  /** position in the runner's projection list (runner order) */
  index: number;
  projection: RowProjection<object>;
  mapper: RowMapper<object>;
  table: string;
  handles: ReadonlySet<string>;
  rows: RowStore;
}

interface BatchWrite {
  state: ProjectionState;
  /** the checkpoint this batch starts after */
  from: number;
  /** the final state of every key this batch changed (null = deleted) */
  dirty: Map<string, object | null>;
  /** the projection's rows: the catch-up's cache, or one for this batch only */
  cache: RowCache;
  /** events this projection applied in this batch */
  applied: number;
}

/** What a catch-up keeps between its transactions: one row cache per projection. */
type CatchUpCaches = Map<ProjectionState, RowCache>;

/** A batch read and applied in memory, ready to commit. */
interface PreparedBatch {
  read: number;
  /** position of the last event read: every projection's checkpoint after the commit */
  last: number;
  writes: BatchWrite[];
}

/** Deletions and upserts of a batch's changes, in key order (neighbouring index pages get written together). */
function splitChanges(dirty: ReadonlyMap<string, object | null>): { deletes: string[]; upserts: object[] } {
  const deletes: string[] = [];
  const upserts: object[] = [];
  for (const key of [...dirty.keys()].sort()) {
    const row = dirty.get(key) as object | null;
    if (row === null) deletes.push(key);
    else upserts.push(row);
  }
  return { deletes, upserts };
}

/**
 * Follows the global log and keeps the read-model tables in step.
 *
 * Per batch: one readAll, then for each projection the keys its events touch, the existing rows loaded
 * with chunked `IN` queries, the events applied in memory (rows cached within the batch, so ten events
 * on one lead cost one read and one write), and finally ONE transaction that writes every changed row
 * (multi-row upserts and deletes) together with every projection's checkpoint. A crash therefore never
 * double-applies or skips: rows and checkpoint commit or roll back together. No ORM save() per event —
 * that is what makes the rebuild targets (tens of thousands of events per second) reachable.
 *
 * Each projection keeps its own checkpoint, so a projection added later starts from 0 while the others
 * skip events they already have. The checkpoint update is guarded (`WHERE position = <what we read>`):
 * a second runner over the same tables makes one of them fail and retry instead of double-applying.
 * The lease (option `lease`) is the first line of defence and keeps a second runner idle; the guard stays
 * as the second, for a holder that lost its lease without noticing yet.
 *
 * Errors: the transaction rolls back and the checkpoint stays; `start()`'s loop logs and retries with
 * exponential backoff, `runUntilCaughtUp()` and `rebuild()` reject so a CLI or a test sees the failure.
 */
export class ProjectionRunner {
  private readonly store: EventStore;
  private readonly dataSource: DataSource;
  private readonly dialect: SqlDialect;
  private readonly states: ProjectionState[];
  private readonly batchSize: number;
  private readonly catchUpBatchSize: number;
  private readonly rowCacheSize: number;
  /** the projections that handle each event type, in runner order */
  private readonly statesByType = new Map<string, ProjectionState[]>();
  private readonly transform?: (e: StoredEvent) => StoredEvent;
  private readonly logger?: ProjectionLogger;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly checkpointTable: string;

  /** in-memory copy of the committed checkpoints; undefined = reload from the database */
  private checkpoints?: Map<string, number>;
  private lock: Promise<unknown> = Promise.resolve();
  private running = false;
  private loopDone?: Promise<void>;
  private unsubscribe?: () => void;
  private readonly pause = new WakeableSleep(() => this.running);
  private readonly committedListeners = new Set<() => void>();
  private readonly lease?: ProjectionLease;
  private active = false;
  /** events applied per projection by this instance since it was created (for metrics) */
  readonly appliedEvents = new Map<string, number>();

  constructor(options: ProjectionRunnerOptions) {
    this.store = options.store;
    this.dataSource = options.dataSource;
    this.dialect = new SqlDialect(options.dataSource);
    this.batchSize = options.batchSize ?? 1000;
    this.catchUpBatchSize = Math.max(this.batchSize, options.catchUpBatchSize ?? 50_000);
    this.rowCacheSize = options.rowCacheSize ?? 10_000;
    this.transform = options.transform;
    this.logger = options.logger;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.checkpointTable = this.dialect.table(ProjectionCheckpointEntity);
    this.lease = options.lease;
    const names = new Set<string>();
    this.states = options.projections.map((projection, index) => {
      if (names.has(projection.name)) throw new Error(`duplicate projection name ${projection.name}`);
      names.add(projection.name);
      const mapper = new RowMapper<object>(options.dataSource, projection.entity);
      if (mapper.primary.propertyName !== projection.primaryKey) {
        throw new Error(`projection ${projection.name}: primaryKey ${projection.primaryKey} is not the entity's primary column`);
      }
      const table = this.dialect.table(projection.entity);
      return { index, projection, mapper, table, handles: new Set<string>(projection.handles), rows: rowStoreFor(options.dataSource, this.dialect, table, mapper, projection.primaryKey) };
    });
    for (const state of this.states) {
      for (const type of state.handles) {
        const list = this.statesByType.get(type) ?? [];
        list.push(state);
        this.statesByType.set(type, list);
      }
    }
  }

  /** The lowest committed checkpoint over this runner's projections, read from the database (so it also
   *  sees another process's progress). */
  async checkpoint(): Promise<number> {
    const rows = await this.loadCheckpoints(this.dataSource.createQueryRunner());
    return Math.min(...this.states.map((s) => rows.get(s.projection.name) ?? 0));
  }

  /** Committed checkpoint of each of this runner's projections, read from the database. */
  async projectionCheckpoints(): Promise<Map<string, number>> {
    const rows = await this.loadCheckpoints(this.dataSource.createQueryRunner());
    return new Map(this.states.map((s) => [s.projection.name, rows.get(s.projection.name) ?? 0]));
  }

  get projectionNames(): string[] {
    return this.states.map((s) => s.projection.name);
  }

  /** True while this runner may apply events: it holds the lease (or has none and is running). */
  isActive(): boolean {
    return this.lease ? this.active : this.running;
  }

  get leaseHolder(): string | undefined {
    return this.lease?.holder;
  }

  /** Process batches until readAll returns nothing. Returns the number of events read (0 as well when
   *  another runner holds the lease: that one keeps the tables up to date). */
  runUntilCaughtUp(): Promise<number> {
    return this.exclusive(async () => ((await this.holdLease()) ? this.catchUp() : 0));
  }

  /** Clear every projection table and checkpoint in one transaction, then run to the head. */
  rebuild(): Promise<number> {
    return this.exclusive(async () => {
      await this.inTransaction(async (qr) => {
        for (const s of this.states) await qr.query(`DELETE FROM ${s.table}`);
        await this.ensureCheckpointRows(qr);
        const p = this.dialect.params();
        // placeholders are bound in textual order (SQLite's `?`): add them in the order they appear
        const position = p.add(0);
        const names = p.list(this.states.map((s) => s.projection.name));
        await qr.query(`UPDATE ${this.checkpointTable} SET "position" = ${position} WHERE "name" IN (${names})`, p.values);
      });
      this.checkpoints = new Map(this.states.map((s) => [s.projection.name, 0]));
      this.logger?.info({ projections: this.states.map((s) => s.projection.name) }, 'projection tables cleared for rebuild');
      return this.catchUp();
    });
  }

  /** Follow the log: wake on local appends, poll for other processes' appends. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.store.onAppended(() => this.pause.wake());
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    if (this.running) {
      this.running = false;
      this.unsubscribe?.();
      this.unsubscribe = undefined;
      this.pause.wake();
      await this.loopDone;
    }
    if (this.lease && this.active) {
      this.active = false;
      await this.exclusive(() => this.lease!.release());
      this.logger?.info({ holder: this.lease.holder }, 'projection lease released');
    }
  }

  /**
   * Read-your-writes: resolve true once every projection of this runner has committed `position`, false
   * after `timeoutMs`. Works whether the projections run in this process (woken on commit) or elsewhere
   * (the database checkpoint is re-read every 25 ms).
   */
  async waitFor(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    this.pause.wake();
    for (;;) {
      if ((await this.checkpoint()) >= position) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.committedListeners.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(25, left));
        this.committedListeners.add(done);
      });
    }
  }

  // ---------------------------------------------------------------------------------------------------

  private async loop(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      let read = 0;
      try {
        if (!(await this.exclusive(() => this.holdLease()))) {
          // standby: another runner is active; poll for its lease (taken over once it dies or expires)
          await this.pause.sleep(this.pollIntervalMs, false);
          continue;
        }
        read = await this.exclusive(() => this.processBatch());
        backoff = 0;
      } catch (err) {
        backoff = Math.min(Math.max(100, backoff * 2), this.maxBackoffMs);
        this.logger?.error({ err: describe(err), retryInMs: backoff }, 'projection batch failed; rolled back, will retry');
        await this.pause.sleep(backoff, false);
        continue;
      }
      if (read === 0 && this.running) await this.pause.sleep(this.pollIntervalMs, true);
    }
  }

  /** True when this runner may apply: no lease configured, or the lease is (still / now) ours. */
  private async holdLease(): Promise<boolean> {
    if (!this.lease) return true;
    if (this.active) {
      if (await this.lease.check()) return true;
      this.active = false;
      this.checkpoints = undefined;
      this.logger?.error({ holder: this.lease.holder }, 'projection lease lost; standing by');
      return false;
    }
    if (!(await this.lease.acquire())) return false;
    this.active = true;
    // whatever the previous holder committed is the truth now
    this.checkpoints = undefined;
    this.logger?.info({ holder: this.lease.holder, projections: this.projectionNames }, 'projection lease acquired; this runner is active');
    return true;
  }

  /** Serialize batches, rebuilds and catch-ups of this instance. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.lock.then(fn, fn);
    this.lock = result.catch(() => undefined);
    return result;
  }

  /**
   * Run to the head in transactions of up to `catchUpBatchSize` events, keeping each projection's rows
   * cached between them (RowCache), with the commit of one transaction overlapping the reading and
   * applying of the next.
   *
   * Why larger transactions when catching up: a real log interleaves thousands of items, so in a batch of
   * 1,000 events a lead rarely has two events, and every batch re-reads and re-writes the rows it touches.
   * With 50,000 events per transaction (at a million events, about three months of a county's business) a
   * row that changes several times in that time is written once, and with the cache it is rarely read back.
   * Measured on the 1,000,000-event bench history: 50,000 per transaction took about 25% less CPU than
   * 20,000. The price is memory (up to two transactions' changed rows), constant in the length of the log. The invariant is unchanged: the rows of a
   * transaction and the checkpoints commit together, so a crash mid-way leaves the tables exactly at a
   * committed checkpoint, from which the next run resumes. The live loop (`start()`) keeps `batchSize`
   * transactions: there, latency matters more than throughput.
   *
   * Why overlapping is safe: at most one transaction is in flight, on another connection (PostgreSQL: a
   * pooled connection; SQLite: a writer thread, SqliteWriteBehind); the next batch is committed only after
   * it succeeded, expecting the checkpoints it set; if it fails, the catch-up stops, the prepared batch
   * is dropped with the caches, and the committed checkpoints are re-read. While it is in flight, the next
   * batch reads rows from the table only for keys the in-flight batch does not touch (its rows are in the
   * cache, its deletions are known), so it never sees the table "behind" its own pending writes; and the
   * cache never evicts a row a not-yet-committed batch changed.
   */
  private async catchUp(): Promise<number> {
    const caches = await this.catchUpCaches();
    const writer = await this.writeBehind();
    // the checkpoints as they will be once the prepared batches commit
    const planned = new Map(this.checkpoints ?? []);
    let inFlight: { batch: PreparedBatch; committed: Promise<void> } | undefined;
    let total = 0;
    try {
      for (;;) {
        const batch = await this.prepareBatch(planned, caches, this.catchUpBatchSize, inFlight?.batch);
        if (inFlight) {
          await inFlight.committed;
          this.afterCommit(inFlight.batch, batch);
          inFlight = undefined;
        }
        if (!batch) return total;
        total += batch.read;
        for (const w of batch.writes) planned.set(w.state.projection.name, batch.last);
        const committed = this.commitBatch(batch, writer);
        if (writer || this.dialect.postgres) {
          committed.catch(() => undefined); // awaited before the next commit or in the catch below
          inFlight = { batch, committed };
        } else {
          // one synchronous SQLite connection: nothing to overlap with, and its reads must not interleave
          // with its own open transaction
          await committed;
          this.afterCommit(batch);
        }
        // let timers and I/O run between transactions: with better-sqlite3 every await above resolves at
        // once, so without this a long catch-up would hold the event loop (HTTP, lease renewal) throughout
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      if (inFlight) await inFlight.committed.catch(() => undefined);
      // whatever happened, the committed checkpoints are the truth: reload them before the next try
      this.checkpoints = undefined;
      caches.clear();
      throw err instanceof WriteBehindCheckpointMoved ? new ProjectionCheckpointMovedError(err.projection) : err;
    } finally {
      await writer?.close();
    }
  }

  /**
   * Empty caches for a catch-up, remembering which tables were empty. The checkpoints are read FIRST: if
   * another writer commits after that, it moves a checkpoint and this runner's first transaction fails
   * (guarded update), so "empty" is only ever relied on for the state the checkpoints describe.
   */
  private async catchUpCaches(): Promise<CatchUpCaches> {
    this.checkpoints ??= await this.initCheckpoints();
    const caches: CatchUpCaches = new Map();
    for (const state of this.states) {
      // a table written by two projections: neither sees all its writes, so neither may cache it
      if (this.states.some((other) => other !== state && other.table === state.table)) {
        caches.set(state, new RowCache(0, false));
        continue;
      }
      const any = (await this.dataSource.query(`SELECT 1 AS "one" FROM ${state.table} LIMIT 1`)) as unknown[];
      caches.set(state, new RowCache(this.rowCacheSize, any.length === 0));
    }
    return caches;
  }

  /**
   * A writer thread for a long SQLite catch-up (see SqliteWriteBehind): only for a read-model FILE (a second
   * connection to ':memory:' would be another database) and a backlog of at least one full catch-up
   * transaction (starting a thread costs tens of milliseconds).
   */
  private async writeBehind(): Promise<SqliteWriteBehind | undefined> {
    if (this.dataSource.options.type !== 'better-sqlite3') return undefined;
    const file = this.dataSource.options.database;
    if (typeof file !== 'string' || file === '' || file === ':memory:' || file.startsWith('file:')) return undefined;
    const from = Math.min(...this.states.map((s) => this.checkpoints?.get(s.projection.name) ?? 0));
    if ((await this.store.headPosition()) - from < this.catchUpBatchSize) return undefined;
    const [sync] = (await this.dataSource.query('PRAGMA synchronous')) as { synchronous: number }[];
    return SqliteWriteBehind.start({
      file,
      synchronous: sync?.synchronous ?? 2,
      tables: this.states.map((s) => (s.rows as BetterSqliteRowStore).sql()),
      checkpointSql: `UPDATE ${this.checkpointTable} SET "position" = ? WHERE "name" = ? AND "position" = ?`,
    });
  }

  /** One batch (the live loop); returns the number of events read (0 = caught up). */
  private async processBatch(): Promise<number> {
    try {
      const checkpoints = this.checkpoints ?? (await this.initCheckpoints());
      const batch = await this.prepareBatch(checkpoints, undefined, this.batchSize);
      if (!batch) return 0;
      await this.commitBatch(batch);
      this.afterCommit(batch);
      return batch.read;
    } catch (err) {
      // whatever happened, the committed checkpoints are the truth: reload them before the next try
      this.checkpoints = undefined;
      throw err;
    }
  }

  /**
   * Read up to `maxEvents` events after the lowest checkpoint and apply them in memory; undefined when
   * there is nothing to read. `checkpoints`: where each projection stands (committed, or planned by an
   * in-flight batch); `inFlight`: the batch being committed meanwhile, if any.
   */
  private async prepareBatch(checkpoints: ReadonlyMap<string, number>, caches: CatchUpCaches | undefined, maxEvents: number, inFlight?: PreparedBatch): Promise<PreparedBatch | undefined> {
    const from = Math.min(...this.states.map((s) => checkpoints.get(s.projection.name) ?? 0));
    const writes = new Map<ProjectionState, BatchWrite>();
    let read = 0;
    let last = from;
    // Reads of `batchSize` events until `maxEvents` (one read when following the log). The next read is
    // started before the current events are applied: with PostgreSQL it runs on another connection while
    // this process works (with SQLite it completes at once, which costs nothing).
    let next: Promise<StoredEvent[]> | undefined = this.store.readAll(from, this.batchSize);
    while (next) {
      const stored = await next;
      next = undefined;
      if (stored.length === 0) break;
      read += stored.length;
      last = stored[stored.length - 1].position;
      if (stored.length === this.batchSize && read < maxEvents) {
        next = this.store.readAll(last, this.batchSize);
        next.catch(() => undefined); // awaited above; this only keeps an early failure from being "unhandled"
      }
      await this.applyEvents(stored, checkpoints, caches, writes, inFlight);
    }
    if (read === 0) return undefined;

    const batch = [...writes.values()];
    // projections that are behind `last` move their checkpoint even when no event of theirs was in the batch
    for (const state of this.states) {
      const cp = checkpoints.get(state.projection.name) ?? 0;
      if (cp < last && !writes.has(state)) batch.push({ state, from: cp, dirty: new Map(), cache: new RowCache(0, false), applied: 0 });
    }
    batch.sort((a, b) => a.state.index - b.state.index);
    return { read, last, writes: batch };
  }

  /** Write a prepared batch's rows and move its checkpoints (guarded) in one transaction. */
  private async commitBatch({ last, writes }: PreparedBatch, writer?: SqliteWriteBehind): Promise<void> {
    if (writer) {
      await writer.commit({
        tables: writes
          .filter((w) => w.dirty.size > 0)
          .map((w) => {
            const { deletes, upserts } = splitChanges(w.dirty);
            // one JSON string per table: a message to the writer thread is copied value by value (structured
            // clone) unless it is a string, and JSON.stringify of these plain values (strings, numbers, null)
            // is several times cheaper on this thread; the writer parses it on its own
            return { table: w.state.index, deletes, upserts: JSON.stringify(upserts.map((row) => w.state.mapper.toDatabase(row))) };
          }),
        checkpoints: writes.map((w) => ({ name: w.state.projection.name, from: w.from, to: last })),
      });
      return;
    }
    await this.inTransaction(async (qr) => {
      // PostgreSQL: lock our checkpoint rows FIRST. Everything that rewrites these tables (another runner,
      // the shadow rebuild's swap) takes the same row locks first, so the two wait for each other instead
      // of deadlocking on rows, and a moved checkpoint is seen before any row is written.
      if (this.dialect.postgres && writes.length > 0) await this.lockCheckpoints(qr, writes);
      for (const w of writes) {
        if (w.dirty.size === 0) continue;
        const { deletes, upserts } = splitChanges(w.dirty);
        await w.state.rows.write(qr, deletes, upserts);
      }
      await this.moveCheckpoints(qr, writes, last);
    });
  }

  /**
   * The guarded checkpoint updates of one transaction, one statement per distinct starting position
   * instead of one per projection: live, every projection is at the same position, so a batch moves all
   * of them (a dozen) with a single UPDATE. Same guard: a row moves only if it still holds the position
   * this batch was built on, and the transaction fails unless every row moved.
   */
  private async moveCheckpoints(qr: QueryRunner, writes: readonly BatchWrite[], last: number): Promise<void> {
    const byFrom = new Map<number, string[]>();
    for (const w of writes) {
      const names = byFrom.get(w.from);
      if (names) names.push(w.state.projection.name);
      else byFrom.set(w.from, [w.state.projection.name]);
    }
    for (const [from, names] of byFrom) {
      const p = this.dialect.params();
      const sql = `UPDATE ${this.checkpointTable} SET "position" = ${p.add(last)} WHERE "name" IN (${p.list(names)}) AND "position" = ${p.add(from)}`;
      const result = (await qr.query(sql, p.values, true)) as { affected?: number };
      if (result.affected === names.length) continue;
      // name the one that moved: the rows this statement updated now hold `last` (the transaction rolls back)
      const q = this.dialect.params();
      const rows = (await qr.query(`SELECT "name", "position" FROM ${this.checkpointTable} WHERE "name" IN (${q.list(names)})`, q.values)) as { name: string; position: number | string }[];
      const held = new Map(rows.map((r) => [r.name, Number(r.position)]));
      throw new ProjectionCheckpointMovedError(names.find((n) => held.get(n) !== last) ?? (names[0] as string));
    }
  }

  /** After a commit: checkpoints, caches (sparing rows a still-pending batch changed), metrics, waiters. */
  private afterCommit({ last, writes }: PreparedBatch, pending?: PreparedBatch): void {
    const checkpoints = (this.checkpoints ??= new Map());
    for (const w of writes) {
      const name = w.state.projection.name;
      checkpoints.set(name, last);
      w.cache.committed(w.dirty, pending?.writes.find((p) => p.state === w.state)?.dirty);
      this.appliedEvents.set(name, (this.appliedEvents.get(name) ?? 0) + w.applied);
    }
    for (const listener of [...this.committedListeners]) listener();
  }

  /**
   * Apply one read's events to each projection's rows in memory. Rows are taken from the pending changes of
   * this batch, then the cache, then the table (one lookup per missing key, before the events are applied,
   * so `apply` stays synchronous and pure).
   */
  private async applyEvents(
    stored: StoredEvent[],
    checkpoints: ReadonlyMap<string, number>,
    caches: CatchUpCaches | undefined,
    writes: Map<ProjectionState, BatchWrite>,
    inFlight: PreparedBatch | undefined,
  ): Promise<void> {
    // Group by projection first: each projection sees only the events it handles, in log order. Per
    // projection two parallel arrays (events, their keys) instead of an object per (event, projection):
    // a rebuild goes through millions of these, and every short-lived object is garbage to collect.
    const states = this.states;
    const from = states.map((s) => checkpoints.get(s.projection.name) ?? 0);
    const eventsOf: ProjectedEvent[][] = states.map(() => []);
    const keysOf: (readonly string[])[][] = states.map(() => []);
    for (const e of stored) {
      const upcast = this.transform ? this.transform(e) : e;
      const handling = this.statesByType.get(upcast.type);
      if (!handling) continue; // no projection handles it: nothing to build (the checkpoints still move past it)
      const event = toProjectedEvent(upcast);
      for (const state of handling) {
        const i = state.index;
        if (event.position <= (from[i] as number)) continue;
        (eventsOf[i] as ProjectedEvent[]).push(event);
        (keysOf[i] as (readonly string[])[]).push(state.projection.keys(event));
      }
    }
    // one scratch map for the rows handed to apply(): applyToCache refills it for every event
    const scratch = new Map<string, object>();
    for (let i = 0; i < states.length; i++) {
      const events = eventsOf[i] as ProjectedEvent[];
      if (events.length === 0) continue;
      const keys = keysOf[i] as (readonly string[])[];
      const state = states[i] as ProjectionState;
      let w = writes.get(state);
      if (!w) {
        const cache = caches?.get(state) ?? new RowCache(0, false);
        caches?.set(state, cache);
        w = { state, from: from[i] as number, dirty: new Map(), cache, applied: 0 };
        writes.set(state, w);
      }
      const { cache, dirty } = w;
      const cached = cache.rows;
      // the in-flight batch's changes are not in the table yet: its rows are cached, its deletions final
      const pending = inFlight?.writes.find((p) => p.state === state)?.dirty;
      const missing: string[] = [];
      const wanted = new Set<string>();
      for (const ks of keys) {
        for (const k of ks) {
          if (cached.has(k) || dirty.has(k) || pending?.has(k) || wanted.has(k) || cache.knownAbsent(k)) continue;
          wanted.add(k);
          missing.push(k);
        }
      }
      if (missing.length > 0) cache.loaded(await state.rows.load(missing));
      const projection = state.projection;
      for (let j = 0; j < events.length; j++) {
        const event = events[j] as ProjectedEvent;
        try {
          applyToCache(projection, cached, event, keys[j] as readonly string[], dirty, scratch);
        } catch (err) {
          // name the event (never its data) so the failing step can be found in the log
          throw new Error(`projection ${projection.name} failed on ${event.type} at position ${event.position}: ${describe(err)}`, { cause: err });
        }
      }
      w.applied += events.length;
    }
  }

  private async lockCheckpoints(qr: QueryRunner, writes: BatchWrite[]): Promise<void> {
    const p = this.dialect.params();
    const names = p.list(writes.map((w) => w.state.projection.name));
    const rows = (await qr.query(`SELECT "name", "position" FROM ${this.checkpointTable} WHERE "name" IN (${names}) ORDER BY "name" FOR UPDATE`, p.values)) as {
      name: string;
      position: string | number;
    }[];
    const now = new Map(rows.map((r) => [r.name, toSafeInteger(r.position)]));
    for (const w of writes) {
      const name = w.state.projection.name;
      // the checkpoint this batch was prepared from (committed by this runner, or by the batch before)
      if (now.get(name) !== w.from) throw new ProjectionCheckpointMovedError(name);
    }
  }

  private async initCheckpoints(): Promise<Map<string, number>> {
    await this.inTransaction((qr) => this.ensureCheckpointRows(qr));
    this.checkpoints = await this.loadCheckpoints(this.dataSource.createQueryRunner());
    return this.checkpoints;
  }

  private async ensureCheckpointRows(qr: QueryRunner): Promise<void> {
    const p = this.dialect.params();
    const values = this.states.map((s) => `(${p.add(s.projection.name)}, ${p.add(0)})`).join(', ');
    await qr.query(`INSERT INTO ${this.checkpointTable} ("name", "position") VALUES ${values} ON CONFLICT ("name") DO NOTHING`, p.values);
  }

  private async loadCheckpoints(qr: QueryRunner): Promise<Map<string, number>> {
    try {
      const p = this.dialect.params();
      const names = p.list(this.states.map((s) => s.projection.name));
      const rows = (await qr.query(`SELECT "name", "position" FROM ${this.checkpointTable} WHERE "name" IN (${names})`, p.values)) as {
        name: string;
        position: string | number;
      }[];
      return new Map(rows.map((r) => [r.name, toSafeInteger(r.position)]));
    } finally {
      await qr.release();
    }
  }

  private async inTransaction(work: (qr: QueryRunner) => Promise<void>): Promise<void> {
    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      await work(qr);
      await qr.commitTransaction();
    } catch (err) {
      await qr.rollbackTransaction();
      throw err;
    } finally {
      await qr.release();
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
