import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Pool } from 'pg';

/**
 * One row per stream that ever held confidential data: its data key, wrapped by a master key. After
 * erasure (crypto-shredding) the row stays as a TOMBSTONE without key material, so a later confidential
 * write to that stream is refused instead of silently getting a fresh key.
 */
export interface WrappedDataKey {
  streamId: string;
  masterKeyId: string;
  wrapped: Buffer;
}

export type DataKeyLookup = { state: 'none' } | { state: 'erased' } | ({ state: 'present' } & WrappedDataKey);

export interface DataKeyStore {
  find(streamId: string): Promise<DataKeyLookup>;
  /** Inserts unless the stream already has a row; returns what the store holds afterwards (the winner). */
  insertIfAbsent(key: WrappedDataKey): Promise<DataKeyLookup>;
  /**
   * Replaces the key material with a tombstone so that it is PHYSICALLY gone from the key store's files
   * (not only logically deleted). Idempotent; true when key material was destroyed by this call.
   */
  destroy(streamId: string): Promise<boolean>;
  /** Present keys in stream id order after `afterStreamId` (for rotation). */
  list(afterStreamId: string, limit: number): Promise<WrappedDataKey[]>;
  /** Swaps the wrapping (rotation) only if it is still wrapped by `expectedMasterKeyId`. */
  rewrap(streamId: string, expectedMasterKeyId: string, next: { masterKeyId: string; wrapped: Buffer }): Promise<boolean>;
  /** Rewrites the store's files so superseded wrappings (after a rotation) are physically gone too. */
  compact(): Promise<void>;
  close(): Promise<void>;
}

interface KeyRow {
  stream_id: string;
  master_key_id: string | null;
  wrapped: Buffer | null;
}

const lookup = (r: KeyRow | undefined): DataKeyLookup =>
  !r ? { state: 'none' } : r.wrapped === null || r.master_key_id === null ? { state: 'erased' } : { state: 'present', streamId: r.stream_id, masterKeyId: r.master_key_id, wrapped: Buffer.from(r.wrapped) };

/**
 * Embedded profile: a SEPARATE SQLite file (`keys.sqlite`), so the events file never holds key material
 * and a copy of the events alone is useless without it. `secure_delete` makes SQLite overwrite freed
 * content with zeros; the rollback journal (not WAL: a WAL keeps old page images until a checkpoint) is
 * truncated after each write, so the old page image with the key does not survive in a journal file.
 */
export class SqliteDataKeyStore implements DataKeyStore {
  private constructor(private readonly db: Database.Database) {}

