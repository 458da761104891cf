import { Pool } from 'pg';
import { ev } from '../testing/event-store.contract';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { TrustedKeys } from './checkpoint-signing';
import { postgresTamperer } from './testing/postgres-tampering';
import { describeTamperingSuite } from './testing/tampering.suite';
import { verifyIntegrity } from './verify-chain';

const url = process.env.COORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const prefix = `coord_tamper_t${process.pid}_${Date.now().toString(36)}`;
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

/** Edits, deletions, reorderings and insertions made with pg directly on the store's schema. */
describeTamperingSuite('PostgreSQL (pg on the schema)', async () => {
  const schema = freshSchema();
  const store = await PostgresEventStore.connect({ connectionString: url, schema, poolSize: 2 });
  return { store, tamper: await postgresTamperer(url, schema), cleanup: () => store.close() };
});

describe('PostgreSQL: honest concurrent history', () => {
  it('two store instances (two processes) writing at once, with group commit batches, verify intact', async () => {
    const schema = freshSchema();
    const [a, b] = await Promise.all([
      PostgresEventStore.connect({ connectionString: url, schema, poolSize: 2 }),
      PostgresEventStore.connect({ connectionString: url, schema, poolSize: 2 }),
    ]);
    try {
      const writes = Array.from({ length: 200 }, (_, i) => {
        const store = i % 2 === 0 ? a : b;
        return i % 7 === 0
          ? store.appendMulti([
              { streamId: `s-${i % 11}`, events: [ev('x.happened', { i })], expectedVersion: 'any' },
              { streamId: `t-${i % 5}`, events: [ev('y.happened', { i }), ev('z.happened', { i })], expectedVersion: 'any' },
            ])
          : store.append(`s-${i % 11}`, [ev('x.happened', { i })], 'any');
      });
      await Promise.all(writes);
      const head = await a.headPosition();
      const report = await verifyIntegrity(a.integrityLog(), { trustedKeys: new TrustedKeys([]), pageSize: 64 });
      expect(report).toMatchObject({ intact: true, verifiedUpTo: head, eventsChecked: head });
      // batches really formed (otherwise this proved nothing about chaining inside a batch)
      expect(a.stats().transactions + b.stats().transactions).toBeLessThan(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('PostgreSQL: upgrading a version-1 store (events without hashes)', () => {
  it('chains the existing events once at connect, then appends link to them', async () => {
    const schema = freshSchema();
    const before = await PostgresEventStore.connect({ connectionString: url, schema, poolSize: 2 });
    for (let i = 0; i < 7; i++) await before.append(`s-${i % 3}`, [ev('thing.happened', { i, x: 1.5 })], 'any');
    await before.close();
    await admin.query(`UPDATE "${schema}".events SET hash = NULL; DROP TABLE "${schema}".checkpoints; UPDATE "${schema}".schema_info SET version = 1`);

    const after = await PostgresEventStore.connect({ connectionString: url, schema, poolSize: 2 });
    try {
      const log = after.integrityLog();
      expect((await log.readChain(0, 100)).every((r) => /^[0-9a-f]{64}$/.test(r.hash ?? ''))).toBe(true);
      await after.append('s-0', [ev('thing.happened', { i: 7 })], 'any');
      expect(await verifyIntegrity(log, { trustedKeys: new TrustedKeys([]) })).toMatchObject({ intact: true, verifiedUpTo: 8 });
      expect((await admin.query(`SELECT version FROM "${schema}".schema_info`)).rows).toEqual([{ version: 2 }]);
    } finally {
      await after.close();
    }
  });
});
