import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { SqliteEventStore } from '@coord/event-store';
import { loadConfig, openReadModels, type AppConfig } from '@coord/platform';
import { ALL_PROJECTIONS, ProjectionRunner } from '@coord/read-models';

/*
 * The embedded system as the api opens it, minus HTTP, for the query and growth benchmarks: configuration
 * from loadConfig (so the read-model database is the api's: SQLite file with WAL and synchronous=NORMAL, or
 * PostgreSQL schema coord_read), the read models opened and migrated by openReadModels, the projection
 * runner over ALL_PROJECTIONS with the configured batch size.
 *
 * The event store is the plain SQLite adapter (synchronous=FULL, as configured by default), without the
 * EncryptingEventStore wrapper the api puts around it: the measured code never reads confidential parts
 * (projections do not project them), so sealing them would only slow the bulk load down.
 */

export type ReadModelKind = 'sqlite' | 'postgres';

export interface BenchSystem {
  dir: string;
  config: AppConfig;
  store: SqliteEventStore;
  dataSource: DataSource;
  runner: ProjectionRunner;
  /** bytes of the event store file plus its WAL */
  storeBytes(): number;
  /** bytes of the SQLite read-model file plus its WAL (0 on PostgreSQL: see pgReadModelBytes) */
  readModelBytes(): Promise<number>;
  close(options?: { keep?: boolean }): Promise<void>;
}

const fileBytes = (file: string): number => [file, `${file}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);

export async function openBenchSystem(options: { name: string; dir?: string; readModels: ReadModelKind; pgAdminUrl?: string }): Promise<BenchSystem> {
  const keepDir = options.dir !== undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), `bench-${options.name}-`));
  const pgDb = `bench_${options.name.replace(/[^a-z0-9]/g, '_')}`;
  const adminUrl = options.pgAdminUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const env: Record<string, string> = { COORD_DATA_DIR: dir, COORD_READ_MODELS: options.readModels };
  if (options.readModels === 'postgres') {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [pgDb]);
      // a kept data dir keeps its database too (the read models there belong to its events)
      if (exists.rowCount && !keepDir) await admin.query(`DROP DATABASE "${pgDb}"`);
      if (!exists.rowCount || !keepDir) await admin.query(`CREATE DATABASE "${pgDb}"`);
    } finally {
      await admin.end();
    }
    const url = new URL(adminUrl);
    url.pathname = `/${pgDb}`;
    env.COORD_PG_URL = url.toString();
  }
  const config = loadConfig(env);
  if (config.eventStore.kind !== 'sqlite') throw new Error('bench system: SQLite event store expected');
  const store = SqliteEventStore.open(config.eventStore.file);
  const dataSource = await openReadModels(config);
  const runner = new ProjectionRunner({ store, dataSource, projections: ALL_PROJECTIONS, batchSize: config.projections.batchSize });
  const eventsFile = config.eventStore.file;
  const rm = config.readModels;
  return {
    dir,
    config,
    store,
    dataSource,
    runner,
    storeBytes: () => fileBytes(eventsFile),
    readModelBytes: async () => {
      if (rm.kind === 'sqlite') return fileBytes(rm.file);
      const [row] = (await dataSource.query(
        `SELECT COALESCE(SUM(pg_total_relation_size(format('%I.%I', schemaname, tablename))), 0)::bigint AS "bytes" FROM pg_tables WHERE schemaname = $1`,
        [rm.schema],
      )) as { bytes: string }[];
      return Number(row?.bytes ?? 0);
    },
    async close(closeOptions = {}) {
      await runner.stop();
      if (dataSource.isInitialized) await dataSource.destroy();
      await store.close();
      if (closeOptions.keep || keepDir) return;
      rmSync(dir, { recursive: true, force: true });
      if (options.readModels === 'postgres') {
        const admin = new Client({ connectionString: adminUrl });
        await admin.connect();
        try {
          await admin.query(`DROP DATABASE IF EXISTS "${pgDb}"`);
        } finally {
          await admin.end();
        }
      }
    },
  };
}

/** Row counts of the tables the measured queries read (to say what "at N events" meant). */
export async function readModelRowCounts(dataSource: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['lead_register', 'lead_access', 'follow_up_clocks', 'recovered_losses', 'case_register']) {
    const m = dataSource.entityMetadatas.find((e) => e.tableName === table);
    if (!m) continue;
    const name = m.schema ? `"${m.schema}"."${table}"` : `"${table}"`;
    const [row] = (await dataSource.query(`SELECT COUNT(*) AS "n" FROM ${name}`)) as { n: string | number }[];
    out[table] = Number(row?.n ?? 0);
  }
  return out;
}
