import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@coord/event-store';
import { ALL_PROJECTIONS } from './all.projections';
import { ProjectionCheckpointMovedError, ProjectionRunner } from './projection-runner';
import { KeyFilter, RowCache } from './row-cache';
import { SqliteWriteBehind } from './sqlite-write-behind';
import { seedHistory } from './testing/history.fixture';
import { dumpReadModels, openTestReadModels } from './testing/read-model-data-source';

/*
 * The catch-up path (runUntilCaughtUp / rebuild): several reads per transaction, rows cached across
 * transactions with a tiny capacity (so rows are evicted and read back, and the "known absent" filter is
 * exercised), and on a read-model FILE the writer thread with one transaction in flight while the next
 * batch is prepared. Whatever the path, the tables must equal those of the plain one-batch-at-a-time runner.
 */
describe('ProjectionRunner catch-up (SQLite)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let head: number;
  let expected: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'catch-up-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
    head = await seedHistory(store, 30);
    // reference: in memory (no writer thread), one small transaction at a time, no row cache
    const reference = await openTestReadModels();
    await new ProjectionRunner({ store, dataSource: reference, projections: ALL_PROJECTIONS, batchSize: 7, catchUpBatchSize: 7, rowCacheSize: 0 }).runUntilCaughtUp();
    expected = await dumpReadModels(reference);
    await reference.destroy();
    expect(JSON.parse(expected.lead_register as string)).toHaveLength(30);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['writer thread, evicting cache', { batchSize: 5, catchUpBatchSize: 20, rowCacheSize: 3 }],
    ['writer thread, large cache', { batchSize: 10, catchUpBatchSize: 40, rowCacheSize: 10_000 }],
    ['one transaction for everything', { batchSize: 50, catchUpBatchSize: 100_000, rowCacheSize: 2 }],
  ])('rebuild on a file with %s gives the same tables', async (_name, options) => {
    const ds = await openTestReadModels(join(dir, `read-${options.batchSize}-${options.rowCacheSize}.db`));
    const runner = new ProjectionRunner({ store, dataSource: ds, projections: ALL_PROJECTIONS, ...options });
    const started = jest.spyOn(SqliteWriteBehind, 'start');
    await runner.runUntilCaughtUp();
    // the writer thread is used whenever the backlog fills at least one catch-up transaction
    expect(started).toHaveBeenCalledTimes(head >= options.catchUpBatchSize ? 1 : 0);
    started.mockRestore();
    expect(await dumpReadModels(ds)).toEqual(expected);
    expect(await runner.rebuild()).toBe(head);
    expect(await dumpReadModels(ds)).toEqual(expected);
    expect(await runner.checkpoint()).toBe(head);
    await ds.destroy();
  });

  it('catches up from the middle (tables not empty: no key is assumed absent)', async () => {
    const ds = await openTestReadModels(join(dir, 'read-middle.db'));
    const half = Math.floor(head / 2);
    // a store view that ends half-way, then the whole log
    const partial = Object.create(store) as SqliteEventStore;
    partial.readAll = async (after, limit) => (await store.readAll(after, limit)).filter((e) => e.position <= half);
    partial.headPosition = async () => half;
    await new ProjectionRunner({ store: partial, dataSource: ds, projections: ALL_PROJECTIONS, batchSize: 4 }).runUntilCaughtUp();
    await new ProjectionRunner({ store, dataSource: ds, projections: ALL_PROJECTIONS, batchSize: 4, catchUpBatchSize: 12, rowCacheSize: 2 }).runUntilCaughtUp();
    expect(await dumpReadModels(ds)).toEqual(expected);
    await ds.destroy();
  });

  it('a checkpoint moved by another writer fails the catch-up (writer thread), and a retry converges', async () => {
    const ds = await openTestReadModels(join(dir, 'read-moved.db'));
    const runner = new ProjectionRunner({ store, dataSource: ds, projections: ALL_PROJECTIONS, batchSize: 5, catchUpBatchSize: 10, rowCacheSize: 5 });
    // another runner moves a checkpoint after ours read them: the first write-behind commit must fail
    const readAll = store.readAll.bind(store);
    let moved = false;
    const racing = Object.create(store) as SqliteEventStore;
    racing.readAll = async (after, limit) => {
      if (!moved && after > 0) {
        moved = true;
        await ds.query(`UPDATE "projection_checkpoints" SET "position" = "position" + 1 WHERE "name" = 'lead-register'`);
      }
      return readAll(after, limit);
    };
    const first = new ProjectionRunner({ store: racing, dataSource: ds, projections: ALL_PROJECTIONS, batchSize: 5, catchUpBatchSize: 10, rowCacheSize: 5 });
    await expect(first.runUntilCaughtUp()).rejects.toBeInstanceOf(ProjectionCheckpointMovedError);
    // the committed state is consistent; a rebuild (as after any such failure) gives the reference tables
    expect(await runner.rebuild()).toBe(head);
    expect(await dumpReadModels(ds)).toEqual(expected);
    await ds.destroy();
  });
});

