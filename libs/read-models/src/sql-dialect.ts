import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { bigintAsNumber } from './entities/column-options';

/**
 * The little SQL the runner and the queries write by hand, kept portable between SQLite (better-sqlite3)
 * and PostgreSQL: double-quoted identifiers, `INSERT … ON CONFLICT (pk) DO UPDATE SET c = excluded.c`
 * (both since SQLite 3.24), and the one real difference — `?` versus `$n` placeholders. Values go
 * through TypeORM's own driver conversions (booleans to 0/1 on SQLite, simple-json, transformers), so a
 * row written here reads back through a repository exactly as if TypeORM had written it.
 */
export class SqlDialect {
  readonly postgres: boolean;
  /** bound parameters per statement: SQLite's default limit is 32766, PostgreSQL's 65535 */
  readonly maxParams: number;

  constructor(readonly dataSource: DataSource) {
    const type = dataSource.options.type;
    this.postgres = type === 'postgres';
    if (!this.postgres && type !== 'better-sqlite3' && type !== 'sqlite') {
      throw new Error(`read models support better-sqlite3 and postgres, not ${type}`);
    }
    this.maxParams = this.postgres ? 60_000 : 30_000;
  }

  quote(identifier: string): string {
    return `"${identifier.replace(/"/g, '""')}"`;
  }

  table(target: EntityTarget<ObjectLiteral>): string {
    const m = this.dataSource.getMetadata(target);
    return m.schema ? `${this.quote(m.schema)}.${this.quote(m.tableName)}` : this.quote(m.tableName);
  }

  /** A boolean as a bound parameter: better-sqlite3 binds only numbers/strings (booleans are stored 0/1). */
  bool(value: boolean): boolean | number {
    return this.postgres ? value : value ? 1 : 0;
  }

  params(): SqlParams {
    return new SqlParams(this.postgres);
  }
}

/** Collects bound values and hands out the dialect's placeholder for each. */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly postgres: boolean) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.postgres ? `$${this.values.length}` : '?';
  }

  list(values: readonly unknown[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }
}

/** Column mapping of one entity, between plain row objects and database values. */
export class RowMapper<Row extends object> {
  readonly columns: ColumnMetadata[];
  readonly primary: ColumnMetadata;
  readonly metadata: EntityMetadata;
  /** per column, how toDatabase converts a value (see the constructor) */
  private readonly toDatabaseOf: ((value: unknown) => unknown)[];

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<ObjectLiteral>,
  ) {
    this.metadata = dataSource.getMetadata(target);
    this.columns = this.metadata.columns;
    if (this.metadata.primaryColumns.length !== 1) throw new Error(`${this.metadata.tableName}: one primary key column expected`);
    this.primary = this.metadata.primaryColumns[0];
    // Converters compiled once per column for the column kinds the read models use, so that writing a
    // row does not walk the driver's chain of type checks for every value (a rebuild writes millions of
    // values). Each does exactly what both drivers' preparePersistentValue does for that kind — strings,
    // integers and bigints (whose only transformer, bigintAsNumber, writes the number unchanged) pass
    // through, simple-json is JSON.stringify, null stays null — and sql-dialect.spec.ts checks them
    // against the driver. Any other kind (booleans, dates, other transformers) still goes to the driver.
    this.toDatabaseOf = this.columns.map((c) => {
      const t = c.transformer;
      if ((t === undefined && (c.type === 'varchar' || c.type === 'text' || c.type === 'integer')) || (t === bigintAsNumber && c.type === 'bigint')) {
        return (value: unknown) => (value === undefined ? null : value);
      }
      if (t === undefined && c.type === 'simple-json') return (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
      return (value: unknown) => dataSource.driver.preparePersistentValue(value === undefined ? null : value, c);
    });
  }

  toDatabase(row: Row): unknown[] {
    const record = row as Record<string, unknown>;
    const out = new Array<unknown>(this.columns.length);
    for (let i = 0; i < out.length; i++) out[i] = (this.toDatabaseOf[i] as (v: unknown) => unknown)(record[(this.columns[i] as ColumnMetadata).propertyName]);
    return out;
  }

  fromDatabase(raw: Record<string, unknown>): Row {
    const row: Record<string, unknown> = {};
    for (const c of this.columns) row[c.propertyName] = this.dataSource.driver.prepareHydratedValue(raw[c.databaseName], c);
    return row as Row;
  }
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
