import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore, SqliteEventStore, type StoredEvent } from '@coord/event-store';
import type { DataSource } from 'typeorm';
import { ALL_PROJECTIONS } from './all.projections';
import { LeadRegisterEntity } from './entities/lead-register.entity';
import type { ProjectedEvent, RowProjection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { leadRegisterProjection } from './projections/lead-register.projection';
import { seedHistory } from './testing/history.fixture';
import { newEvent } from './testing/event-feed';
import { dumpReadModels, openTestReadModels } from './testing/read-model-data-source';

const subject = { name: '王某', post: '科长', unit: '县财政局' };

async function registerLead(store: EventStore, leadId: string, informant = false) {
  return store.append(
    `lead-${leadId}`,
    [
      newEvent(
        'lead.registered',
        { leadId, ledgerNo: `LC-2026-${leadId}`, source: 'petition', reportingAgency: 'finance-bureau', subject, allegation: '虚报冒领', receivedOn: '2026-03-02', important: false, hasInformant: informant },
        informant ? { informant: { name: '赵举报人', contact: '13900000000' } } : undefined,
      ),
    ],
    0,
  );
}

/** Wraps a projection to watch what reaches apply (and optionally fail on a chosen lead). */
function spying(base: RowProjection<LeadRegisterEntity>, failOn?: { leadId: string | null }) {
  const seen: ProjectedEvent[] = [];
  const projection: RowProjection<LeadRegisterEntity> = {
    ...base,
    apply: (rows, e) => {
      seen.push(e);
      if (failOn?.leadId && (e.data as { leadId?: string }).leadId === failOn.leadId) throw new Error('boom');
      return base.apply(rows, e);
    },
  };
  return { projection, seen };
}

describe('ProjectionRunner (SQLite event store, SQLite read models)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let ds: DataSource;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'read-models-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
    ds = await openTestReadModels(join(dir, 'read.db'));
  });

  afterEach(async () => {
    if (ds.isInitialized) await ds.destroy();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads in batches and commits rows with the checkpoint', async () => {
    for (let i = 1; i <= 25; i++) await registerLead(store, String(i).padStart(4, '0'));
    const readAll = jest.spyOn(store, 'readAll');
    const runner = new ProjectionRunner({ store, dataSource: ds, projections: [leadRegisterProjection], batchSize: 10 });

    expect(await runner.runUntilCaughtUp()).toBe(25);

    expect(readAll.mock.calls).toEqual([
      [0, 10],
      [10, 10],
      [20, 10],
      [25, 10],
    ]);
    expect(await ds.getRepository(LeadRegisterEntity).count()).toBe(25);
    expect(await runner.checkpoint()).toBe(25);
    expect(await ds.query(`SELECT "name", "position" FROM "projection_checkpoints"`)).toEqual([{ name: 'lead-register', position: 25 }]);
  });

  it('resumes from the committed checkpoint after a restart and applies each event once', async () => {
    await registerLead(store, '0001');
    await registerLead(store, '0002');
    await new ProjectionRunner({ store, dataSource: ds, projections: [leadRegisterProjection] }).runUntilCaughtUp();
    await ds.destroy();

    await registerLead(store, '0003');
    ds = await openTestReadModels(join(dir, 'read.db'));
    const { projection, seen } = spying(leadRegisterProjection);
    const restarted = new ProjectionRunner({ store, dataSource: ds, projections: [projection] });
    expect(await restarted.checkpoint()).toBe(2);
    await restarted.runUntilCaughtUp();

    expect(seen.map((e) => e.position)).toEqual([3]);
    expect((await ds.getRepository(LeadRegisterEntity).find({ order: { leadId: 'ASC' } })).map((r) => r.leadId)).toEqual(['0001', '0002', '0003']);
    expect(await restarted.checkpoint()).toBe(3);
  });

  it('rebuild() reproduces byte-identical tables for the full projection set', async () => {
    const head = await seedHistory(store);
    const runner = new ProjectionRunner({ store, dataSource: ds, projections: ALL_PROJECTIONS, batchSize: 7 });
    await runner.runUntilCaughtUp();
    const before = await dumpReadModels(ds);
    expect(JSON.parse(before.lead_register)).not.toHaveLength(0);
    expect(JSON.parse(before.recovered_losses)).not.toHaveLength(0);

    expect(await runner.rebuild()).toBe(head);
    expect(await dumpReadModels(ds)).toEqual(before);

    // and a fresh runner with another batch size over an empty database agrees too
    const other = await openTestReadModels();
    await new ProjectionRunner({ store, dataSource: other, projections: ALL_PROJECTIONS, batchSize: 1000 }).runUntilCaughtUp();
    expect(await dumpReadModels(other)).toEqual(before);
    await other.destroy();
  });

  it('advances the checkpoint over events no projection handles', async () => {
    await registerLead(store, '0001');
    await store.append('group', [newEvent('group.member-joined', { agency: 'court', name: '县人民法院', groupRole: 'member', joinedOn: '2026-01-01' })], 'any');
    const last = await store.append('calendar', [newEvent('calendar.holiday-declared', { date: '2026-05-01', name: '劳动节' })], 'any');
    const runner = new ProjectionRunner({ store, dataSource: ds, projections: [leadRegisterProjection] });
    await runner.runUntilCaughtUp();
    expect(await runner.checkpoint()).toBe(last.lastPosition);
  });

  it('rolls back a failing batch, keeps the checkpoint, and goes on once the fault is gone', async () => {
    await registerLead(store, '0001');
    await registerLead(store, '0002');
    await registerLead(store, '0003');
    const failOn = { leadId: '0002' as string | null };
    const { projection } = spying(leadRegisterProjection, failOn);
    const errors: object[] = [];
    const runner = new ProjectionRunner({
      store,
      dataSource: ds,
      projections: [projection],
      logger: { info: () => undefined, error: (o) => errors.push(o) },
    });

    await expect(runner.runUntilCaughtUp()).rejects.toThrow(/lead\.registered at position 2: Error: boom/);
    expect(await runner.checkpoint()).toBe(0);
    expect(await ds.getRepository(LeadRegisterEntity).count()).toBe(0); // 0001 was in the same batch: rolled back too

    failOn.leadId = null;
    await runner.runUntilCaughtUp();
    expect(await runner.checkpoint()).toBe(3);
    expect(await ds.getRepository(LeadRegisterEntity).count()).toBe(3);
  });

  it('retries a failing batch in the started loop with backoff, never skipping it', async () => {
    await registerLead(store, '0001');
    const failOn = { leadId: '0001' as string | null };
    const { projection } = spying(leadRegisterProjection, failOn);
    const errors: object[] = [];
    const runner = new ProjectionRunner({ store, dataSource: ds, projections: [projection], pollIntervalMs: 20, maxBackoffMs: 20, logger: { info: () => undefined, error: (o) => errors.push(o) } });
    runner.start();
    try {
      expect(await runner.waitFor(1, 150)).toBe(false);
      expect(errors.length).toBeGreaterThan(0);
      expect(JSON.stringify(errors)).not.toContain('王某'); // logs name the event, never its data
      failOn.leadId = null;
      expect(await runner.waitFor(1, 2000)).toBe(true);
    } finally {
      await runner.stop();
    }
  });

  it('follows appends when started, and waitFor gives read-your-writes', async () => {
    const runner = new ProjectionRunner({ store, dataSource: ds, projections: ALL_PROJECTIONS, pollIntervalMs: 10_000 });
    runner.start();
    try {
      const { lastPosition } = await registerLead(store, '0001');
      expect(await runner.waitFor(lastPosition, 2000)).toBe(true); // woken by onAppended, not by the 10 s poll
      expect(await ds.getRepository(LeadRegisterEntity).findOneBy({ leadId: '0001' })).toMatchObject({ ledgerNo: 'LC-2026-0001' });
    } finally {
      await runner.stop();
    }
  });

  it('never lets confidential data reach apply', async () => {
    await registerLead(store, '0001', true);
    const { projection, seen } = spying(leadRegisterProjection);
    const upcasted: StoredEvent[] = [];
    await new ProjectionRunner({ store, dataSource: ds, projections: [projection], transform: (e) => (upcasted.push(e), e) }).runUntilCaughtUp();

    expect(upcasted[0].confidential).toEqual({ informant: { name: '赵举报人', contact: '13900000000' } }); // it is in the store…
    expect(seen).toHaveLength(1);
    expect(Object.keys(seen[0]).sort()).toEqual(['actor', 'data', 'occurredAt', 'position', 'recordedAt', 'streamId', 'streamVersion', 'type']);
    expect(JSON.stringify(seen)).not.toContain('赵举报人'); // …but never in what a projection sees
    expect(JSON.stringify(await dumpReadModels(ds))).not.toContain('赵举报人');
    expect(await ds.getRepository(LeadRegisterEntity).findOneBy({ leadId: '0001' })).toMatchObject({ hasInformant: true });
  });
});
