import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { EventStore } from '../../event-store.port';
import { ev } from '../../testing/event-store.contract';
import { CheckpointSigner, TrustedKeys } from '../checkpoint-signing';
import { signCheckpoint } from '../checkpointer';
import { eventHash, type HashedFields } from '../event-hash';
import type { ChainRow, IntegrityLog } from '../integrity-log';
import { integrityLogOf } from '../open-integrity-log';
import { verifyIntegrity, type IntegrityReport } from '../verify-chain';

/**
 * Raw row surgery on the store's own tables, through a SEPARATE database connection (better-sqlite3 on
 * the file, pg on the schema) — what an intruder or a careless administrator with database access can do.
 */
export interface Tamperer {
  /** replace text inside the stored JSON of a column (SQL replace() on its text form) */
  replaceInJson(position: number, column: 'data' | 'metadata' | 'confidential', from: string, to: string): Promise<void>;
  setColumn(position: number, column: 'hash' | 'recorded_at' | 'occurred_at' | 'stream_version', value: string | number | null): Promise<void>;
  deleteEvent(position: number): Promise<void>;
  /** move an event to a free position */
  movePosition(from: number, to: number): Promise<void>;
  /** add 1 to every position above `above` (highest first) */
  shiftUp(above: number): Promise<void>;
  insertEvent(row: HashedFields & { hash: string | null; occurredAt: string }): Promise<void>;
  setStreamVersion(streamId: string, version: number): Promise<void>;
  setCheckpointHash(position: number, globalHash: string): Promise<void>;
  close(): Promise<void>;
}

export interface TamperingFixture {
  store: EventStore;
  tamper: Tamperer;
  cleanup(): Promise<void>;
}

const signer = new CheckpointSigner(generateKeyPairSync('ed25519').privateKey);
const trustedKeys = new TrustedKeys([signer.publicKey]);

/**
 * The honest history every case starts from: 3 streams interleaved, 12 events, position p known:
 *   1 A1  2 B1  3 A2  4 C1  5 B2  6 A3  7 C2  8 B3  9 A4  10 C3  11 B4  12 A5
 * Event 5 (B2) carries a confidential part (as the encryption decorator would have stored it).
 */
async function honestHistory(store: EventStore): Promise<{ A: string; B: string; C: string }> {
  const A = `A-${randomUUID()}`;
  const B = `B-${randomUUID()}`;
  const C = `C-${randomUUID()}`;
  const plan: [string, number][] = [[A, 0], [B, 0], [A, 1], [C, 0], [B, 1], [A, 2], [C, 1], [B, 2], [A, 3], [C, 2], [B, 3], [A, 4]];
  for (const [i, [s, v]] of plan.entries()) {
    const e = ev('thing.happened', { n: i + 1, who: '张某', amountFen: 120000 + i });
    if (i + 1 === 5) e.confidential = { informant: { alg: 'A256GCM', ct: 'c2VjcmV0' } };
    await store.append(s, [e], v);
  }
  return { A, B, C };
}

/** What a forger who knows the (public) algorithm computes for a row: a correct hash given its links. */
async function forgeHash(log: IntegrityLog, row: HashedFields): Promise<string> {
  const all = await log.readChain(0, 10_000);
  const prevGlobal = all.find((r) => r.position === row.position - 1)?.hash ?? null;
  const prevStream = all.find((r) => r.streamId === row.streamId && r.streamVersion === row.streamVersion - 1)?.hash ?? null;
  return eventHash(row, prevGlobal, prevStream);
}

