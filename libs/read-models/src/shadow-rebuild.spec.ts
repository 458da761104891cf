import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@coord/event-store';
import type { DataSource } from 'typeorm';
import { ALL_PROJECTIONS } from './all.projections';
import { LeadRegisterEntity } from './entities/lead-register.entity';
import { createProjectionLease } from './projection-lease';
import { ProjectionRunner } from './projection-runner';
import { rebuildViaShadow } from './shadow-rebuild';
import { seedHistory } from './testing/history.fixture';
import { dumpReadModels, openTestReadModels } from './testing/read-model-data-source';

/** SQLite read-model files (WAL), several connections like several processes. */
describe('SQLite read models: shadow rebuild and the lease row', () => {
  let dir: string;
  let store: SqliteEventStore;
  const open: DataSource[] = [];
  const db = async (name: string) => {
    const ds = await openTestReadModels(join(dir, name));
    await ds.query('PRAGMA journal_mode = WAL');
    open.push(ds);
    return ds;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shadow-'));
    store = SqliteEventStore.open(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    for (const ds of open.splice(0)) if (ds.isInitialized) await ds.destroy();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given served read models, when rebuilt via a shadow file, then a reader on another connection never sees an empty table and the result equals a rebuild', async () => {
    await seedHistory(store, 60);
    const live = await db('read-models.sqlite');
    await new ProjectionRunner({ store, dataSource: live, projections: ALL_PROJECTIONS }).runUntilCaughtUp();
    const before = await dumpReadModels(live);
    const reader = await db('read-models.sqlite');
    const counts: number[] = [];
    let done = false;
    const reading = (async () => {
      while (!done) {
        counts.push(await reader.getRepository(LeadRegisterEntity).count());
        await new Promise((r) => setImmediate(r));
      }
    })();
    const shadow = await db('read-models.rebuild.sqlite');
    let duringSwap: number[] = [];
    const result = await rebuildViaShadow({
      store,
      live,
      shadow,
      shadowFile: join(dir, 'read-models.rebuild.sqlite'),
      projections: ALL_PROJECTIONS,
      batchSize: 7,
      // the live tables were just deleted and refilled in the open transaction: another connection sees the old rows
      beforeCommit: async () => void (duringSwap = [await reader.getRepository(LeadRegisterEntity).count()]),
    });
    done = true;
    await reading;
    expect(result.position).toBe(await store.headPosition());
    expect(duringSwap).toEqual([60]);
    expect(counts.length).toBeGreaterThan(0);
    expect(new Set(counts)).toEqual(new Set([60]));
    expect(await dumpReadModels(live)).toEqual(before);
  });

  it('given two runners with leases on one file, then one is active, and the other takes over after a release', async () => {
    await seedHistory(store, 5);
    const names = ALL_PROJECTIONS.map((p) => p.name);
    const [a, b] = [await db('rm.sqlite'), await db('rm.sqlite')];
    const leaseA = createProjectionLease(a, names, { ttlMs: 60_000, holder: 'a' });
    const leaseB = createProjectionLease(b, names, { ttlMs: 60_000, holder: 'b' });
    const runnerA = new ProjectionRunner({ store, dataSource: a, projections: ALL_PROJECTIONS, lease: leaseA });
    const runnerB = new ProjectionRunner({ store, dataSource: b, projections: ALL_PROJECTIONS, lease: leaseB });
    expect(await runnerA.runUntilCaughtUp()).toBeGreaterThan(0);
    expect(await runnerB.runUntilCaughtUp()).toBe(0); // standby: applies nothing
    expect([runnerA.isActive(), runnerB.isActive()]).toEqual([true, false]);
    expect(await leaseB.acquire()).toBe(false);
    await runnerA.stop(); // releases
    expect(await leaseB.acquire()).toBe(true);
    expect(await leaseA.acquire()).toBe(false);
  });

  it('given a holder that stopped renewing, when its lease row expires, then another holder takes it', async () => {
    const names = ALL_PROJECTIONS.map((p) => p.name);
    const [a, b] = [await db('rm.sqlite'), await db('rm.sqlite')];
    const dead = createProjectionLease(a, names, { ttlMs: 1_000, holder: 'dead' });
    expect(await dead.acquire()).toBe(true);
    // the expiry is a timestamp in the row: age it instead of waiting
    await a.query('UPDATE "projection_leases" SET "expires_at" = "expires_at" - 5000');
    expect(await createProjectionLease(b, names, { holder: 'next' }).acquire()).toBe(true);
    expect((await b.query('SELECT DISTINCT "holder" FROM "projection_leases"')) as unknown[]).toEqual([{ holder: 'next' }]);
  });
});
