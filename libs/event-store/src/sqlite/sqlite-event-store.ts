import Database from 'better-sqlite3';
import { decideAppend, notifyListeners, validateAppends, type StoredRef } from '../append.rules';
import type { AppendResult, EventMetadata, ExpectedVersion, NewEvent, StoredEvent, StreamAppend } from '../event-envelope';
import type { EventStore } from '../event-store.port';
import { ChainBuilder } from '../integrity/event-hash';
import type { IntegrityLog } from '../integrity/integrity-log';
import { chainExistingSqliteEvents, SQLITE_CHECKPOINTS_DDL, SqliteIntegrityLog } from '../integrity/sqlite-integrity-log';

/**
 * The embedded default store: one SQLite file, better-sqlite3 (synchronous, in-process).
 *
 * Durability: WAL with `synchronous=FULL`, so a promise from append() resolves only after the commit
 * is fsynced — a command is acknowledged only once it survives a power cut. `NORMAL` is about 6× faster
 * (issue 7) but may lose the last commits on power loss; it is offered as an option for benchmarks and
 * throwaway data only.
 *
 * Ordering: SQLite has one writer at a time, and every append runs in a `BEGIN IMMEDIATE` transaction
 * (the write lock is taken before the stream version is read), so positions (AUTOINCREMENT rowids) are
 * allocated in commit order and a follower reading "position > checkpoint" can never skip a late
 * commit — also across processes sharing the file (e.g. `projections:rebuild` beside a running api).
 *
 * Group commit: an fsync per append is what synchronous=FULL costs, so appends are not committed inside
 * the call. A call is queued and the queue is flushed on the next turn of the event loop (setImmediate):
 * every call made meanwhile — the other requests read in the same I/O phase, the writers a previous
 * flush woke — is committed in ONE `BEGIN IMMEDIATE` transaction, one fsync. Each call still runs its
 * own decision (version check, idempotency lookup, hash links, positions) inside its own SAVEPOINT,
 * against the transaction's view, which holds the calls before it in the queue: the rows are exactly
 * those the calls would have written one transaction each, in queue (= call) order. A call that fails
 * (wrong expected version, idempotency conflict, a value SQLite refuses) is rolled back to its savepoint
 * and rejected alone with its own error; the others commit. Every promise settles only after the COMMIT
 * (durability unchanged). A lone writer pays one event-loop turn (microseconds) before its transaction,
 * no timer; better-sqlite3 being synchronous, the flush itself still blocks the event loop for its
 * fsync, as one append did before. At most `maxBatch` calls go into one transaction; the rest form the
 * next. Calls are settled in queue order, so concurrent callers still see first-come-first-served
 * outcomes (the 20-concurrent-appends contract test stays deterministic).
 */
export interface SqliteEventStoreOptions {
  /** 'FULL' (default): durable before acknowledging. 'NORMAL': faster, may lose the last commits on power loss. */
  synchronous?: 'FULL' | 'NORMAL';
  /** how long to wait for another process's write lock before SQLITE_BUSY (default 5000 ms) */
  busyTimeoutMs?: number;
  /** upper bound of calls per group-commit transaction (default 500, as PostgresEventStore) */
  maxBatch?: number;
}

export interface SqliteEventStoreStats {
  /** append transactions committed (a group of calls counts once) */
  transactions: number;
  /** append calls (append/appendMulti) that wrote events */
  writtenCalls: number;
}

interface Pending {
  appends: readonly StreamAppend[];
  resolve: (r: AppendResult[]) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; results: AppendResult[]; lastWritten: number } | { ok: false; error: unknown };

/** A call whose failure made SQLite roll back the whole transaction (not just its savepoint). */
class TransactionLost {
  constructor(
    readonly index: number,
    readonly error: unknown,
  ) {}
}

/**
 * Bumped with a migration step in migrate(); stored in PRAGMA user_version.
 *  1: events + streams (hash column reserved, NULL)
 *  2: hash chain (docs/security-integrity.md): every event's `hash` is written by append; the upgrade
 *     chains the events a version-1 store holds, once; checkpoints table for signed checkpoints
 */
const SCHEMA_VERSION = 2;

interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: string;
  confidential: string | null;
  metadata: string;
  recorded_at: string;
}

const COLUMNS = 'position, event_id, stream_id, stream_version, type, schema_version, data, confidential, metadata, recorded_at';

