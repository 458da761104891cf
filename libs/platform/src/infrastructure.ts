import { DataSource, type DataSourceOptions } from 'typeorm';
import { EVENT_SCHEMA_VERSIONS, isCoordinationEventType } from '@coord/domain';
import {
  CommandHandler,
  ConfidentialVault,
  EncryptingEventStore,
  KurrentDbEventStore,
  PostgresDataKeyStore,
  PostgresEventStore,
  SqliteDataKeyStore,
  SqliteEventStore,
  type DataKeyStore,
  type EventStore,
} from '@coord/event-store';
import { ALL_PROJECTIONS, createProjectionLease, ProjectionRunner, READ_MODEL_ENTITIES, READ_MODEL_MIGRATIONS } from '@coord/read-models';
import { dirname, join } from 'node:path';
import type { AppConfig } from './app-config';
import { instrumentEventStore, registerProjectionMetrics, startProcessMetrics } from './metrics';
import { ReadinessRegistry } from './readiness';

/**
 * Adapter selection in one place: configuration chooses the event store and the read-model database;
 * the api, the projector and the rebuild command all open the system through here.
 */
export interface Infrastructure {
  config: AppConfig;
  store: EventStore;
  handler: CommandHandler;
  dataSource: DataSource;
  runner: ProjectionRunner;
  /** readiness checks for /health/ready: eventStore and readModels built in; other modules add theirs */
  readiness: ReadinessRegistry;
  /** envelope encryption of confidential parts: the informant endpoint and erasure use it directly */
  vault: ConfidentialVault;
  close(): Promise<void>;
}

export interface InfrastructureLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, trace?: string): void;
}

export const schemaVersionOf = (type: string): number => {
  if (!isCoordinationEventType(type)) throw new Error(`unknown event type ${type}`);
  return EVENT_SCHEMA_VERSIONS[type];
};

export async function openEventStore(config: AppConfig): Promise<EventStore> {
  const es = config.eventStore;
  if (es.kind === 'kurrentdb') return KurrentDbEventStore.connect({ connectionString: es.url, namespace: es.namespace });
  return es.kind === 'sqlite' ? SqliteEventStore.open(es.file) : PostgresEventStore.connect({ connectionString: es.url, schema: es.schema });
}

/**
 * Where the wrapped data keys live: beside the events but never inside them — a separate SQLite file
 * (`keys.sqlite`) in the embedded profile, a `data_keys` table in PostgreSQL otherwise (KurrentDB has
 * no tables: its keys go to PostgreSQL, schema `coord_keys`).
 */
export async function openDataKeyStore(config: AppConfig): Promise<DataKeyStore> {
  const es = config.eventStore;
  if (es.kind === 'sqlite') return SqliteDataKeyStore.open(join(dirname(es.file), 'keys.sqlite'));
  if (es.kind === 'postgres') return PostgresDataKeyStore.connect({ connectionString: es.url, schema: es.schema });
  const rm = config.readModels;
  if (rm.kind !== 'postgres') throw new Error('KurrentDB needs PostgreSQL (COORD_PG_URL) for its data key table');
  return PostgresDataKeyStore.connect({ connectionString: rm.url, schema: 'coord_keys' });
}

/** The adapter wrapped so that confidential parts are sealed before they reach it (EncryptingEventStore). */
export async function openEncryptedEventStore(config: AppConfig): Promise<EncryptingEventStore> {
  return new EncryptingEventStore(await openEventStore(config), ConfidentialVault.lazy(config.masterKey, () => openDataKeyStore(config)));
}

export function readModelDataSourceOptions(config: AppConfig): DataSourceOptions {
  const rm = config.readModels;
  const common = { entities: [...READ_MODEL_ENTITIES], migrations: [...READ_MODEL_MIGRATIONS], migrationsRun: false, synchronize: false, logging: false };
  return rm.kind === 'sqlite'
    ? // WAL so api reads never wait for the projector's write transaction; NORMAL is durable enough here
      // because read models are rebuildable from the event store, which itself runs with synchronous=FULL.
      { type: 'better-sqlite3', database: rm.file, enableWAL: true, prepareDatabase: (db: { pragma(s: string): unknown }) => void db.pragma('synchronous = NORMAL'), ...common }
    : { type: 'postgres', url: rm.url, schema: rm.schema, ...common };
}

export async function openReadModels(config: AppConfig): Promise<DataSource> {
  const options = readModelDataSourceOptions(config);
  if (options.type === 'postgres' && options.schema) {
    // TypeORM does not create the schema it is told to use; create it before the migrations run.
    const bootstrap = new DataSource({ type: 'postgres', url: (options as { url: string }).url });
    await bootstrap.initialize();
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    await bootstrap.destroy();
  }
  const ds = new DataSource(options);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

export async function openInfrastructure(config: AppConfig, logger?: InfrastructureLogger): Promise<Infrastructure> {
  // append latency is measured around the adapter (metrics.ts), not inside it
  const encrypted = await openEncryptedEventStore(config);
  const store = instrumentEventStore(encrypted);
  const dataSource = await openReadModels(config);
  const handler = new CommandHandler(store, { schemaVersionOf });
  const runner = new ProjectionRunner({
    store,
    dataSource,
    projections: ALL_PROJECTIONS,
    batchSize: config.projections.batchSize,
    pollIntervalMs: config.projections.pollIntervalMs,
    // one active runner per projection across processes (advisory lock on PostgreSQL, lease row on SQLite)
    lease: createProjectionLease(
      dataSource,
      ALL_PROJECTIONS.map((p) => p.name),
      { ttlMs: config.projections.leaseTtlMs },
    ),
    // the runner logs structured facts (positions, counts, error names): never event payloads
    logger: logger && {
      info: (facts, msg) => logger.log(`${msg} ${JSON.stringify(facts)}`),
      error: (facts, msg) => logger.error(`${msg} ${JSON.stringify(facts)}`),
    },
  });
  startProcessMetrics();
  const unregisterMetrics = registerProjectionMetrics(store, runner);
  const readiness = new ReadinessRegistry();
  readiness.register('eventStore', async () => ({ headPosition: await store.headPosition() }));
  readiness.register('readModels', async () => {
    await dataSource.query('SELECT 1');
    // lag is information, not failure: a rebuild or a standby projector legitimately runs behind
    return { checkpoint: await runner.checkpoint() };
  });
  return {
    config,
    store,
    handler,
    dataSource,
    runner,
    readiness,
    vault: encrypted.vault,
    async close() {
      unregisterMetrics();
      await runner.stop();
      await dataSource.destroy();
      await store.close();
    },
  };
}
