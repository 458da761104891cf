import type { DataSource, QueryRunner } from 'typeorm';
import { chunks, type RowMapper, type SqlDialect } from './sql-dialect';

/**
 * How the projection runner reads and writes one projection's table. Two implementations with the same
 * effect — the rows a `SELECT * … WHERE pk IN (…)` returns, and per-key deletes and upserts
 * (`INSERT … ON CONFLICT (pk) DO UPDATE SET every column`) — chosen for speed on each database:
 *
 *  - better-sqlite3: the driver's one in-process connection, used directly with statements prepared once
 *    per table. A TypeORM query costs a statement-cache lookup (and a fresh prepare whenever the text
 *    changes, which it does with every multi-row VALUES list of another length), logging and broadcaster
 *    hooks and a promise per call; a prepared statement's run() is a plain synchronous call. The statements
 *    run on the same connection as the runner's TypeORM transaction (better-sqlite3 has exactly one), so
 *    they are part of it: the rows still commit or roll back together with the checkpoint.
 *  - PostgreSQL (and any other driver): one statement per chunk with one ARRAY parameter per column
 *    (`unnest($1::type[], …)` for upserts, `= ANY($1)` for loads and deletes). The statement text is the same
 *    for any number of rows, so PostgreSQL plans it once per connection, and a chunk is bound as a handful of
 *    arrays instead of tens of thousands of placeholders.
 */
export interface RowStore {
  /** The stored rows of these keys (a key without a row is absent from the map). */
  load(keys: readonly string[]): Promise<Map<string, object>>;
  /** Inside the runner's transaction: delete these keys, then upsert these rows. */
  write(qr: QueryRunner, deletes: readonly string[], upserts: readonly object[]): Promise<void>;
}

export function rowStoreFor(dataSource: DataSource, dialect: SqlDialect, table: string, mapper: RowMapper<object>, primaryKey: string): RowStore {
  if (dataSource.options.type === 'better-sqlite3') return new BetterSqliteRowStore(dataSource, dialect, table, mapper, primaryKey);
  if (dialect.postgres) return new ArrayParameterRowStore(dataSource, dialect, table, mapper, primaryKey);
  return new PortableRowStore(dataSource, dialect, table, mapper, primaryKey);
}

/** The part of better-sqlite3's API used here (typed locally: the driver exposes its connection as `any`). */
interface SqliteStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): Record<string, unknown> | undefined;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

function upsertTail(dialect: SqlDialect, mapper: RowMapper<object>): string {
  const pk = dialect.quote(mapper.primary.databaseName);
  const updates = mapper.columns.filter((c) => c !== mapper.primary).map((c) => `${dialect.quote(c.databaseName)} = excluded.${dialect.quote(c.databaseName)}`);
  return `ON CONFLICT (${pk}) ${updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING'}`;
}

export class BetterSqliteRowStore implements RowStore {
  private statements?: { connection: SqliteConnection; select: SqliteStatement; remove: SqliteStatement; upsert: SqliteStatement };

  constructor(
    private readonly dataSource: DataSource,
    private readonly dialect: SqlDialect,
    private readonly table: string,
    private readonly mapper: RowMapper<object>,
    private readonly primaryKey: string,
  ) {}

  /** The statements' text, for a second connection (SqliteWriteBehind). */
  sql(): { deleteSql: string; upsertSql: string } {
    const pk = this.dialect.quote(this.mapper.primary.databaseName);
    const names = this.mapper.columns.map((c) => this.dialect.quote(c.databaseName));
    return {
      deleteSql: `DELETE FROM ${this.table} WHERE ${pk} = ?`,
      upsertSql: `INSERT INTO ${this.table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ${upsertTail(this.dialect, this.mapper)}`,
    };
  }

