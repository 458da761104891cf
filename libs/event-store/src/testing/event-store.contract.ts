import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { NewEvent, StoredEvent } from '../event-envelope';
import { IdempotencyConflictError, WrongExpectedVersionError } from '../event-store.errors';
import type { EventStore } from '../event-store.port';
import { CheckpointSigner, TrustedKeys } from '../integrity/checkpoint-signing';
import { signCheckpoint } from '../integrity/checkpointer';
import { eventHash } from '../integrity/event-hash';
import type { ChainRow, IntegrityLog } from '../integrity/integrity-log';
import { integrityLogOf } from '../integrity/open-integrity-log';
import { verifyIntegrity } from '../integrity/verify-chain';

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

export interface EventStoreContractOptions {
  /**
   * Run the hash-chain cases (default true): the adapter must expose `integrityLog()`. KurrentDB opts out
   * (it has no hash chain; docs/security-integrity.md says why).
   */
  integrity?: boolean;
}

export function describeEventStoreContract(
  name: string,
  factory: () => Promise<EventStoreContractFixture>,
  options: EventStoreContractOptions = {},
): void {
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

    if (options.integrity !== false) describeIntegrityCases(() => ({ store, fx, extra }), stream);

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

/** Hash-chain cases of the contract (docs/security-integrity.md); raw tampering lives in integrity/testing. */
function describeIntegrityCases(
  current: () => { store: EventStore; fx: EventStoreContractFixture; extra: EventStore[] },
  stream: (prefix?: string) => string,
): void {
  const logOf = (s: EventStore): IntegrityLog => {
    const log = integrityLogOf(s);
    if (!log) throw new Error('this adapter exposes no integrityLog(); pass { integrity: false } if it cannot');
    return log;
  };
  const newSigner = () => new CheckpointSigner(generateKeyPairSync('ed25519').privateKey);
  const readAllRows = async (log: IntegrityLog): Promise<ChainRow[]> => log.readChain(0, 10_000);

  describe('integrity (hash chain)', () => {
    it('an honest history — many streams, multi-stream appends, repeats, conflicts, concurrent writers — verifies intact', async () => {
      const { store } = current();
      const streams = Array.from({ length: 6 }, () => stream('chain'));
      for (const [i, s] of streams.entries()) await store.append(s, [ev('a.happened', { i }), ev('b.happened', { i })], 0);
      const repeat = [ev('c.happened')];
      await store.appendMulti([
        { streamId: streams[0] as string, events: repeat, expectedVersion: 2 },
        { streamId: streams[1] as string, events: [ev('c.happened')], expectedVersion: 2 },
      ]);
      await store.append(streams[0] as string, repeat, 2); // idempotent no-op
      await store.append(streams[2] as string, [ev('x.happened')], 0).catch(() => undefined); // conflict: nothing written
      // concurrent writers on shared streams (group commit batches them on PostgreSQL)
      await Promise.all(Array.from({ length: 40 }, (_, i) => store.append(streams[i % streams.length] as string, [ev('d.happened', { i })], 'any')));
      const head = await store.headPosition();
      const signer = newSigner();
      const report = await verifyIntegrity(logOf(store), { trustedKeys: new TrustedKeys([signer.publicKey]), pageSize: 7 });
      expect(report).toMatchObject({ intact: true, firstBroken: null, verifiedUpTo: head, eventsChecked: head, lastSignedCheckpoint: null });
      expect(head).toBe(6 * 2 + 2 + 40);
    });

    it('an auditor recomputes every hash from what the port returns (canonical encoding, awkward JSON included)', async () => {
      const { store } = current();
      const s = stream('lead');
      const awkward = {
        zeta: 1,
        alpha: { b: [3, 2, 1, { y: null, x: true }], a: '' },
        '10': 'ten',
        '9': 'nine',
        é: 'accent',
        '😀': 'emoji',
        aa: 'A',
        numbers: [0.1, 1e-7, 1e21, -0, 12345678901234, -2.5e-10, 3],
        text: '引号 "quoted" \\ back\nslash\t\u0001 ',
      };
      await store.append(s, [{ ...ev('lead.registered', awkward), confidential: { b: 'ciphertext', a: { iv: 'x', n: 1.5 } } }, ev('lead.noted')], 0);
      await store.append(stream('other'), [ev('other.happened')], 0);
      await store.append(s, [ev('lead.closed')], 2);
      const events = await store.readAll(0, 100);
      const rows = await readAllRows(logOf(store));
      let prev: string | null = null;
      const streamHeads = new Map<string, string>();
      events.forEach((e, i) => {
        const h = eventHash({ ...e, confidential: e.confidential ?? null }, prev, streamHeads.get(e.streamId) ?? null);
        expect(h).toMatch(/^[0-9a-f]{64}$/);
        expect(rows[i]?.hash).toBe(h);
        prev = h;
        streamHeads.set(e.streamId, h);
      });
      const head = await logOf(store).chainHead();
      expect(head).toEqual({ position: events[events.length - 1]?.position, hash: prev });
      expect((await verifyIntegrity(logOf(store), { trustedKeys: new TrustedKeys([]) })).intact).toBe(true);
    });

    it('signs a checkpoint on demand or every N events; verify reports the last signed checkpoint', async () => {
      const { store } = current();
      const log = logOf(store);
      const signer = newSigner();
      const s = stream();
      expect(await signCheckpoint(log, signer)).toBeNull(); // empty log: nothing to sign
      await store.append(s, [1, 2, 3, 4, 5].map((n) => ev('n.counted', { n })), 0);
      expect(await signCheckpoint(log, signer, { every: 10 })).toBeNull(); // fewer than 10 since the last
      const first = await signCheckpoint(log, signer); // on demand
      expect(first).toMatchObject({ position: 5, keyId: signer.keyId });
      expect(first?.globalHash).toBe((await log.chainHead())?.hash);
      expect(await signCheckpoint(log, signer)).toBeNull(); // nothing new
      expect(await log.saveCheckpoint(first as NonNullable<typeof first>)).toBe(false); // another process's duplicate
      await store.append(s, Array.from({ length: 10 }, (_, n) => ev('n.counted', { n })), 5);
      expect(await signCheckpoint(log, signer, { every: 10 })).toMatchObject({ position: 15 });
      const report = await verifyIntegrity(log, { trustedKeys: new TrustedKeys([signer.publicKey]), pageSize: 4 });
      expect(report).toMatchObject({ intact: true, verifiedUpTo: 15, lastSignedCheckpoint: { position: 15, keyId: signer.keyId } });
      expect(report.summary).toContain('15');
    });

    it('a checkpoint signed by an untrusted key, or altered after signing, is a broken link at its position', async () => {
      const { store } = current();
      const log = logOf(store);
      const ours = newSigner();
      const s = stream();
      await store.append(s, [ev('a.happened'), ev('b.happened'), ev('c.happened')], 0);
      const honest = await signCheckpoint(log, ours);
      expect(honest?.position).toBe(3);
      await store.append(s, [ev('d.happened'), ev('e.happened')], 3);
      const head = await log.chainHead();
      const strangerSigner = newSigner();
      await log.saveCheckpoint(strangerSigner.sign(5, head?.hash as string));
      const trusted = new TrustedKeys([ours.publicKey]);
      expect((await verifyIntegrity(log, { trustedKeys: trusted })).firstBroken).toMatchObject({ kind: 'unknown-key', position: 5 });
      // a verifier trusting both keys (a rotated key kept in the trusted set) accepts it
      const both = new TrustedKeys([ours.publicKey, strangerSigner.publicKey]);
      expect(await verifyIntegrity(log, { trustedKeys: both })).toMatchObject({ intact: true, lastSignedCheckpoint: { position: 5 } });
    });

    it('a checkpoint altered after signing is a bad signature at its position', async () => {
      const { store } = current();
      const log = logOf(store);
      const signer = newSigner();
      await store.append(stream(), [ev('a.happened'), ev('b.happened')], 0);
      const cp = signer.sign(2, (await log.chainHead())?.hash as string);
      await log.saveCheckpoint({ ...cp, at: '2020-01-01T00:00:00.000Z' });
      const report = await verifyIntegrity(log, { trustedKeys: new TrustedKeys([signer.publicKey]) });
      expect(report).toMatchObject({ intact: false, verifiedUpTo: 1, firstBroken: { kind: 'bad-signature', position: 2 } });
    });

    it('a validly signed checkpoint that disagrees with the chain is a checkpoint mismatch at its position', async () => {
      const { store } = current();
      const log = logOf(store);
      const signer = newSigner();
      await store.append(stream(), [ev('a.happened'), ev('b.happened')], 0);
      await log.saveCheckpoint(signer.sign(1, 'f'.repeat(64)));
      const report = await verifyIntegrity(log, { trustedKeys: new TrustedKeys([signer.publicKey]) });
      expect(report.firstBroken).toMatchObject({ kind: 'checkpoint-mismatch', position: 1 });
      expect(report.intact).toBe(false);
    });

    it('the chain continues across close and reopen', async () => {
      const { store, fx, extra } = current();
      if (!fx.reopen) return; // nothing to reopen (':memory:')
      const s = stream();
      await store.append(s, [ev('a.happened')], 0);
      await store.close();
      const reopened = await fx.reopen();
      extra.push(reopened);
      await reopened.append(s, [ev('b.happened')], 1);
      await reopened.append(stream(), [ev('c.happened')], 0);
      expect(await verifyIntegrity(logOf(reopened), { trustedKeys: new TrustedKeys([]) })).toMatchObject({ intact: true, verifiedUpTo: 3 });
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
