import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '../event-envelope';
import { describeEventStoreContract, ev } from '../testing';
import { KurrentDbEventStore } from './kurrentdb-event-store';

/**
 * The shared EventStore contract against a real KurrentDB (25.1 or later: multi-stream append).
 *
 * Collected ONLY when KURRENTDB_URL is set (jest.config.js ignores this file otherwise, so no skipped
 * tests appear in ordinary runs). With the compose file:
 *
 *   docker compose -f docker/compose.yaml up -d kurrentdb
 *   KURRENTDB_URL='kurrentdb://localhost:2113?tls=false' npx jest kurrentdb --selectProjects int
 *
 * Every fixture gets its own stream namespace, so each test sees an empty store on a shared server and
 * runs leave only their own (uniquely prefixed) streams behind.
 */
const url = process.env.KURRENTDB_URL as string;
const run = `t${process.pid}-${Date.now().toString(36)}`;
const freshNamespace = () => `${run}-${randomUUID().slice(0, 8)}/`;

jest.setTimeout(30_000);

describeEventStoreContract('KurrentDbEventStore', async () => {
  const namespace = freshNamespace();
  const store = await KurrentDbEventStore.connect({ connectionString: url, namespace });
  return {
    store,
    reopen: () => KurrentDbEventStore.connect({ connectionString: url, namespace }),
    cleanup: () => store.close(),
  };
  // no hash chain on KurrentDB: its log is append-only by the server itself (docs/security-integrity.md)
}, { integrity: false });

describe('KurrentDbEventStore: beyond the shared contract', () => {
  it('a catch-up subscription from a stored position delivers every later event once, in order, then live ones', async () => {
    const namespace = freshNamespace();
    const store = await KurrentDbEventStore.connect({ connectionString: url, namespace });
    try {
      const first = await store.append('s-1', [ev('a.happened'), ev('b.happened')], 0);
      const checkpoint = first.stored?.[0]?.position as number;
      const seen: StoredEvent[] = [];
      let resolveDone!: () => void;
      const done = new Promise<void>((r) => (resolveDone = r));
      const sub = store.subscribe(checkpoint, (e) => {
        seen.push(e);
        if (seen.length === 2) resolveDone();
      });
      await store.append('s-2', [ev('c.happened')], 0); // live
      await done;
      await sub.stop();
      expect(seen.map((e) => e.type)).toEqual(['b.happened', 'c.happened']);
      expect(sub.position).toBe(seen[1]?.position);
    } finally {
      await store.close();
    }
  });

  it('followRemoteAppends wakes a second process-worth store when the first appends', async () => {
    const namespace = freshNamespace();
    const writer = await KurrentDbEventStore.connect({ connectionString: url, namespace });
    const follower = await KurrentDbEventStore.connect({ connectionString: url, namespace, followRemoteAppends: true });
    try {
      const woken = new Promise<number>((resolve) => follower.onAppended(resolve));
      const r = await writer.append('s-1', [ev('a.happened')], 0);
      expect(await woken).toBe(r.lastPosition);
    } finally {
      await writer.close();
      await follower.close();
    }
  });

  it('refuses the same stream twice in one appendMulti call (KurrentDB takes one request per stream)', async () => {
    const store = await KurrentDbEventStore.connect({ connectionString: url, namespace: freshNamespace() });
    try {
      await expect(
        store.appendMulti([
          { streamId: 's', events: [ev('a.happened')], expectedVersion: 0 },
          { streamId: 's', events: [ev('b.happened')], expectedVersion: 1 },
        ]),
      ).rejects.toBeInstanceOf(RangeError);
      expect(await store.headPosition()).toBe(0);
    } finally {
      await store.close();
    }
  });
});
