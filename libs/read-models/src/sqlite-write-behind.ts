import { Worker } from 'node:worker_threads';

/**
 * A second connection to a SQLite read-model FILE, in a worker thread, that commits a catch-up's
 * transactions while the runner's thread reads and applies the next batch.
 *
 * Why: better-sqlite3 is synchronous, so on one connection the runner's thread spends about half of a
 * rebuild inside SQLite writing rows (index maintenance of a million-row read model) and cannot read or
 * apply meanwhile. With the writes on another thread the two overlap (two cores), and the runner's thread
 * does only what only it can do.
 *
 * What stays the same: each transaction writes one batch's rows AND the batch's checkpoints (guarded
 * `UPDATE … WHERE "position" = <expected>`) and commits them together (BEGIN IMMEDIATE … COMMIT), so a
 * crash or a moved checkpoint leaves the tables at a committed checkpoint exactly as before. The runner
 * sends the next batch only after the previous one committed (at most one in flight), and the rows it
 * reads from the table meanwhile are only ones no pending batch touches (see ProjectionRunner.catchUp).
 * The worker's connection has the same `synchronous` setting as the runner's, so durability is unchanged.
 *
 * The worker is plain JavaScript evaluated from a string (it only needs better-sqlite3, resolved by the
 * parent): no build step, the same under ts-node/swc, jest and the compiled dist.
 */
export interface WriteBehindTable {
  /** `DELETE … WHERE pk = ?` */
  deleteSql: string;
  /** `INSERT … VALUES (?, …) ON CONFLICT (pk) DO UPDATE SET …` */
  upsertSql: string;
}

export interface WriteBehindBatch {
  /** `upserts`: JSON of the rows' column values (an array of arrays: strings, numbers, null) */
  tables: { table: number; deletes: string[]; upserts: string }[];
  /** guarded checkpoint updates: `to` only if the row still holds `from` */
  checkpoints: { name: string; from: number; to: number }[];
}

/** A checkpoint moved under the write (another runner or a swap): the batch was rolled back. */
export class WriteBehindCheckpointMoved extends Error {
  constructor(readonly projection: string) {
    super(`checkpoint of ${projection} moved`);
  }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
db.pragma('synchronous = ' + workerData.synchronous);
// a larger page cache for this connection only (64 MiB; the default is 2 MiB): a rebuild updates the
// indexes of tables with hundreds of thousands of rows at random places, and re-reading those pages from
// the OS costs more than the writes. Memory, not durability: nothing else about the connection changes.
db.pragma('cache_size = -65536');
const tables = workerData.tables.map((t) => ({ remove: db.prepare(t.deleteSql), upsert: db.prepare(t.upsertSql) }));
const checkpoint = db.prepare(workerData.checkpointSql);
class Moved extends Error {}
const write = db.transaction((batch) => {
  for (const t of batch.tables) {
    const s = tables[t.table];
    for (const key of t.deletes) s.remove.run(key);
    for (const values of JSON.parse(t.upserts)) s.upsert.run(values);
  }
  for (const c of batch.checkpoints) {
    if (checkpoint.run(c.to, c.name, c.from).changes !== 1) { const e = new Moved(); e.projection = c.name; throw e; }
  }
});
parentPort.on('message', (m) => {
  if (m.close) { db.close(); parentPort.close(); return; }
  try {
    write.immediate(m.batch);
    parentPort.postMessage({ id: m.id });
  } catch (e) {
    parentPort.postMessage({ id: m.id, moved: e instanceof Moved ? e.projection : undefined, error: String(e && e.stack || e) });
  }
});
`;

export class SqliteWriteBehind {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private failure?: Error;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: { id: number; error?: string; moved?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (!w) return;
      if (m.moved !== undefined) w.reject(new WriteBehindCheckpointMoved(m.moved));
      else if (m.error !== undefined) w.reject(new Error(`read-model write failed: ${m.error}`));
      else w.resolve();
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', () => this.fail(new Error('read-model writer thread exited')));
  }

  static async start(options: { file: string; synchronous: number; tables: WriteBehindTable[]; checkpointSql: string; busyTimeoutMs?: number }): Promise<SqliteWriteBehind> {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // the worker needs none of the parent's loaders (plain JS)
      execArgv: [],
      workerData: { ...options, busyTimeoutMs: options.busyTimeoutMs ?? 10_000, betterSqlite3: require.resolve('better-sqlite3') },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    return new SqliteWriteBehind(worker);
  }

  /** Resolves once the batch committed; rejects (nothing written) on a moved checkpoint or any error. */
  commit(batch: WriteBehindBatch): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, batch });
    });
  }

  async close(): Promise<void> {
    if (this.failure) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ close: true });
    await exited;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}
