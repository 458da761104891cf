import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { sqliteTamperer } from './testing/sqlite-tampering';
import { describeTamperingSuite } from './testing/tampering.suite';

/** Edits, deletions, reorderings and insertions made with better-sqlite3 directly on the store file. */
describeTamperingSuite('SQLite (better-sqlite3 on the file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coord-tamper-'));
  const file = join(dir, 'events.sqlite');
  const store = SqliteEventStore.open(file);
  return {
    store,
    tamper: sqliteTamperer(file),
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite: upgrading a version-1 store (events without hashes)', () => {
  it('chains the existing events once at open, then appends link to them', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { ev } = await import('../testing/event-store.contract');
    const { TrustedKeys } = await import('./checkpoint-signing');
    const { verifyIntegrity } = await import('./verify-chain');
    const dir = mkdtempSync(join(tmpdir(), 'coord-upgrade-'));
    const file = join(dir, 'events.sqlite');
    try {
      const before = SqliteEventStore.open(file);
      for (let i = 0; i < 7; i++) await before.append(`s-${i % 3}`, [ev('thing.happened', { i })], 'any');
      await before.close();
      // make it what a version-1 store looks like: no hashes, no checkpoints table, user_version 1
      const raw = new Database(file);
      raw.exec('UPDATE events SET hash = NULL; DROP TABLE checkpoints; PRAGMA user_version = 1;');
      raw.close();

      const after = SqliteEventStore.open(file);
      const log = after.integrityLog();
      expect((await log.readChain(0, 100)).every((r) => /^[0-9a-f]{64}$/.test(r.hash ?? ''))).toBe(true);
      await after.append('s-0', [ev('thing.happened', { i: 7 })], 'any');
      expect(await verifyIntegrity(log, { trustedKeys: new TrustedKeys([]) })).toMatchObject({ intact: true, verifiedUpTo: 8 });
      await after.close();
      const check = new Database(file, { readonly: true });
      expect(check.pragma('user_version', { simple: true })).toBe(2);
      check.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
