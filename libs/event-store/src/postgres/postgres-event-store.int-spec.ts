import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import type { StoredEvent } from '../event-envelope';
import { WrongExpectedVersionError } from '../event-store.errors';
import { describeEventStoreContract, ev } from '../testing';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';

const url = process.env.COORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const prefix = `coord_es_t${process.pid}_${Date.now().toString(36)}`;
let n = 0;
const created: string[] = [];
const freshSchema = () => {
  const s = `${prefix}_${++n}`;
  created.push(s);
  return s;
};

const admin = new Pool({ connectionString: url, max: 2 });
afterAll(async () => {
  for (const s of created) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await admin.end();
});

const open = (schema: string, extra: Partial<PostgresEventStoreOptions> = {}) =>
  PostgresEventStore.connect({ connectionString: url, schema, poolSize: 4, ...extra });

describeEventStoreContract('PostgresEventStore (group commit)', async () => {
  const schema = freshSchema();
  const store = await open(schema);
  return { store, reopen: () => open(schema), cleanup: () => store.close() };
});

describeEventStoreContract('PostgresEventStore (one transaction per call)', async () => {
  const schema = freshSchema();
  const store = await open(schema, { groupCommit: false, poolSize: 24 });
  return { store, reopen: () => open(schema, { groupCommit: false }), cleanup: () => store.close() };
});

/**
 * Many concurrent writers, one follower polling readAll(checkpoint, 100) at the same time: the follower
 * must see every acknowledged event exactly once, in strictly increasing position order.
 */
async function writersAndFollower(writerStores: PostgresEventStore[], follower: PostgresEventStore, writers: number, appendsEach: number) {
  const acknowledged = new Set<string>();
  let writing = true;
  const seen: StoredEvent[] = [];
  const follow = (async () => {
    let checkpoint = 0;
    for (;;) {
      const done = !writing; // read once more after the writers finished
      const page = await follower.readAll(checkpoint, 100);
      for (const e of page) {
        if (e.position <= checkpoint) throw new Error(`position went backwards: ${e.position} after ${checkpoint}`);
        checkpoint = e.position;
        seen.push(e);
      }
      if (page.length === 0) {
        if (done) return;
        await new Promise((r) => setImmediate(r));
      }
    }
  })();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const store = writerStores[w % writerStores.length] as PostgresEventStore;
      for (let i = 0; i < appendsEach; i++) {
        // many streams: new ones and continuing ones
        const stream = `s-${w}-${i % 10}`;
        const e = ev('load.tested', { w, i });
        await store.append(stream, [e], Math.floor(i / 10));
        acknowledged.add(e.eventId);
      }
    }),
  );
  writing = false;
  await follow;
  return { acknowledged, seen };
}

function expectExactlyOnceInOrder(acknowledged: Set<string>, seen: StoredEvent[]) {
  const ids = seen.map((e) => e.eventId);
  expect(new Set(ids).size).toBe(ids.length); // no duplicates
  expect(ids.length).toBe(acknowledged.size); // none missing (and nothing unacknowledged)
  for (const id of ids) expect(acknowledged.has(id)).toBe(true);
  for (let i = 1; i < seen.length; i++) expect((seen[i] as StoredEvent).position).toBeGreaterThan((seen[i - 1] as StoredEvent).position);
  // recordedAt follows commit order too (taken after the append lock, not at transaction start)
  for (let i = 1; i < seen.length; i++) expect((seen[i] as StoredEvent).recordedAt >= (seen[i - 1] as StoredEvent).recordedAt).toBe(true);
}

