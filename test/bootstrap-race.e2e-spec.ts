import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { BootstrapService } from '../apps/api/src/bootstrap/bootstrap.service';
import { login, startTestApp } from './support/test-app';

/**
 * Two api processes starting at the same moment on an empty store (a fresh deployment with two
 * replicas): both start, the group is seeded once, one admin exists, and at most one of them prints a
 * generated password — the one that works.
 */
describe('first start by two api instances at once', () => {
  it('given an empty store, when two instances start together, then both run and one admin and one membership exist', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'coord-race-'));
    // no COORD_ADMIN_PASSWORD: each instance generates its own password, only one may be printed
    const env = { COORD_ADMIN_PASSWORD: '' };
    const [a, b] = await Promise.all([startTestApp(dataDir, env), startTestApp(dataDir, env)]);
    try {
      const generated = [a, b].map((t) => t.app.get(BootstrapService).generatedAdminPassword).filter((p): p is string => !!p);
      expect(generated).toHaveLength(1);
      await login(a, 'admin', generated[0] as string);
      const store = a.app.get<EventStore>(EVENT_STORE);
      expect((await store.readStream('account-admin')).map((e) => e.type)).toEqual(['account.created']);
      expect(await store.streamVersion('group')).toBe(10);
    } finally {
      await a.close();
      await b.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