export class SqliteEventStore implements EventStore {
  private readonly listeners = new Set<(lastPosition: number) => void>();
  private readonly stmts: ReturnType<SqliteEventStore['prepare']>;
  /** one call in its own savepoint (better-sqlite3 nests a transaction function as SAVEPOINT/RELEASE) */
  private readonly callTx: (appends: readonly StreamAppend[]) => { results: AppendResult[]; lastWritten: number };
  /** a batch of calls in one BEGIN IMMEDIATE … COMMIT */
  private readonly batchTx: (batch: readonly Pending[]) => Outcome[];
  private readonly queue: Pending[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly counters: SqliteEventStoreStats = { transactions: 0, writtenCalls: 0 };

  private constructor(
    private readonly db: Database.Database,
    private readonly maxBatch: number,
  ) {
    this.stmts = this.prepare();
    this.callTx = db.transaction((appends: readonly StreamAppend[]) => this.appendInTransaction(appends));
    const batch = db.transaction((calls: readonly Pending[]) => this.batchInTransaction(calls));
    // IMMEDIATE: take the write lock before reading versions, so the checks and the inserts are one atomic step
    this.batchTx = (calls) => batch.immediate(calls);
  }

  static open(filename: string | ':memory:', options: SqliteEventStoreOptions = {}): SqliteEventStore {
    const db = new Database(filename);
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      // ':memory:' reports 'memory' here; WAL only applies to files
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
      migrate(db);
      return new SqliteEventStore(db, Math.max(1, Math.floor(options.maxBatch ?? 500)));
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private prepare() {
    const db = this.db;
    return {
      streamVersion: db.prepare<[string], { version: number }>('SELECT version FROM streams WHERE stream_id = ?'),
      findEvent: db.prepare<[string], { stream_id: string; stream_version: number; position: number }>(
        'SELECT stream_id, stream_version, position FROM events WHERE event_id = ?',
      ),
      // positional parameters: binding from an object by name costs a property lookup per column
      insertEvent: db.prepare<[number, string, string, number, string, number, string, string | null, string, string, string, string]>(
        `INSERT INTO events (position, event_id, stream_id, stream_version, type, schema_version, data, confidential, metadata, occurred_at, recorded_at, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // one statement per touched stream for both things an append needs of it: the version it checks and
      // the hash the chain links to (a new stream: no row)
      streamHead: db.prepare<[string], { version: number; hash: string | null }>(
        'SELECT s.version, e.hash FROM streams s LEFT JOIN events e ON e.stream_id = s.stream_id AND e.stream_version = s.version WHERE s.stream_id = ?',
      ),
      upsertStream: db.prepare(
        'INSERT INTO streams (stream_id, version) VALUES (?, ?) ON CONFLICT(stream_id) DO UPDATE SET version = excluded.version',
      ),
      readStream: db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND stream_version >= ? AND stream_version <= ? ORDER BY stream_version`,
      ),
      readAll: db.prepare<[number, number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
      head: db.prepare<[], { head: number | null }>('SELECT MAX(position) AS head FROM events'),
      // read inside the append transaction, in one statement: the log's last event (its hash is the chain's
      // global link; MAX(position) is its position) and AUTOINCREMENT's last allocated rowid (sqlite_sequence:
      // the next position is one more than the larger of the two, never a reused one)
      tail: db.prepare<[], { seq: number | null; position: number | null; hash: string | null }>(
        `SELECT (SELECT seq FROM sqlite_sequence WHERE name = 'events') AS seq, l.position, l.hash
           FROM (SELECT 1) LEFT JOIN (SELECT position, hash FROM events ORDER BY position DESC LIMIT 1) l ON 1`,
      ),
    };
  }

  async append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    const [result] = await this.appendMulti([{ streamId, events, expectedVersion }]);
    return result as AppendResult;
  }

  async appendMulti(appends: StreamAppend[]): Promise<AppendResult[]> {
    this.assertOpen();
    validateAppends(appends);
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.queue.push({ appends, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Counters for benchmarks and the group-commit test. */
  stats(): SqliteEventStoreStats {
    return { ...this.counters };
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Commit up to maxBatch queued calls in one transaction and settle them. Never throws. */
  private flush(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    // the rest waits for the next turn, so I/O is served between two large batches
    if (this.queue.length > 0) this.scheduleFlush();
    let outcomes: Outcome[];
    try {
      outcomes = this.batchTx(batch);
    } catch (e) {
      if (e instanceof TransactionLost) {
        // one call's failure took the whole transaction with it (SQLite does that for e.g. SQLITE_FULL):
        // it alone is rejected; the calls before and after it committed nothing and go again, first
        const culprit = batch[e.index] as Pending;
        this.queue.unshift(...batch.filter((p) => p !== culprit));
        if (this.queue.length > 0) this.scheduleFlush();
        culprit.reject(e.error);
      } else {
        // BEGIN (another process holds the lock past busy_timeout) or COMMIT failed: nothing was written
        for (const p of batch) p.reject(e);
      }
      return;
    }
    this.counters.transactions++;
    // after COMMIT: a listener that reads the log sees what it was told about
    let lastWritten = 0;
    for (const o of outcomes) if (o.ok) lastWritten = Math.max(lastWritten, o.lastWritten);
    if (lastWritten > 0) notifyListeners(this.listeners, lastWritten);
    outcomes.forEach((o, i) => {
      const p = batch[i] as Pending;
      if (o.ok) {
        if (o.lastWritten > 0) this.counters.writtenCalls++;
        p.resolve(o.results);
      } else p.reject(o.error);
    });
  }

  /** Inside the batch transaction: each call in queue order, alone in its savepoint. */
  private batchInTransaction(batch: readonly Pending[]): Outcome[] {
    // a lone call needs no savepoint: its failure rolls back the transaction, which holds nothing else
    if (batch.length === 1) return [{ ok: true, ...this.appendInTransaction((batch[0] as Pending).appends) }];
    return batch.map((p, index): Outcome => {
      try {
        return { ok: true, ...this.callTx(p.appends) };
      } catch (error) {
        // rolled back to its savepoint: the view is again what the calls before it left
        if (!this.db.inTransaction) throw new TransactionLost(index, error);
        return { ok: false, error };
      }
    });
  }

  private appendInTransaction(appends: readonly StreamAppend[]): { results: AppendResult[]; lastWritten: number } {
    const recordedAt = new Date().toISOString();
    const lookup = (eventId: string): StoredRef | undefined => {
      const r = this.stmts.findEvent.get(eventId);
      return r && { streamId: r.stream_id, streamVersion: r.stream_version, position: r.position };
    };
    let lastWritten = 0;
    // hash chain (integrity/event-hash.ts): linked to the log's last event and to each stream's last event.
    // A stream's last hash is read with its version, just before its append is decided; the chain asks for
    // it when that append writes its first event, before any row of it is inserted, so it is the same value
    // (for a stream appended to twice in one call, the chain keeps its own link after the first).
    const streamHashes = new Map<string, string | null>();
    let chain: ChainBuilder | undefined;
    let nextPosition: number | undefined;
    const results = appends.map((a): AppendResult => {
      const head = this.stmts.streamHead.get(a.streamId);
      streamHashes.set(a.streamId, head?.hash ?? null);
      const decision = decideAppend(a, head?.version ?? 0, lookup);
      if (decision.kind === 'noop') return decision.result;
      if (chain === undefined || nextPosition === undefined) {
        const tail = this.stmts.tail.get();
        chain = new ChainBuilder(tail?.hash ?? null, (s) => streamHashes.get(s) ?? null);
        nextPosition = Math.max(tail?.seq ?? 0, tail?.position ?? 0) + 1;
      }
      const first = nextPosition;
      nextPosition = first + a.events.length;
      const links = chain;
      const stored = a.events.map((e, i): StoredEvent => {
        const streamVersion = decision.fromVersion + i;
        const row = {
          event_id: e.eventId,
          stream_id: a.streamId,
          stream_version: streamVersion,
          type: e.type,
          schema_version: e.schemaVersion,
          data: JSON.stringify(e.data ?? null),
          confidential: e.confidential == null ? null : JSON.stringify(e.confidential),
          metadata: JSON.stringify(e.metadata),
          recorded_at: recordedAt,
        };
        // position known before the insert: one writer, AUTOINCREMENT = last allocated + 1 (checked below)
        const position = first + i;
        // built from the serialized text, so the result equals what a later read returns
        // (JSON drops undefined fields; the caller's objects are not aliased) and the hash covers exactly that
        const event = fromRow({ ...row, position });
        const hash = links.next({ ...event, confidential: event.confidential ?? null });
        const info = this.stmts.insertEvent.run(
          position,
          row.event_id,
          row.stream_id,
          row.stream_version,
          row.type,
          row.schema_version,
          row.data,
          row.confidential,
          row.metadata,
          e.metadata.occurredAt,
          row.recorded_at,
          hash,
        );
        if (Number(info.lastInsertRowid) !== position) throw new Error(`position allocation drifted: ${info.lastInsertRowid} != ${position}`);
        return event;
      });
      const nextVersion = decision.fromVersion + a.events.length - 1;
      this.stmts.upsertStream.run(a.streamId, nextVersion);
      const lastPosition = (stored[stored.length - 1] as StoredEvent).position;
      lastWritten = Math.max(lastWritten, lastPosition);
      return { streamId: a.streamId, nextVersion, lastPosition, written: true, stored };
    });
    return { results, lastWritten };
  }

  /** Raw access for the integrity tooling (verify, checkpoints), on this store's connection. */
  integrityLog(): IntegrityLog {
    this.assertOpen();
    return new SqliteIntegrityLog(this.db);
  }

  async readStream(streamId: string, options: { fromVersion?: number; toVersion?: number } = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    return this.stmts.readStream
      .all(streamId, options.fromVersion ?? 1, options.toVersion ?? Number.MAX_SAFE_INTEGER)
      .map(fromRow);
  }

  async streamVersion(streamId: string): Promise<number> {
    this.assertOpen();
    return this.stmts.streamVersion.get(streamId)?.version ?? 0;
  }

  async readAll(after: number, limit: number): Promise<StoredEvent[]> {
    this.assertOpen();
    return this.stmts.readAll.all(after, limit).map(fromRow);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.stmts.head.get()?.head ?? 0;
  }

  onAppended(listener: (lastPosition: number) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Commits (or rejects) the calls still queued, then closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.queue.length > 0) this.flush();
    this.listeners.clear();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteEventStore is closed');
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`event store schema version ${current} is newer than this code (${SCHEMA_VERSION}); upgrade the application`);
  }
  if (current === SCHEMA_VERSION) return;
  // IMMEDIATE so two processes opening a fresh file at once do not both migrate
  db.transaction(() => {
    const again = db.pragma('user_version', { simple: true }) as number;
    if (again < 1) createVersion1(db);
    if (again < 2) {
      db.exec(SQLITE_CHECKPOINTS_DDL);
      // a version-1 store's events have no hash: chain them once, in position order, before any new
      // append links to them (docs/security-integrity.md, "Upgrading an existing store")
      chainExistingSqliteEvents(db);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function createVersion1(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      -- AUTOINCREMENT: a position is never reused, even after the last row is deleted
      position       INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id       TEXT    NOT NULL UNIQUE,
      stream_id      TEXT    NOT NULL,
      stream_version INTEGER NOT NULL,
      type           TEXT    NOT NULL,
      schema_version INTEGER NOT NULL,
      data           TEXT    NOT NULL,
      -- informant identity and the like; the security issue encrypts this column per aggregate
      confidential   TEXT    NULL,
      metadata       TEXT    NOT NULL,
      occurred_at    TEXT    NOT NULL,
      recorded_at    TEXT    NOT NULL,
      -- hash chain (schema version 2, integrity/event-hash.ts); NULL only in a version-1 store before its upgrade
      hash           TEXT    NULL,
      UNIQUE (stream_id, stream_version)
    );
    CREATE TABLE IF NOT EXISTS streams (
      stream_id TEXT    PRIMARY KEY,
      version   INTEGER NOT NULL
    );
  `);
}

function fromRow(r: EventRow): StoredEvent {
  const stored: StoredEvent = {
    eventId: r.event_id,
    type: r.type,
    schemaVersion: r.schema_version,
    data: JSON.parse(r.data) as unknown,
    metadata: JSON.parse(r.metadata) as EventMetadata,
    streamId: r.stream_id,
    streamVersion: r.stream_version,
    position: r.position,
    recordedAt: r.recorded_at,
  };
  if (r.confidential !== null) stored.confidential = JSON.parse(r.confidential) as Record<string, unknown>;
  return stored;
}