export function describeTamperingSuite(name: string, factory: () => Promise<TamperingFixture>): void {
  describe(`tamper-evident history: ${name}`, () => {
    let fx: TamperingFixture;
    let log: IntegrityLog;
    let streams: { A: string; B: string; C: string };
    const verify = (): Promise<IntegrityReport> => verifyIntegrity(log, { trustedKeys, pageSize: 5 });
    const row = async (p: number): Promise<ChainRow> => (await log.readChain(p - 1, 1))[0] as ChainRow;

    beforeEach(async () => {
      fx = await factory();
      log = integrityLogOf(fx.store) as IntegrityLog;
      streams = await honestHistory(fx.store);
    });
    afterEach(async () => {
      await fx.tamper.close();
      await fx.cleanup();
    });

    it('the honest history verifies intact', async () => {
      expect(await verify()).toMatchObject({ intact: true, verifiedUpTo: 12, eventsChecked: 12, firstBroken: null });
    });

    it('one changed character of an amount in the data is caught at that event', async () => {
      await fx.tamper.replaceInJson(6, 'data', '120005', '120006');
      expect(await verify()).toMatchObject({ intact: false, verifiedUpTo: 5, firstBroken: { kind: 'hash-mismatch', position: 6, streamId: streams.A, streamVersion: 3 } });
    });

    it('a changed actor in the metadata, or a changed recordedAt, is caught at that event', async () => {
      await fx.tamper.replaceInJson(9, 'metadata', 'tester', 'someone');
      expect((await verify()).firstBroken).toMatchObject({ kind: 'hash-mismatch', position: 9 });
      await fx.tamper.setColumn(3, 'recorded_at', '2020-01-01T00:00:00.000Z');
      expect((await verify()).firstBroken).toMatchObject({ kind: 'hash-mismatch', position: 3 });
    });

    it('a changed byte of the stored (encrypted) confidential part is caught', async () => {
      await fx.tamper.replaceInJson(5, 'confidential', 'c2VjcmV0', 'c2VjcmV1');
      expect((await verify()).firstBroken).toMatchObject({ kind: 'hash-mismatch', position: 5, streamId: streams.B });
    });

    it('an edit with the edited event re-hashed by the forger breaks the link at the next event', async () => {
      await fx.tamper.replaceInJson(6, 'data', '张某', '李某');
      await fx.tamper.setColumn(6, 'hash', await forgeHash(log, await row(6)));
      expect(await verify()).toMatchObject({ verifiedUpTo: 6, firstBroken: { kind: 'hash-mismatch', position: 7 } });
    });

    it('the occurred_at index column changed away from the metadata is caught', async () => {
      await fx.tamper.setColumn(4, 'occurred_at', '2019-06-01T00:00:00.000Z');
      expect((await verify()).firstBroken).toMatchObject({ kind: 'derived-column', position: 4 });
    });

    it('a deleted event is a missing position', async () => {
      await fx.tamper.deleteEvent(7);
      expect(await verify()).toMatchObject({ verifiedUpTo: 6, firstBroken: { kind: 'missing-position', position: 7 } });
    });

    it('a deleted first event is a missing position 1', async () => {
      await fx.tamper.deleteEvent(1);
      expect((await verify()).firstBroken).toMatchObject({ kind: 'missing-position', position: 1 });
    });

    it('the last event deleted (streams table untouched) is a stream head mismatch', async () => {
      await fx.tamper.deleteEvent(12);
      expect((await verify()).firstBroken).toMatchObject({ kind: 'stream-head-mismatch', streamId: streams.A });
    });

    it('the last events deleted and the streams table "fixed" are caught by a signed checkpoint beyond the end', async () => {
      expect(await signCheckpoint(log, signer)).toMatchObject({ position: 12 });
      await fx.tamper.deleteEvent(12);
      await fx.tamper.deleteEvent(11);
      await fx.tamper.setStreamVersion(streams.A, 4);
      await fx.tamper.setStreamVersion(streams.B, 3);
      expect(await verify()).toMatchObject({ verifiedUpTo: 10, firstBroken: { kind: 'truncated', position: 11 } });
    });

    it('two events swapped in position order are caught at the earlier position', async () => {
      await fx.tamper.movePosition(4, 1000);
      await fx.tamper.movePosition(8, 4);
      await fx.tamper.movePosition(1000, 8);
      // position 4 now holds B3, whose predecessor B2 sits later, at position 5
      expect((await verify()).firstBroken).toMatchObject({ kind: 'reordered', position: 4, streamId: streams.B, streamVersion: 3 });
    });

    it('two events of a stream swapped in version order are caught (reordered)', async () => {
      // A2 at position 3 and A4 at position 9 exchange their stream versions
      await fx.tamper.setColumn(3, 'stream_version', 1000);
      await fx.tamper.setColumn(9, 'stream_version', 2);
      await fx.tamper.setColumn(3, 'stream_version', 4);
      // position 3 now claims to be A4, whose predecessor A3 sits later, at position 6
      expect(await verify()).toMatchObject({ verifiedUpTo: 2, firstBroken: { kind: 'reordered', position: 3, streamId: streams.A, streamVersion: 4 } });
    });

    it('a forged event inserted in the middle, correctly linked to its predecessor, breaks the link after it', async () => {
      await fx.tamper.shiftUp(6);
      const forged: HashedFields = {
        eventId: randomUUID(),
        streamId: `F-${randomUUID()}`,
        streamVersion: 1,
        position: 7,
        type: 'thing.happened',
        schemaVersion: 1,
        data: { forged: true },
        confidential: null,
        metadata: ev('thing.happened').metadata,
        recordedAt: (await row(6)).recordedAt,
      };
      await fx.tamper.insertEvent({ ...forged, occurredAt: (forged.metadata as { occurredAt: string }).occurredAt, hash: await forgeHash(log, forged) });
      await fx.tamper.setStreamVersion(forged.streamId, 1);
      expect(await verify()).toMatchObject({ verifiedUpTo: 7, firstBroken: { kind: 'hash-mismatch', position: 8 } });
    });

    it('a forged event appended at the end with a hash over its own fields only (not linked) is caught', async () => {
      const forged: HashedFields = {
        eventId: randomUUID(),
        streamId: streams.C,
        streamVersion: 4,
        position: 13,
        type: 'thing.happened',
        schemaVersion: 1,
        data: { forged: true },
        confidential: null,
        metadata: ev('thing.happened').metadata,
        recordedAt: new Date().toISOString(),
      };
      await fx.tamper.insertEvent({ ...forged, occurredAt: (forged.metadata as { occurredAt: string }).occurredAt, hash: eventHash(forged, null, null) });
      await fx.tamper.setStreamVersion(streams.C, 4);
      expect(await verify()).toMatchObject({ verifiedUpTo: 12, firstBroken: { kind: 'hash-mismatch', position: 13, streamId: streams.C, streamVersion: 4 } });
    });

    it('a row without a hash (written around the store) is caught', async () => {
      await fx.tamper.setColumn(2, 'hash', null);
      expect((await verify()).firstBroken).toMatchObject({ kind: 'missing-hash', position: 2 });
    });

    it('a whole-tail rewrite re-chained with the public algorithm is caught by the signed checkpoint', async () => {
      expect(await signCheckpoint(log, signer)).toMatchObject({ position: 12 });
      await fx.tamper.replaceInJson(5, 'data', '张某', '王某');
      for (let p = 5; p <= 12; p++) await fx.tamper.setColumn(p, 'hash', await forgeHash(log, await row(p)));
      // the chain itself is consistent again…
      const rows = await log.readChain(0, 100);
      expect(rows.every((r) => r.hash !== null)).toBe(true);
      // …but it no longer ends in the hash the key holder signed
      expect(await verify()).toMatchObject({ verifiedUpTo: 11, firstBroken: { kind: 'checkpoint-mismatch', position: 12 } });
      // and re-writing the checkpoint's hash without the key breaks its signature
      await fx.tamper.setCheckpointHash(12, (await row(12)).hash as string);
      expect((await verify()).firstBroken).toMatchObject({ kind: 'bad-signature', position: 12 });
    });
  });
}