  /** Prepared on first use (the tables exist once the migrations ran) and again if the DataSource reconnected. */
  private prepared() {
    const connection = (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
    if (this.statements?.connection !== connection) {
      const pk = this.dialect.quote(this.mapper.primary.databaseName);
      const { deleteSql, upsertSql } = this.sql();
      this.statements = {
        connection,
        select: connection.prepare(`SELECT * FROM ${this.table} WHERE ${pk} = ?`),
        remove: connection.prepare(deleteSql),
        upsert: connection.prepare(upsertSql),
      };
    }
    return this.statements;
  }

  async load(keys: readonly string[]): Promise<Map<string, object>> {
    const { select } = this.prepared();
    const rows = new Map<string, object>();
    // one indexed point lookup per key: as fast as an IN list in-process, and the statement is reused
    for (const key of keys) {
      const raw = select.get(key);
      if (raw) {
        const row = this.mapper.fromDatabase(raw);
        rows.set(String((row as Record<string, unknown>)[this.primaryKey]), row);
      }
    }
    return rows;
  }

  async write(_qr: QueryRunner, deletes: readonly string[], upserts: readonly object[]): Promise<void> {
    const { remove, upsert } = this.prepared();
    for (const key of deletes) remove.run(key);
    for (const row of upserts) upsert.run(...this.mapper.toDatabase(row));
  }
}

class ArrayParameterRowStore implements RowStore {
  private readonly selectSql: string;
  private readonly deleteSql: string;
  private readonly upsertSql: string;
  /** PostgreSQL array types of the columns, e.g. `character varying[]` (simple-json columns are text) */
  private readonly pkType: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly dialect: SqlDialect,
    table: string,
    private readonly mapper: RowMapper<object>,
    private readonly primaryKey: string,
  ) {
    const driver = dataSource.driver;
    const pk = dialect.quote(mapper.primary.databaseName);
    this.pkType = driver.normalizeType(mapper.primary);
    const names = mapper.columns.map((c) => dialect.quote(c.databaseName));
    const arrays = mapper.columns.map((c, i) => `$${i + 1}::${driver.normalizeType(c)}[]`);
    this.selectSql = `SELECT * FROM ${table} WHERE ${pk} = ANY($1::${this.pkType}[])`;
    this.deleteSql = `DELETE FROM ${table} WHERE ${pk} = ANY($1::${this.pkType}[])`;
    this.upsertSql = `INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')}) ${upsertTail(dialect, mapper)}`;
  }

  async load(keys: readonly string[]): Promise<Map<string, object>> {
    const rows = new Map<string, object>();
    for (const chunk of chunks(keys, 10_000)) {
      const raws = (await this.dataSource.query(this.selectSql, [chunk])) as Record<string, unknown>[];
      for (const raw of raws) {
        const row = this.mapper.fromDatabase(raw);
        rows.set(String((row as Record<string, unknown>)[this.primaryKey]), row);
      }
    }
    return rows;
  }

  async write(qr: QueryRunner, deletes: readonly string[], upserts: readonly object[]): Promise<void> {
    for (const chunk of chunks(deletes, 10_000)) await qr.query(this.deleteSql, [chunk]);
    const width = this.mapper.columns.length;
    for (const chunk of chunks(upserts, 5_000)) {
      const columns: unknown[][] = Array.from({ length: width }, () => new Array<unknown>(chunk.length));
      chunk.forEach((row, r) => {
        const values = this.mapper.toDatabase(row);
        for (let c = 0; c < width; c++) (columns[c] as unknown[])[r] = values[c];
      });
      await qr.query(this.upsertSql, columns);
    }
  }
}

/** Plain SQL with one placeholder per value, for any other driver SqlDialect accepts (node-sqlite3). */
class PortableRowStore implements RowStore {
  private readonly pk: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly dialect: SqlDialect,
    private readonly table: string,
    private readonly mapper: RowMapper<object>,
    private readonly primaryKey: string,
  ) {
    this.pk = dialect.quote(mapper.primary.databaseName);
  }

  async load(keys: readonly string[]): Promise<Map<string, object>> {
    const rows = new Map<string, object>();
    for (const chunk of chunks(keys, Math.min(this.dialect.maxParams, 5000))) {
      const p = this.dialect.params();
      const raws = (await this.dataSource.query(`SELECT * FROM ${this.table} WHERE ${this.pk} IN (${p.list(chunk)})`, p.values)) as Record<string, unknown>[];
      for (const raw of raws) {
        const row = this.mapper.fromDatabase(raw);
        rows.set(String((row as Record<string, unknown>)[this.primaryKey]), row);
      }
    }
    return rows;
  }

  async write(qr: QueryRunner, deletes: readonly string[], upserts: readonly object[]): Promise<void> {
    for (const chunk of chunks(deletes, Math.min(this.dialect.maxParams, 5000))) {
      const p = this.dialect.params();
      await qr.query(`DELETE FROM ${this.table} WHERE ${this.pk} IN (${p.list(chunk)})`, p.values);
    }
    const names = this.mapper.columns.map((c) => this.dialect.quote(c.databaseName));
    const perStatement = Math.max(1, Math.floor(this.dialect.maxParams / names.length));
    for (const chunk of chunks(upserts, perStatement)) {
      const p = this.dialect.params();
      const values = chunk.map((row) => `(${p.list(this.mapper.toDatabase(row))})`).join(', ');
      await qr.query(`INSERT INTO ${this.table} (${names.join(', ')}) VALUES ${values} ${upsertTail(this.dialect, this.mapper)}`, p.values);
    }
  }
}
