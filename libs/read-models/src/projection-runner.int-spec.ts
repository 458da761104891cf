import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@coord/event-store';
import { DataSource } from 'typeorm';
import { ALL_PROJECTIONS } from './all.projections';
import { READ_MODEL_ENTITIES } from './entities/read-model.entities';
import { LeadRegisterEntity } from './entities/lead-register.entity';
import { ProjectionRunner } from './projection-runner';
import { RecoveredLossQuery } from './queries/recovered-loss.query';
import { CaseQuery } from './queries/case.query';
import { OverdueFollowUpQuery } from './queries/overdue-follow-up.query';
import { WorkingDayCalendar } from '@coord/domain';
import { READ_MODEL_MIGRATIONS } from './read-model.migrations';
import { newEvent } from './testing/event-feed';
import { seedHistory } from './testing/history.fixture';
import { dumpReadModels, openTestReadModels } from './testing/read-model-data-source';

const PG_URL = process.env.COORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Read models in a fresh PostgreSQL schema (dropped afterwards), built by the real migration. */
async function openPg(schema: string): Promise<DataSource> {
  return new DataSource({
    type: 'postgres',
    url: PG_URL,
    schema,
    entities: [...READ_MODEL_ENTITIES],
    migrations: [...READ_MODEL_MIGRATIONS],
    migrationsRun: true,
    logging: false,
  }).initialize();
}

describe('ProjectionRunner with PostgreSQL read models (SQLite event store)', () => {
  const schema = `rm_test_${process.pid}_${Date.now()}`;
  let admin: DataSource;
  let dir: string;
  let store: SqliteEventStore;
  let pg: DataSource;

  beforeAll(async () => {
    admin = await new DataSource({ type: 'postgres', url: PG_URL }).initialize();
    await admin.query(`CREATE SCHEMA "${schema}"`);
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.destroy();
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'read-models-pg-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
    pg = await openPg(schema);
    const runner = new ProjectionRunner({ store, dataSource: pg, projections: ALL_PROJECTIONS });
    await runner.rebuild(); // clean tables and checkpoints between tests (same schema)
  });
  afterEach(async () => {
    if (pg.isInitialized) await pg.destroy();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuild() reproduces identical tables, and they equal the SQLite read models', async () => {
    const head = await seedHistory(store);
    const runner = new ProjectionRunner({ store, dataSource: pg, projections: ALL_PROJECTIONS, batchSize: 9 });
    await runner.runUntilCaughtUp();
    const before = await dumpReadModels(pg);
    expect(JSON.parse(before.case_bulletin_sources)).not.toHaveLength(0);

    expect(await runner.rebuild()).toBe(head);
    expect(await dumpReadModels(pg)).toEqual(before);

    // same rows on both databases (bigint fen and positions come back as numbers, booleans as booleans)
    const sqlite = await openTestReadModels();
    await new ProjectionRunner({ store, dataSource: sqlite, projections: ALL_PROJECTIONS }).runUntilCaughtUp();
    expect(await dumpReadModels(sqlite)).toEqual(before);
    expect(await new RecoveredLossQuery(pg).totals({ groupBy: 'quarter' })).toEqual(await new RecoveredLossQuery(sqlite).totals({ groupBy: 'quarter' }));
    expect((await new CaseQuery(pg).list({ major: true })).total).toBe((await new CaseQuery(sqlite).list({ major: true })).total);
    // the paged overdue list (per-clock ranges, counts, tie extension) answers the same on both
    const clocks = { transferAcknowledgeWorkingDays: 5, transferDecisionWorkingDays: 5, leadDispositionWorkingDays: 15, dispositionWorkingDays: { 'talk-inquiry': 30 }, majorCaseProgressDays: 30 };
    const calendar = new WorkingDayCalendar();
    for (const q of [{ asOf: '2099-01-01' }, { asOf: '2099-01-01', limit: 2, offset: 1 }, { asOf: '2026-06-30', agency: 'audit-bureau' }]) {
      const onPg = await new OverdueFollowUpQuery(pg).list({ ...q, calendar, clocks });
      expect(onPg).toEqual(await new OverdueFollowUpQuery(sqlite).list({ ...q, calendar, clocks }));
      if (q.asOf === '2099-01-01' && !q.limit) expect(onPg.total).toBeGreaterThan(0);
    }
    await sqlite.destroy();
  });

  it('resumes from the committed checkpoint after a restart', async () => {
    const subject = { name: '周某', post: '所长', unit: '县某所' };
    const reg = (leadId: string) =>
      store.append(`lead-${leadId}`, [newEvent('lead.registered', { leadId, ledgerNo: `LC-2026-${leadId}`, source: 'other', reportingAgency: 'court', subject, allegation: 'a', receivedOn: '2026-03-02', important: false, hasInformant: false })], 0);
    await reg('A');
    await reg('B');
    await new ProjectionRunner({ store, dataSource: pg, projections: ALL_PROJECTIONS }).runUntilCaughtUp();
    await pg.destroy();

    const { lastPosition } = await reg('C');
    pg = await openPg(schema);
    const restarted = new ProjectionRunner({ store, dataSource: pg, projections: ALL_PROJECTIONS });
    expect(await restarted.checkpoint()).toBe(lastPosition - 1);
    await restarted.runUntilCaughtUp();
    expect(await restarted.checkpoint()).toBe(lastPosition);
    expect((await pg.getRepository(LeadRegisterEntity).find({ order: { leadId: 'ASC' } })).map((r) => [r.leadId, r.registeredPosition])).toEqual([
      ['A', lastPosition - 2],
      ['B', lastPosition - 1],
      ['C', lastPosition],
    ]);
  });
});