describe('PostgresEventStore: a follower never skips a late commit', () => {
  jest.setTimeout(60_000);

  it('16 writers on 16 connections (one transaction each) × 150 appends: the follower sees every event exactly once, in order', async () => {
    const schema = freshSchema();
    const writer = await open(schema, { groupCommit: false, poolSize: 17 });
    const follower = await open(schema, { poolSize: 2 });
    try {
      const { acknowledged, seen } = await writersAndFollower([writer], follower, 16, 150);
      expect(acknowledged.size).toBe(2400);
      expectExactlyOnceInOrder(acknowledged, seen);
      expect(writer.stats().transactions).toBe(2400);
    } finally {
      await writer.close();
      await follower.close();
    }
  });

  it('4 processes-worth of stores with group commit, 16 writers × 150 appends: same guarantee, far fewer transactions', async () => {
    const schema = freshSchema();
    const stores = await Promise.all([1, 2, 3, 4].map(() => open(schema, { poolSize: 2 })));
    const follower = await open(schema, { poolSize: 2 });
    try {
      const { acknowledged, seen } = await writersAndFollower(stores, follower, 16, 150);
      expectExactlyOnceInOrder(acknowledged, seen);
      const tx = stores.reduce((sum, s) => sum + s.stats().transactions, 0);
      expect(tx).toBeLessThan(2400); // batched
    } finally {
      for (const s of stores) await s.close();
      await follower.close();
    }
  });

  it('(why) on a naive table with a sequence, a follower reading "position > checkpoint" skips a late commit', async () => {
    const schema = freshSchema();
    await admin.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".naive (position BIGSERIAL PRIMARY KEY, payload TEXT)`);
    const a = new Client({ connectionString: url });
    const b = new Client({ connectionString: url });
    await a.connect();
    await b.connect();
    try {
      await a.query(`BEGIN; INSERT INTO "${schema}".naive (payload) VALUES ('slow')`); // takes position 1, commits late
      await b.query(`BEGIN; INSERT INTO "${schema}".naive (payload) VALUES ('fast'); COMMIT`); // position 2
      const read = async (after: number) =>
        (await admin.query<{ position: string }>(`SELECT position FROM "${schema}".naive WHERE position > $1 ORDER BY position`, [after])).rows.map(
          (r) => Number(r.position),
        );
      const first = await read(0);
      expect(first).toEqual([2]);
      const checkpoint = 2;
      await a.query('COMMIT');
      expect(await read(checkpoint)).toEqual([]); // position 1 is never delivered to this follower
      expect(await read(0)).toEqual([1, 2]);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('(how) while an append transaction holds the lock, no other append can take a position', async () => {
    const schema = freshSchema();
    const store = await open(schema);
    const blocker = new Client({ connectionString: url });
    await blocker.connect();
    try {
      await store.append('s-1', [ev('a.happened')], 0);
      // take the store's append lock, as an in-flight append of another process would
      const { classId, objId } = store.appendLockKey;
      await blocker.query(`BEGIN; SELECT pg_advisory_xact_lock(${classId}, ${objId})`);
      let done = false;
      const pending = store.append('s-1', [ev('b.happened')], 1).then((r) => ((done = true), r));
      await new Promise((r) => setTimeout(r, 200));
      expect(done).toBe(false);
      expect(await store.headPosition()).toBe(1);
      await blocker.query('COMMIT');
      expect((await pending).lastPosition).toBe(2);
    } finally {
      await blocker.end();
      await store.close();
    }
  });
});

describe('PostgresEventStore: group commit', () => {
  it('batches concurrent calls into one transaction, each with its own version check; losers write nothing', async () => {
    const store = await open(freshSchema());
    try {
      await store.append('shared', [ev('a.happened')], 0);
      const before = store.stats().transactions;
      const calls = [
        ...Array.from({ length: 30 }, (_, i) => store.append(`own-${i}`, [ev('b.happened')], 0)),
        ...Array.from({ length: 5 }, () => store.append('shared', [ev('c.happened')], 1)),
      ];
      const outcomes = await Promise.allSettled(calls);
      expect(outcomes.slice(0, 30).every((o) => o.status === 'fulfilled')).toBe(true);
      const shared = outcomes.slice(30);
      expect(shared.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of shared.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
        expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
      }
      expect(store.stats().transactions - before).toBeLessThanOrEqual(2); // the first call flushes alone, the rest together
      expect(await store.streamVersion('shared')).toBe(2);
      expect(await store.headPosition()).toBe(32);
    } finally {
      await store.close();
    }
  });

  it('a call PostgreSQL refuses fails alone; its batch-mates still commit', async () => {
    const store = await open(freshSchema());
    try {
      const bad = ev('bad.happened');
      bad.metadata = { ...bad.metadata, occurredAt: 'not a timestamp' };
      const outcomes = await Promise.allSettled([
        store.append('warm-up', [ev('a.happened')], 0), // flushes first; the next three form one batch
        store.append('x', [ev('a.happened')], 0),
        store.append('y', [bad], 0),
        store.append('z', [ev('a.happened')], 0),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(await store.streamVersion('y')).toBe(0);
      expect(await store.streamVersion('z')).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('a repeat of ids a batch-mate is writing is deferred and then answered as an idempotent no-op', async () => {
    const store = await open(freshSchema());
    try {
      const batch = [ev('a.happened')];
      const [warm, first, again] = await Promise.all([
        store.append(`w-${randomUUID()}`, [ev('w.happened')], 0),
        store.append('s', batch, 0),
        store.append('s', batch, 0),
      ]);
      expect(warm.written).toBe(true);
      expect(first).toMatchObject({ written: true, nextVersion: 1 });
      expect(again).toMatchObject({ written: false, nextVersion: 1, lastPosition: first.lastPosition });
    } finally {
      await store.close();
    }
  });
});
