import type { EventStore, StoredEvent } from '@coord/event-store';
import type { DataSource } from 'typeorm';
import { ProjectionCheckpointEntity } from './entities/projection-checkpoint.entity';
import type { RowProjection } from './projection';
import { type ProjectionLogger, ProjectionRunner } from './projection-runner';
import { RowMapper, SqlDialect } from './sql-dialect';

export interface ShadowRebuildOptions {
  store: EventStore;
  /** the read models the api serves from */
  live: DataSource;
  /**
   * An EMPTY, migrated copy of the read-model schema: a second PostgreSQL schema in the same database as
   * `live`, or a second SQLite file (`shadowFile` must then name it).
   */
  shadow: DataSource;
  shadowFile?: string;
  projections: readonly RowProjection<object>[];
  batchSize?: number;
  transform?: (e: StoredEvent) => StoredEvent;
  logger?: ProjectionLogger;
  /** runs inside the swap transaction, after the copy and before the commit (lets a test read from
   *  another connection at the one moment the live tables are being replaced) */
  beforeCommit?: () => Promise<void>;
}

export interface ShadowRebuildResult {
  /** the position the swapped-in tables were built up to */
  position: number;
  events: number;
}

const ATTACHED = 'coord_rebuild_shadow';

/**
 * Rebuild while reads continue: replay the whole log into a shadow copy of the read models, then copy the
 * shadow over the live tables in ONE transaction on the live database (DELETE + INSERT … SELECT per table,
 * checkpoints set to the shadow's position).
 *
 * Why a copy and not a rename swap: the same code is correct on both databases. Readers are MVCC
 * (PostgreSQL) or WAL snapshots (SQLite), so until the commit they see the old rows and afterwards the new
 * ones — never an empty table. A rename swap (ALTER TABLE/SCHEMA … RENAME) would be O(1) instead of
 * O(rows), but on SQLite the api's open connection keeps the old file, and on PostgreSQL the index names
 * drift from the migrations'. The price of the copy: the tables are written twice, the swap transaction
 * holds the write side for the length of the copy (the live projector waits; readers do not), and on
 * PostgreSQL the deleted row versions are left to autovacuum. At a county's size (10^4–10^5 rows) the copy
 * takes well under a second.
 *
 * The live projector keeps running throughout. The swap locks the checkpoint rows first, exactly as the
 * runner's batch transaction does, so the two serialize; afterwards the live runner's guarded checkpoint
 * update sees the moved checkpoint, rolls its batch back, re-reads and continues from the shadow's
 * position. Events appended during the rebuild are therefore applied once, by the live runner.
 */
export async function rebuildViaShadow(options: ShadowRebuildOptions): Promise<ShadowRebuildResult> {
  const liveDialect = new SqlDialect(options.live);
  if (!liveDialect.postgres && !options.shadowFile) throw new Error('a SQLite shadow rebuild needs shadowFile');
  const shadowRunner = new ProjectionRunner({
    store: options.store,
    dataSource: options.shadow,
    projections: options.projections,
    batchSize: options.batchSize,
    transform: options.transform,
    logger: options.logger,
  });
  const events = await shadowRunner.rebuild();
  const checkpoints = await shadowRunner.projectionCheckpoints();
  const position = Math.min(...checkpoints.values());
  if (!liveDialect.postgres) {
    // the copy reads the shadow file through the live connection: flush and close it first
    await options.shadow.destroy();
    await options.live.query(`ATTACH DATABASE ? AS ${ATTACHED}`, [options.shadowFile]);
  }
  try {
    await swapIn(options, liveDialect, checkpoints);
  } finally {
    if (!liveDialect.postgres) await options.live.query(`DETACH DATABASE ${ATTACHED}`);
  }
  options.logger?.info({ position, events, projections: options.projections.map((p) => p.name) }, 'shadow read models swapped in');
  return { position, events };
}

async function swapIn(options: ShadowRebuildOptions, dialect: SqlDialect, checkpoints: Map<string, number>): Promise<void> {
  const live = options.live;
  const checkpointTable = dialect.table(ProjectionCheckpointEntity);
  const shadowTable = (entity: new () => object): string =>
    dialect.postgres ? new SqlDialect(options.shadow).table(entity) : `${ATTACHED}.${dialect.quote(live.getMetadata(entity).tableName)}`;
  const qr = live.createQueryRunner();
  await qr.connect();
  // SQLite: take the write lock at BEGIN, so the copy cannot fail half-way on a busy upgrade
  if (dialect.postgres) await qr.startTransaction();
  else await qr.query('BEGIN IMMEDIATE');
  try {
    const names = [...checkpoints.keys()].sort();
    {
      const p = dialect.params();
      const values = names.map((n) => `(${p.add(n)}, ${p.add(0)})`).join(', ');
      await qr.query(`INSERT INTO ${checkpointTable} ("name", "position") VALUES ${values} ON CONFLICT ("name") DO NOTHING`, p.values);
    }
    if (dialect.postgres) {
      // same lock order as the runner's batch: checkpoint rows first (see ProjectionRunner.lockCheckpoints)
      const p = dialect.params();
      await qr.query(`SELECT "name" FROM ${checkpointTable} WHERE "name" IN (${p.list(names)}) ORDER BY "name" FOR UPDATE`, p.values);
    }
    const seen = new Set<unknown>();
    for (const projection of options.projections) {
      if (seen.has(projection.entity)) continue;
      seen.add(projection.entity);
      const columns = new RowMapper<object>(live, projection.entity).columns.map((c) => dialect.quote(c.databaseName)).join(', ');
      const target = dialect.table(projection.entity);
      await qr.query(`DELETE FROM ${target}`);
      await qr.query(`INSERT INTO ${target} (${columns}) SELECT ${columns} FROM ${shadowTable(projection.entity)}`);
    }
    for (const [name, position] of checkpoints) {
      const p = dialect.params();
      await qr.query(`UPDATE ${checkpointTable} SET "position" = ${p.add(position)} WHERE "name" = ${p.add(name)}`, p.values);
    }
    await options.beforeCommit?.();
    if (dialect.postgres) await qr.commitTransaction();
    else await qr.query('COMMIT');
  } catch (err) {
    if (dialect.postgres) await qr.rollbackTransaction().catch(() => undefined);
    else await qr.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await qr.release();
  }
}