describe('ProjectionRunner checkpoints moved under a batch transaction (no writer thread)', () => {
  it('given another writer moved one checkpoint, when the next batch commits, then it fails naming that projection and moves no checkpoint', async () => {
    const store = SqliteEventStore.open(':memory:');
    await seedHistory(store, 5);
    const ds = await openTestReadModels();
    const readAll = store.readAll.bind(store);
    let moved = false;
    const racing = Object.create(store) as SqliteEventStore;
    racing.readAll = async (after, limit) => {
      if (!moved && after > 0) {
        moved = true;
        await ds.query(`UPDATE "projection_checkpoints" SET "position" = "position" + 1 WHERE "name" = 'lead-register'`);
      }
      return readAll(after, limit);
    };
    const runner = new ProjectionRunner({ store: racing, dataSource: ds, projections: ALL_PROJECTIONS, batchSize: 3, catchUpBatchSize: 3, rowCacheSize: 0 });
    const failure = await runner.runUntilCaughtUp().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ProjectionCheckpointMovedError);
    expect((failure as ProjectionCheckpointMovedError).projection).toBe('lead-register');
    // the failed transaction rolled back: every other checkpoint is where the first batch left it
    const rows = (await ds.query(`SELECT "name", "position" FROM "projection_checkpoints"`)) as { name: string; position: number }[];
    const others = new Set(rows.filter((r) => r.name !== 'lead-register').map((r) => Number(r.position)));
    expect(others).toEqual(new Set([3]));
    expect(Number(rows.find((r) => r.name === 'lead-register')?.position)).toBe(4);
    await ds.destroy();
    await store.close();
  });
});

describe('RowCache', () => {
  it('keeps at most `capacity` rows after a commit, least recently written out first, and remembers evictions', () => {
    const cache = new RowCache(2, true);
    cache.rows.set('a', { v: 1 }).set('b', { v: 1 }).set('c', { v: 1 });
    cache.committed(
      new Map<string, object | null>([
        ['a', { v: 2 }],
        ['c', { v: 2 }],
      ]),
    );
    expect([...cache.rows.keys()]).toEqual(['a', 'c']);
    expect(cache.knownAbsent('b')).toBe(false); // evicted: perhaps in the table
    expect(cache.knownAbsent('z')).toBe(true); // never seen since the (empty) start
  });

  it('neither overwrites nor evicts rows a pending batch changed', () => {
    const cache = new RowCache(0, false);
    cache.rows.set('a', { v: 3 }).set('b', { v: 1 });
    cache.committed(new Map<string, object | null>([['a', { v: 2 }]]), new Map<string, object | null>([['a', { v: 3 }]]));
    expect([...cache.rows.entries()]).toEqual([['a', { v: 3 }]]);
    expect(cache.knownAbsent('b')).toBe(false); // a table that was not empty: nothing is known absent
  });

  it('KeyFilter has no false negatives', () => {
    const f = new KeyFilter();
    const keys = Array.from({ length: 5000 }, (_, i) => `transfer-acknowledgement:L${i}-T1`);
    keys.forEach((k) => f.add(k));
    expect(keys.every((k) => f.mightContain(k))).toBe(true);
    const others = Array.from({ length: 5000 }, (_, i) => `lead-disposition:L${i}`);
    expect(others.filter((k) => f.mightContain(k)).length).toBeLessThan(50);
  });
});
