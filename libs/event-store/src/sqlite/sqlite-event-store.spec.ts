import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '../event-envelope';
import { WrongExpectedVersionError } from '../event-store.errors';
import { TrustedKeys } from '../integrity/checkpoint-signing';
import { verifyIntegrity } from '../integrity/verify-chain';
import { describeEventStoreContract, ev } from '../testing';
import { SqliteEventStore } from './sqlite-event-store';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coord-es-'));
  dirs.push(dir);
  return join(dir, 'events.sqlite');
}

describeEventStoreContract('SqliteEventStore (file, WAL)', async () => {
  const file = tempFile();
  const store = SqliteEventStore.open(file);
  return {
    store,
    reopen: async () => SqliteEventStore.open(file),
    cleanup: async () => store.close(),
  };
});

describeEventStoreContract('SqliteEventStore (:memory:)', async () => {
  const store = SqliteEventStore.open(':memory:');
  return { store, cleanup: async () => store.close() };
});

describe('SqliteEventStore specifics', () => {
  it('runs WAL with synchronous=FULL and records its schema version', async () => {
    const file = tempFile();
    const store = SqliteEventStore.open(file);
    await store.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      const cols = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('events')").all().map((c) => c.name);
      expect(cols).toEqual(expect.arrayContaining(['hash', 'confidential', 'recorded_at', 'occurred_at']));
    } finally {
      db.close();
    }
    // synchronous is per connection: check it on a live store
    const live = SqliteEventStore.open(file);
    const synchronous = (live as unknown as { db: { pragma(s: string, o: { simple: true }): unknown } }).db.pragma('synchronous', { simple: true });
    expect(synchronous).toBe(2); // FULL
    await live.close();
  });

  it('opening an existing file again is idempotent and keeps the data', async () => {
    const file = tempFile();
    const a = SqliteEventStore.open(file);
    await a.append('s-1', [ev('a.happened')], 0);
    await a.close();
    const b = SqliteEventStore.open(file);
    const c = SqliteEventStore.open(file); // two handles, as api + rebuild would
    expect(await c.streamVersion('s-1')).toBe(1);
    await b.append('s-1', [ev('b.happened')], 1);
    // the other handle sees the commit: it is a real, shared, durable write
    expect(await c.readStream('s-1')).toHaveLength(2);
    await expect(c.append('s-1', [ev('c.happened')], 1)).rejects.toThrow(/wrong expected version/);
    await b.close();
    await c.close();
  });

  it('a listener on one handle sees the committed event from a second connection', async () => {
    const file = tempFile();
    const writer = SqliteEventStore.open(file);
    const reader = SqliteEventStore.open(file);
    const seen: Promise<number>[] = [];
    writer.onAppended((p) => seen.push(reader.readAll(p - 1, 10).then((es) => es.length)));
    await writer.append('s-1', [ev('a.happened')], 0);
    expect(await Promise.all(seen)).toEqual([1]);
    await writer.close();
    await reader.close();
  });
});