  static open(file: string): SqliteDataKeyStore {
    const db = new Database(file);
    try {
      db.pragma('busy_timeout = 5000');
      db.pragma('secure_delete = ON');
      db.pragma('journal_mode = TRUNCATE');
      db.pragma('synchronous = FULL');
      // owner-only, like the master key file (better-sqlite3 creates files with the process umask)
      if (file !== ':memory:') chmodSync(file, 0o600);
      db.exec(`CREATE TABLE IF NOT EXISTS data_keys (
        stream_id     TEXT PRIMARY KEY,
        master_key_id TEXT NULL,
        wrapped       BLOB NULL,
        created_at    TEXT NOT NULL,
        erased_at     TEXT NULL
      )`);
      return new SqliteDataKeyStore(db);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  async find(streamId: string): Promise<DataKeyLookup> {
    return lookup(this.db.prepare<[string], KeyRow>('SELECT stream_id, master_key_id, wrapped FROM data_keys WHERE stream_id = ?').get(streamId));
  }

  /**
   * Inserts made in the same tick (concurrent callers: ConfidentialVault.provision for a batch of intake
   * submissions) go into ONE transaction: with the rollback journal and synchronous=FULL every commit
   * costs several fsyncs (journal, database, journal truncation), about as much for one key as for
   * hundreds. Each caller is resolved only after that commit, with what the store then holds for its
   * stream; if the commit fails, every caller of the group is rejected (none of their keys is stored).
   * The journal stays TRUNCATE and secure_delete stays on: grouping changes how many keys one journal
   * write covers, not what the files keep.
   */
  insertIfAbsent(key: WrappedDataKey): Promise<DataKeyLookup> {
    return new Promise<DataKeyLookup>((resolve, reject) => {
      if (!this.queued) {
        this.queued = [];
        setImmediate(() => this.flushInserts());
      }
      this.queued.push({ key, resolve, reject });
    });
  }

  private queued?: { key: WrappedDataKey; resolve: (l: DataKeyLookup) => void; reject: (e: unknown) => void }[];

  private flushInserts(): void {
    const group = this.queued ?? [];
    this.queued = undefined;
    let results: DataKeyLookup[];
    try {
      const insert = this.db.prepare('INSERT INTO data_keys (stream_id, master_key_id, wrapped, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (stream_id) DO NOTHING');
      const select = this.db.prepare<[string], KeyRow>('SELECT stream_id, master_key_id, wrapped FROM data_keys WHERE stream_id = ?');
      const at = new Date().toISOString();
      results = this.db.transaction(() =>
        group.map(({ key }) => {
          insert.run(key.streamId, key.masterKeyId, key.wrapped, at);
          return lookup(select.get(key.streamId));
        }),
      )();
    } catch (e) {
      for (const q of group) q.reject(e);
      return;
    }
    group.forEach((q, i) => q.resolve(results[i] as DataKeyLookup));
  }

  async destroy(streamId: string): Promise<boolean> {
    const destroyed = this.db.transaction(() => {
      const had = this.db.prepare<[string], KeyRow>('SELECT stream_id, master_key_id, wrapped FROM data_keys WHERE stream_id = ?').get(streamId);
      // overwrite in place first (secure_delete zeroes the freed cell), then keep the tombstone
      this.db.prepare("UPDATE data_keys SET wrapped = zeroblob(length(wrapped)) WHERE stream_id = ? AND wrapped IS NOT NULL").run(streamId);
      this.db
        .prepare('INSERT INTO data_keys (stream_id, master_key_id, wrapped, created_at, erased_at) VALUES (?, NULL, NULL, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET master_key_id = NULL, wrapped = NULL, erased_at = excluded.erased_at')
        .run(streamId, new Date().toISOString(), new Date().toISOString());
      return had?.wrapped != null;
    })();
    // rebuild the file so no free page or B-tree slack keeps a copy (small table: cheap)
    this.db.exec('VACUUM');
    return destroyed;
  }

  async list(afterStreamId: string, limit: number): Promise<WrappedDataKey[]> {
    const rows = this.db
      .prepare<[string, number], KeyRow>('SELECT stream_id, master_key_id, wrapped FROM data_keys WHERE stream_id > ? AND wrapped IS NOT NULL ORDER BY stream_id LIMIT ?')
      .all(afterStreamId, limit);
    return rows.map((r) => lookup(r)).filter((l): l is { state: 'present' } & WrappedDataKey => l.state === 'present');
  }

  async rewrap(streamId: string, expectedMasterKeyId: string, next: { masterKeyId: string; wrapped: Buffer }): Promise<boolean> {
    const r = this.db
      .prepare('UPDATE data_keys SET master_key_id = ?, wrapped = ? WHERE stream_id = ? AND master_key_id = ? AND wrapped IS NOT NULL')
      .run(next.masterKeyId, next.wrapped, streamId, expectedMasterKeyId);
    return r.changes === 1;
  }

  async compact(): Promise<void> {
    this.db.exec('VACUUM');
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/**
 * PostgreSQL profile: a `data_keys` table (in the event store's schema by default). PostgreSQL never
 * overwrites a row in place (MVCC): an UPDATE or DELETE leaves the old tuple in the heap file until the
 * table is rewritten, so erasure ends with VACUUM FULL, which copies the live rows to a new file and
 * unlinks the old one. The write-ahead log (pg_wal, archives) still holds the wrapped key until it is
 * recycled: docs/security-confidentiality.md says how master key rotation closes that gap.
 */
export class PostgresDataKeyStore implements DataKeyStore {
  private constructor(
    private readonly pool: Pool,
    private readonly table: string,
  ) {}

  static async connect(options: { connectionString: string; schema: string }): Promise<PostgresDataKeyStore> {
    if (!/^[a-z_][a-z0-9_]*$/i.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    const pool = new Pool({ connectionString: options.connectionString, max: 4 });
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      await pool.query(`CREATE TABLE IF NOT EXISTS "${options.schema}".data_keys (
        stream_id     TEXT PRIMARY KEY,
        master_key_id TEXT NULL,
        wrapped       BYTEA NULL,
        created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
        erased_at     TIMESTAMPTZ NULL
      )`);
    } catch (e) {
      // two processes creating the schema at once: the loser's CREATE may fail on the catalog's unique index
      if ((e as { code?: string }).code !== '23505') {
        await pool.end();
        throw e;
      }
    }
    return new PostgresDataKeyStore(pool, `"${options.schema}".data_keys`);
  }

  /** The table's relation name, e.g. for pg_relation_filepath in tests. */
  get tableName(): string {
    return this.table;
  }

  async find(streamId: string): Promise<DataKeyLookup> {
    const r = await this.pool.query<KeyRow>(`SELECT stream_id, master_key_id, wrapped FROM ${this.table} WHERE stream_id = $1`, [streamId]);
    return lookup(r.rows[0]);
  }

  async insertIfAbsent(key: WrappedDataKey): Promise<DataKeyLookup> {
    await this.pool.query(`INSERT INTO ${this.table} (stream_id, master_key_id, wrapped) VALUES ($1, $2, $3) ON CONFLICT (stream_id) DO NOTHING`, [
      key.streamId,
      key.masterKeyId,
      key.wrapped,
    ]);
    return this.find(key.streamId);
  }

  async destroy(streamId: string): Promise<boolean> {
    const r = await this.pool.query<{ had: boolean; xid: string }>(
      `INSERT INTO ${this.table} AS k (stream_id, master_key_id, wrapped, erased_at) VALUES ($1, NULL, NULL, now())
       ON CONFLICT (stream_id) DO UPDATE SET master_key_id = NULL, wrapped = NULL, erased_at = now()
       RETURNING (SELECT wrapped IS NOT NULL FROM ${this.table} WHERE stream_id = $1) AS had, txid_current()::text AS xid`,
      [streamId],
    );
    await this.purgeDeadTuples(Number(BigInt(r.rows[0].xid) % 4294967296n));
    return r.rows[0]?.had === true;
  }

  /**
   * The old tuple (with the wrapped key) is dead but still in the heap file: VACUUM FULL rewrites the
   * table without it — but only once no transaction that could still see it is open (VACUUM copies
   * "recently dead" tuples). So wait until every backend's snapshot horizon (backend_xmin) and every
   * open transaction's own id (backend_xid: a transaction between statements has no snapshot but still
   * holds the horizon back) has passed the erasing transaction (bounded: a transaction left open for longer than `maxWaitMs` delays the physical purge
   * until the next erasure, rotation or `keys:rotate`; the key is logically gone at once either way).
   */
  private async purgeDeadTuples(erasingXid: number, maxWaitMs = 15_000): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const r = await this.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE pid <> pg_backend_pid() AND datname = current_database()
            AND ((backend_xmin IS NOT NULL AND backend_xmin::text::bigint <= $1) OR (backend_xid IS NOT NULL AND backend_xid::text::bigint < $1))`,
        [erasingXid],
      );
      if (r.rows[0].n === '0' || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.pool.query(`VACUUM (FULL) ${this.table}`);
  }

  async list(afterStreamId: string, limit: number): Promise<WrappedDataKey[]> {
    const r = await this.pool.query<KeyRow>(
      `SELECT stream_id, master_key_id, wrapped FROM ${this.table} WHERE stream_id > $1 AND wrapped IS NOT NULL ORDER BY stream_id LIMIT $2`,
      [afterStreamId, limit],
    );
    return r.rows.map((row) => lookup(row)).filter((l): l is { state: 'present' } & WrappedDataKey => l.state === 'present');
  }

  async rewrap(streamId: string, expectedMasterKeyId: string, next: { masterKeyId: string; wrapped: Buffer }): Promise<boolean> {
    const r = await this.pool.query(`UPDATE ${this.table} SET master_key_id = $1, wrapped = $2 WHERE stream_id = $3 AND master_key_id = $4 AND wrapped IS NOT NULL`, [
      next.masterKeyId,
      next.wrapped,
      streamId,
      expectedMasterKeyId,
    ]);
    return r.rowCount === 1;
  }

  async compact(): Promise<void> {
    await this.pool.query(`VACUUM (FULL) ${this.table}`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
