import { Pool } from 'pg';
import type { StoredEvent } from '../event-envelope';
import { WrongExpectedVersionError } from '../event-store.errors';
import { TrustedKeys } from '../integrity/checkpoint-signing';
import { verifyIntegrity } from '../integrity/verify-chain';
import { describeEventStoreContract, ev } from '../testing';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';

/**
 * Speculative batches (see the class comment of PostgresEventStore): a batch decided in advance on what
 * this process knows, sent in one round trip with its assumptions re-checked under the lock. These specs
 * cover the cases where an assumption does NOT hold — another process appended, a stale cached version, an
 * id stored long ago, a clock behind the database's — and check the answer is the plain path's.
 */
const url = process.env.COORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const prefix = `coord_es_spec${process.pid}_${Date.now().toString(36)}`;
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
  PostgresEventStore.connect({ connectionString: url, schema, poolSize: 2, ...extra });

// the plain group-commit path keeps its own contract run now that the default speculates
describeEventStoreContract('PostgresEventStore (group commit, no speculation)', async () => {
  const schema = freshSchema();
  const store = await open(schema, { speculate: false });
  return { store, reopen: () => open(schema, { speculate: false }), cleanup: () => store.close() };
});

describe('PostgresEventStore: speculative batches', () => {
  jest.setTimeout(60_000);

  it('after the first append has read the head, appends are decided in advance (one round trip each)', async () => {
    const store = await open(freshSchema());
    try {
      await store.append('s-0', [ev('a.happened')], 0);
      for (let i = 1; i <= 10; i++) await store.append(`s-${i}`, [ev('a.happened')], 0);
      await store.append('s-0', [ev('b.happened')], 1); // a stream it wrote: version and hash cached
      expect(store.stats()).toMatchObject({ transactions: 12, speculated: 11, missedSpeculations: 0 });
      expect(await store.headPosition()).toBe(12);
      expect(await verifyIntegrity(store.integrityLog(), { trustedKeys: new TrustedKeys([]) })).toMatchObject({ intact: true, verifiedUpTo: 12 });
    } finally {
      await store.close();
    }
  });

  it('another process appended in between: the batch writes nothing, is re-run on the plain path, and the chain links both', async () => {
    const schema = freshSchema();
    const [a, b] = [await open(schema), await open(schema)];
    try {
      await a.append('shared', [ev('a.happened')], 0);
      await a.append('a-1', [ev('a.happened')], 0);
      await b.append('shared', [ev('b.happened')], 1); // a's cached head and its cached 'shared' are now stale
      // decided on the stale head: the head check fails, the plain path writes it after b's event
      expect(await a.append('a-2', [ev('a.happened')], 0)).toMatchObject({ nextVersion: 1, lastPosition: 4, written: true });
      expect(a.stats().missedSpeculations).toBe(1);
      // a still caches 'shared' at version 1: expecting 2 looks like a loser in advance, so the plain path
      // (which reads the real version) decides it
      expect(await a.append('shared', [ev('a.happened')], 2)).toMatchObject({ nextVersion: 3, lastPosition: 5, written: true });
      const stale = a.append('shared', [ev('a.happened')], 2); // a knows version 3 now: decided (and refused) in advance
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersionError);
      const events = await a.readAll(0, 100);
      expect(events.map((e) => e.position)).toEqual([1, 2, 3, 4, 5]);
      expect(await verifyIntegrity(a.integrityLog(), { trustedKeys: new TrustedKeys([]) })).toMatchObject({ intact: true, verifiedUpTo: 5 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a new stream another process created meanwhile: expected version 0 is refused, nothing written', async () => {
    const schema = freshSchema();
    const [a, b] = [await open(schema), await open(schema)];
    try {
      await a.append('warm-up', [ev('a.happened')], 0);
      await b.append('taken', [ev('b.happened')], 0);
      await expect(a.append('taken', [ev('a.happened')], 0)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(await a.streamVersion('taken')).toBe(1);
      expect(await a.headPosition()).toBe(2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a repeat of an append committed earlier (ids already stored) is answered as the idempotent no-op', async () => {
    const store = await open(freshSchema());
    try {
      await store.append('warm-up', [ev('a.happened')], 0);
      const events = [ev('a.happened'), ev('b.happened')];
      const first = await store.append('s', events, 0);
      await store.append('other', [ev('c.happened')], 0);
      const again = await store.append('s', events, 0); // the client retries with its first expected version
      expect(again).toMatchObject({ written: false, nextVersion: 2, lastPosition: first.lastPosition });
      expect(await store.headPosition()).toBe(4);
    } finally {
      await store.close();
    }
  });

  it('concurrent writers: batches decided on top of batches still on the wire; every call answered once, positions dense', async () => {
    const store = await open(freshSchema());
    try {
      await store.append('warm-up', [ev('a.happened')], 0);
      const results = await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          const out = [];
          for (let i = 0; i < 25; i++) out.push(await store.append(`w${w}-${i % 5}`, [ev('x.happened', { w, i })], Math.floor(i / 5)));
          return out;
        }),
      );
      const positions = results.flat().map((r) => r.lastPosition);
      expect(new Set(positions).size).toBe(200);
      expect(Math.max(...positions)).toBe(201);
      expect(store.stats().speculated).toBeGreaterThan(0);
      expect(store.stats().transactions).toBeLessThan(200);
      expect(await verifyIntegrity(store.integrityLog(), { trustedKeys: new TrustedKeys([]) })).toMatchObject({ intact: true, verifiedUpTo: 201 });
    } finally {
      await store.close();
    }
  });

  it("recordedAt never goes back along positions when this process's clock is behind the database's", async () => {
    const store = await open(freshSchema());
    try {
      await store.append('warm-up', [ev('a.happened')], 0); // plain path: the database clock
      jest.useFakeTimers({ now: new Date('2020-01-01T00:00:00.000Z'), doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'performance', 'hrtime'] });
      try {
        await store.append('late-clock', [ev('b.happened')], 0);
        expect(store.stats().speculated).toBe(1);
      } finally {
        jest.useRealTimers();
      }
      const [first, second] = (await store.readAll(0, 10)) as [StoredEvent, StoredEvent];
      expect(second.recordedAt >= first.recordedAt).toBe(true);
      expect(await verifyIntegrity(store.integrityLog(), { trustedKeys: new TrustedKeys([]) })).toMatchObject({ intact: true, verifiedUpTo: 2 });
    } finally {
      await store.close();
    }
  });

  it('a call the store cannot serialize (a BigInt in data) fails alone; its batch-mates commit', async () => {
    const store = await open(freshSchema());
    try {
      await store.append('warm-up', [ev('a.happened')], 0);
      const outcomes = await Promise.allSettled([
        store.append('x', [ev('a.happened')], 0),
        store.append('y', [ev('bad.happened', { n: 1n })], 0),
        store.append('z', [ev('a.happened')], 0),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(TypeError);
      expect(await store.headPosition()).toBe(3);
      await store.append('after', [ev('a.happened')], 0);
      expect(await verifyIntegrity(store.integrityLog(), { trustedKeys: new TrustedKeys([]) })).toMatchObject({ intact: true, verifiedUpTo: 4 });
    } finally {
      await store.close();
    }
  });

  it('a value PostgreSQL refuses in a speculative batch: that call fails alone, its batch-mates commit', async () => {
    const store = await open(freshSchema());
    try {
      await store.append('warm-up', [ev('a.happened')], 0);
      const bad = ev('bad.happened');
      bad.metadata = { ...bad.metadata, occurredAt: 'not a timestamp' };
      const outcomes = await Promise.allSettled([store.append('x', [ev('a.happened')], 0), store.append('y', [bad], 0), store.append('z', [ev('a.happened')], 0)]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await store.streamVersion('y')).toBe(0);
      expect(await store.headPosition()).toBe(3);
      // and speculation resumes after the plain path has read the head again
      await store.append('after', [ev('a.happened')], 0);
      await store.append('after-2', [ev('a.happened')], 0);
      expect(store.stats().speculated).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