describe('SqliteEventStore group commit', () => {
  const verify = (store: SqliteEventStore) => verifyIntegrity(store.integrityLog(), { trustedKeys: new TrustedKeys([]) });
  /** an event SQLite refuses: occurred_at is NOT NULL and comes from metadata.occurredAt */
  const refused = (): NewEvent => {
    const e = ev('x.refused');
    return { ...e, metadata: { ...e.metadata, occurredAt: undefined as unknown as string } };
  };

  it('given appends to different streams made together, when they settle, then all succeeded in ONE transaction, positions in call order', async () => {
    const store = SqliteEventStore.open(tempFile());
    const before = store.stats();

    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.append(`s-${i}`, [ev('a.happened', { i })], 0)));

    expect(store.stats().transactions - before.transactions).toBe(1);
    expect(store.stats().writtenCalls - before.writtenCalls).toBe(8);
    expect(results.map((r) => r.lastPosition)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await store.readAll(0, 100)).map((e) => e.streamId)).toEqual(Array.from({ length: 8 }, (_, i) => `s-${i}`));
    expect(await verify(store)).toMatchObject({ intact: true, eventsChecked: 8 });
    await store.close();
  });

  it('given a batch where one append conflicts, when it is committed, then that append alone rejects with the conflict error and the rest commit', async () => {
    const store = SqliteEventStore.open(tempFile());
    await store.append('shared', [ev('a.happened')], 0);
    const before = store.stats().transactions;

    const outcomes = await Promise.allSettled([
      store.append('shared', [ev('b.happened')], 1), // wins: first in the queue
      store.append('other', [ev('c.happened')], 0),
      store.append('shared', [ev('d.happened')], 1), // stale: its batch-mate moved the stream to 2
      store.appendMulti([{ streamId: 'third', events: [ev('e.happened')], expectedVersion: 0 }]),
    ]);

    expect(store.stats().transactions - before).toBe(1);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const reason = (outcomes[2] as PromiseRejectedResult).reason as WrongExpectedVersionError;
    expect(reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(reason).toMatchObject({ streamId: 'shared', expected: 1, actual: 2 }); // what a one-by-one append would say
    expect((await store.readStream('shared')).map((e) => e.type)).toEqual(['a.happened', 'b.happened']);
    // the loser consumed no position: the log has no gap
    expect((await store.readAll(0, 100)).map((e) => e.position)).toEqual([1, 2, 3, 4]);
    expect(await verify(store)).toMatchObject({ intact: true, firstBroken: null, eventsChecked: 4 });
    await store.close();
  });

  it('given an append SQLite refuses half-way through its events, when its batch commits, then only it fails: nothing of it is stored and nothing of the others is lost or doubled', async () => {
    const store = SqliteEventStore.open(tempFile());
    const ids: string[] = [];
    const tracked = (type: string) => {
      const e = ev(type);
      ids.push(e.eventId);
      return e;
    };

    const outcomes = await Promise.allSettled([
      store.append('a', [tracked('a.happened')], 0),
      // its first event is inserted before the second is refused: rolled back to the call's savepoint
      store.append('bad', [ev('bad.first'), refused()], 0),
      store.append('a', [tracked('a.again')], 1),
      store.append('b', [tracked('b.happened')], 0),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL constraint failed: events\.occurred_at/);
    const all = await store.readAll(0, 100);
    expect(all.map((e) => e.eventId)).toEqual(ids);
    expect(all.map((e) => e.position)).toEqual([1, 2, 3]);
    expect(await store.streamVersion('bad')).toBe(0);
    expect(await verify(store)).toMatchObject({ intact: true, eventsChecked: 3 });
    await store.close();
  });

  it('given a failure that makes SQLite drop the whole transaction, when the batch is retried, then the culprit alone rejects and the others commit exactly once', async () => {
    const store = SqliteEventStore.open(tempFile());
    const culprit = ev('x.culprit');
    // what SQLite does on e.g. SQLITE_FULL or SQLITE_IOERR: the statement fails and the transaction is gone
    const internals = store as unknown as { db: { exec(sql: string): void }; stmts: { insertEvent: { run: (...args: unknown[]) => unknown } } };
    const insert = internals.stmts.insertEvent;
    const run = insert.run.bind(insert);
    insert.run = (...args: unknown[]) => {
      if (args[1] === culprit.eventId) {
        internals.db.exec('ROLLBACK');
        throw new Error('disk I/O error (simulated)');
      }
      return run(...args);
    };

    const outcomes = await Promise.allSettled([
      store.append('a', [ev('a.happened')], 0),
      store.append('x', [culprit], 0),
      store.append('b', [ev('b.happened')], 0),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('disk I/O error (simulated)'));
    expect((await store.readAll(0, 100)).map((e) => e.streamId)).toEqual(['a', 'b']);
    expect(await verify(store)).toMatchObject({ intact: true, eventsChecked: 2 });
    await store.close();
  });

  it('given the same calls made concurrently on one store and one by one on another, then both logs hold the same rows and the same hashes', async () => {
    // a frozen clock: recordedAt is hashed, and must not differ between the two runs
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask', 'setTimeout', 'clearTimeout'], now: new Date('2026-03-01T08:00:00.000Z') });
    try {
      // the same event objects (same ids) for both stores
      const repeated = ev('r.happened');
      const shape: [string, NewEvent[], number | 'any'][] = [
        ['s1', [ev('p.happened')], 0],
        ['s2', [ev('x.happened')], 0],
        ['s1', [repeated], 1],
        ['s1', [repeated], 1], // idempotent repeat of its batch-mate: answered, not written again
        ['s2', [ev('q.happened')], 0], // conflicts with its batch-mate
        ['s3', [ev('y.happened'), ev('z.happened')], 'any'],
      ];
      const sequential = SqliteEventStore.open(tempFile());
      const concurrent = SqliteEventStore.open(tempFile());
      const outcomesOne: string[] = [];
      for (const [s, events, v] of shape) {
        outcomesOne.push(await sequential.append(s, events, v).then((r) => `${r.written}:${r.nextVersion}`, (e: Error) => e.name));
      }
      const outcomesAll = await Promise.all(
        shape.map(([s, events, v]) => concurrent.append(s, events, v).then((r) => `${r.written}:${r.nextVersion}`, (e: Error) => e.name)),
      );

      expect(concurrent.stats().transactions).toBe(1);
      expect(outcomesAll).toEqual(outcomesOne);
      expect(outcomesAll).toEqual(['true:1', 'true:1', 'true:2', 'false:2', 'WrongExpectedVersionError', 'true:2']);
      const rows = async (store: SqliteEventStore) => store.integrityLog().readChain(0, 100);
      expect(await rows(concurrent)).toEqual(await rows(sequential));
      expect(await verify(concurrent)).toMatchObject({ intact: true, eventsChecked: 5 });
      await sequential.close();
      await concurrent.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('given more calls than maxBatch, then they are committed in batches of at most maxBatch, in call order', async () => {
    const store = SqliteEventStore.open(tempFile(), { maxBatch: 2 });

    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => store.append('s', [ev('a.happened', { i })], i)));

    expect(store.stats().transactions).toBe(3);
    expect(results.map((r) => r.nextVersion)).toEqual([1, 2, 3, 4, 5]);
    await store.close();
  });

  it('given calls still queued, when the store is closed, then they are committed before the file is closed', async () => {
    const file = tempFile();
    const store = SqliteEventStore.open(file);
    const pending = [store.append('s', [ev('a.happened')], 0), store.append('t', [ev('b.happened')], 0)];

    await store.close();

    await expect(Promise.all(pending)).resolves.toHaveLength(2);
    const again = SqliteEventStore.open(file);
    expect(await again.headPosition()).toBe(2);
    await again.close();
  });
});
