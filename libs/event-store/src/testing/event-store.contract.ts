import { randomUUID } from 'node:crypto';
import type { NewEvent, StoredEvent } from '../event-envelope';
import { IdempotencyConflictError, WrongExpectedVersionError } from '../event-store.errors';
import type { EventStore } from '../event-store.port';

/**
 * The one behavioural contract every EventStore adapter must pass (SQLite, PostgreSQL, later KurrentDB).
 *
 * Usage, in an adapter's spec:
 *
 *   describeEventStoreContract('SqliteEventStore', async () => {
 *     const store = SqliteEventStore.open(file);
 *     return { store, reopen: async () => SqliteEventStore.open(file), cleanup: async () => { await store.close(); rm(file) } };
 *   });
 *
 * The factory is called before every test and must return an EMPTY store (fresh file / schema), so
 * tests can assert absolute positions and heads. `cleanup` runs after every test and must tolerate a
 * store the test already closed (close() is idempotent). `reopen`, when given, must open a second
 * handle on the same storage after the test closed the first one; the durability test uses it.
 */
export interface EventStoreContractFixture {
  store: EventStore;
  reopen?: () => Promise<EventStore>;
  cleanup: () => Promise<void>;
}

export function describeEventStoreContract(name: string, factory: () => Promise<EventStoreContractFixture>): void {
  describe(`EventStore contract: ${name}`, () => {
    let fx: EventStoreContractFixture;
    let store: EventStore;
    const extra: EventStore[] = [];

    beforeEach(async () => {
      fx = await factory();
      store = fx.store;
    });
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await fx.cleanup();
    });

    const stream = (prefix = 'test') => `${prefix}-${randomUUID()}`;

    describe('append', () => {
      it('creates a stream with expectedVersion 0, numbering versions from 1 and positions upwards', async () => {
        const s = stream();
        const events = [ev('thing.happened', { n: 1 }), ev('thing.happened', { n: 2 })];
        const r = await store.append(s, events, 0);
        expect(r).toMatchObject({ streamId: s, nextVersion: 2, written: true });
        const read = await store.readStream(s);
        expect(read.map((e) => [e.eventId, e.streamVersion, e.streamId])).toEqual([
          [events[0]?.eventId, 1, s],
          [events[1]?.eventId, 2, s],
        ]);
        expect(read[1]?.position).toBeGreaterThan(read[0]?.position ?? Infinity);
        expect(r.lastPosition).toBe(read[1]?.position);
        if (r.stored) expect(r.stored).toEqual(read);
      });

      it('appends with the right expected version', async () => {
        const s = stream();
        await store.append(s, [ev('a.happened')], 0);
        const r = await store.append(s, [ev('b.happened'), ev('c.happened')], 1);
        expect(r.nextVersion).toBe(3);
        expect((await store.readStream(s)).map((e) => e.type)).toEqual(['a.happened', 'b.happened', 'c.happened']);
      });

      it('rejects a wrong expected version with WrongExpectedVersionError and writes nothing', async () => {
        const s = stream();
        await store.append(s, [ev('a.happened')], 0);
        const head = await store.headPosition();
        const err = await store.append(s, [ev('b.happened')], 0).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err).toMatchObject({ streamId: s, expected: 0, actual: 1 });
        await expect(store.append(s, [ev('b.happened')], 5)).rejects.toBeInstanceOf(WrongExpectedVersionError);
        await expect(store.append(stream(), [ev('b.happened')], 3)).rejects.toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.readStream(s)).toHaveLength(1);
        expect(await store.headPosition()).toBe(head);
      });

      it("'any' skips the version check on new and existing streams", async () => {
        const s = stream();
        expect((await store.append(s, [ev('a.happened')], 'any')).nextVersion).toBe(1);
        expect((await store.append(s, [ev('b.happened')], 'any')).nextVersion).toBe(2);
      });

      it('refuses an empty append', async () => {
        await expect(store.append(stream(), [], 0)).rejects.toBeInstanceOf(RangeError);
      });

      it('20 concurrent appends with the same expected version: exactly one wins, the rest conflict', async () => {
        const s = stream();
        await store.append(s, [ev('a.happened')], 0);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => store.append(s, [ev('b.happened', { i })], 1)),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(19);
        for (const l of lost) expect(l.reason).toBeInstanceOf(WrongExpectedVersionError);
        const read = await store.readStream(s);
        expect(read.map((e) => e.streamVersion)).toEqual([1, 2]);
        expect(await store.streamVersion(s)).toBe(2);
      });
    });

    describe('appendMulti', () => {
      it('writes several streams atomically', async () => {
        const a = stream('a');
        const b = stream('b');
        await store.append(b, [ev('b.started')], 0);
        const results = await store.appendMulti([
          { streamId: a, events: [ev('a.started'), ev('a.continued')], expectedVersion: 0 },
          { streamId: b, events: [ev('b.continued')], expectedVersion: 1 },
        ]);
        expect(results.map((r) => [r.streamId, r.nextVersion, r.written])).toEqual([
          [a, 2, true],
          [b, 2, true],
        ]);
        expect(await store.streamVersion(a)).toBe(2);
        expect(await store.streamVersion(b)).toBe(2);
        expect(results[1]?.lastPosition).toBeGreaterThan(results[0]?.lastPosition ?? Infinity);
      });

      it("is all-or-nothing: one stream's conflict writes nothing on any stream", async () => {
        const a = stream('a');
        const b = stream('b');
        await store.append(b, [ev('b.started')], 0);
        const head = await store.headPosition();
        const err = await store
          .appendMulti([
            { streamId: a, events: [ev('a.started')], expectedVersion: 0 },
            { streamId: b, events: [ev('b.continued')], expectedVersion: 0 },
          ])
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err).toMatchObject({ streamId: b });
        expect(await store.readStream(a)).toEqual([]);
        expect(await store.streamVersion(a)).toBe(0);
        expect(await store.readStream(b)).toHaveLength(1);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readAll(head, 10)).toEqual([]);
      });
    });

    describe('idempotency by event id', () => {
      it('a repeat of the same event ids is a no-op returning the original version and position', async () => {
        const s = stream();
        const batch = [ev('a.happened'), ev('b.happened')];
        const first = await store.append(s, batch, 0);
        const again = await store.append(s, batch, 0);
        expect(again).toMatchObject({ streamId: s, nextVersion: first.nextVersion, lastPosition: first.lastPosition, written: false });
        await store.append(s, [ev('c.happened')], 2);
        // also once the stream has moved on, and with 'any'
        const later = await store.append(s, batch, 'any');
        expect(later).toMatchObject({ nextVersion: 2, lastPosition: first.lastPosition, written: false });
        expect(await store.readStream(s)).toHaveLength(3);
      });

      it('a batch mixing stored and new ids is refused with IdempotencyConflictError and writes nothing', async () => {
        const s = stream();
        const e1 = ev('a.happened');
        await store.append(s, [e1], 0);
        const head = await store.headPosition();
        await expect(store.append(s, [e1, ev('b.happened')], 1)).rejects.toBeInstanceOf(IdempotencyConflictError);
        await expect(store.append(s, [ev('b.happened'), e1], 1)).rejects.toBeInstanceOf(IdempotencyConflictError);
        // an id stored in another stream is not a repeat either
        await expect(store.append(stream(), [e1], 0)).rejects.toBeInstanceOf(IdempotencyConflictError);
        expect(await store.headPosition()).toBe(head);
        expect(await store.streamVersion(s)).toBe(1);
      });

      it('refuses the same event id twice in one call', async () => {
        const e1 = ev('a.happened');
        await expect(
          store.appendMulti([
            { streamId: stream(), events: [e1], expectedVersion: 0 },
            { streamId: stream(), events: [e1], expectedVersion: 0 },
          ]),
        ).rejects.toBeInstanceOf(IdempotencyConflictError);
        expect(await store.headPosition()).toBe(0);
      });
    });

    describe('reading', () => {
      it('readStream honours fromVersion and toVersion (inclusive); unknown streams are empty', async () => {
        const s = stream();
        await store.append(s, [1, 2, 3, 4, 5].map((n) => ev('n.counted', { n })), 0);
        const versions = async (o: { fromVersion?: number; toVersion?: number }) =>
          (await store.readStream(s, o)).map((e) => e.streamVersion);
        expect(await versions({ fromVersion: 2 })).toEqual([2, 3, 4, 5]);
        expect(await versions({ toVersion: 2 })).toEqual([1, 2]);
        expect(await versions({ fromVersion: 2, toVersion: 4 })).toEqual([2, 3, 4]);
        expect(await versions({ fromVersion: 6 })).toEqual([]);
        expect(await store.readStream(stream())).toEqual([]);
      });

      it('streamVersion is 0 for an unknown stream and the last version otherwise', async () => {
        const s = stream();
        expect(await store.streamVersion(s)).toBe(0);
        await store.append(s, [ev('a.happened'), ev('b.happened')], 0);
        expect(await store.streamVersion(s)).toBe(2);
      });

      it('readAll pages through every stream in position order with after/limit; headPosition is the last position', async () => {
        expect(await store.headPosition()).toBe(0);
        expect(await store.readAll(0, 10)).toEqual([]);
        const a = stream('a');
        const b = stream('b');
        const written: string[] = [];
        for (let i = 0; i < 5; i++) {
          const ea = ev('a.happened', { i });
          const eb = ev('b.happened', { i });
          await store.append(a, [ea], i);
          await store.append(b, [eb], i);
          written.push(ea.eventId, eb.eventId);
        }
        const seen: StoredEvent[] = [];
        let after = 0;
        for (;;) {
          const page = await store.readAll(after, 3);
          expect(page.length).toBeLessThanOrEqual(3);
          if (page.length === 0) break;
          seen.push(...page);
          after = (page[page.length - 1] as StoredEvent).position;
        }
        expect(seen.map((e) => e.eventId)).toEqual(written);
        const positions = seen.map((e) => e.position);
        expect([...positions].sort((x, y) => x - y)).toEqual(positions);
        expect(new Set(positions).size).toBe(positions.length);
        expect(await store.headPosition()).toBe(positions[positions.length - 1]);
        expect(await store.readAll(positions[4] as number, 2)).toEqual(seen.slice(5, 7));
      });

      it('round-trips data, confidential and metadata exactly, and stamps recordedAt', async () => {
        const s = stream('lead');
        const e: NewEvent = {
          eventId: randomUUID(),
          type: 'lead.registered',
          schemaVersion: 3,
          data: { ledgerNo: 'LC-2026-0001', subject: { name: '张某', post: '局长', unit: '县财政局' }, amounts: [0, 12345678901, -1], flag: false, nothing: null },
          confidential: { informant: { name: '李某', contact: '138 0000 0000' }, note: '匿名 "quoted" \\ back' },
          metadata: {
            occurredAt: '2026-03-02T09:15:00.123Z',
            actor: { userId: 'u-1', username: 'wang', role: 'agency', agency: 'audit-bureau' },
            correlationId: 'corr-1',
            causationId: 'cmd-1',
          },
        };
        const plain = ev('lead.noted');
        await store.append(s, [e, plain], 0);
        const [read, readPlain] = await store.readStream(s);
        expect(read).toMatchObject({ eventId: e.eventId, type: e.type, schemaVersion: 3, streamId: s });
        expect(read?.data).toEqual(e.data);
        expect(read?.confidential).toEqual(e.confidential);
        expect(read?.metadata).toEqual(e.metadata);
        expect(readPlain?.confidential ?? null).toBeNull();
        expect(Number.isNaN(Date.parse(read?.recordedAt ?? 'x'))).toBe(false);
        const [viaAll] = await store.readAll((read?.position ?? 1) - 1, 1);
        expect(viaAll).toEqual(read);
      });
    });

    describe('onAppended', () => {
      it('fires after commit with the last position, once per successful write, until unsubscribed', async () => {
        const calls: number[] = [];
        const visible: Promise<number[]>[] = [];
        const off = store.onAppended((p) => {
          calls.push(p);
          // the listener runs after commit: the event it is told about is readable
          visible.push(store.readAll(p - 1, 1).then((es) => es.map((e) => e.position)));
        });
        const s = stream();
        const r1 = await store.append(s, [ev('a.happened'), ev('b.happened')], 0);
        await store.append(s, [ev('c.happened')], 0).catch(() => undefined); // conflict: no call
        const batch = [ev('d.happened')];
        const r2 = await store.append(s, batch, 2);
        await store.append(s, batch, 2); // idempotent no-op: no call
        off();
        await store.append(s, [ev('e.happened')], 3);
        expect(calls).toEqual([r1.lastPosition, r2.lastPosition]);
        expect(await Promise.all(visible)).toEqual([[r1.lastPosition], [r2.lastPosition]]);
      });
    });

    describe('durability', () => {
      it('keeps every acknowledged event across close and reopen', async () => {
        if (!fx.reopen) return; // adapter without a reopenable storage (nothing to prove)
        const s = stream();
        await store.append(s, [ev('a.happened', { n: 1 })], 0);
        await store.appendMulti([
          { streamId: s, events: [ev('b.happened')], expectedVersion: 1 },
          { streamId: stream(), events: [ev('c.happened')], expectedVersion: 0 },
        ]);
        const before = await store.readAll(0, 100);
        await store.close();
        const reopened = await fx.reopen();
        extra.push(reopened);
        expect(await reopened.readAll(0, 100)).toEqual(before);
        expect(await reopened.streamVersion(s)).toBe(2);
        expect(await reopened.headPosition()).toBe(before[before.length - 1]?.position);
        // and it continues the log, never reusing a position
        const r = await reopened.append(s, [ev('d.happened')], 2);
        expect(r.lastPosition).toBeGreaterThan(before[before.length - 1]?.position ?? Infinity);
      });
    });
  });
}

/** A minimal valid NewEvent with a fresh id. */
export function ev(type: string, data: unknown = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: '2026-01-05T02:00:00.000Z',
      actor: { userId: 'u-test', username: 'tester', role: 'office' },
      correlationId: 'corr-test',
      causationId: 'cmd-test',
    },
  };
}
