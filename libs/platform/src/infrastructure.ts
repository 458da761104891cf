import { DataSource, type DataSourceOptions } from 'typeorm';
import { EVENT_SCHEMA_VERSIONS, isCoordinationEventType } from '@coord/domain';
import { CommandHandler, KurrentDbEventStore, PostgresEventStore, SqliteEventStore, type EventStore } from '@coord/event-store';
import { ALL_PROJECTIONS, createProjectionLease, ProjectionRunner, READ_MODEL_ENTITIES, READ_MODEL_MIGRATIONS } from '@coord/read-models';
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
  const store = instrumentEventStore(await openEventStore(config));
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
    async close() {
      unregisterMetrics();
      await runner.stop();
      await dataSource.destroy();
      await store.close();
    },
  };
}
