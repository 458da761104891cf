import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ADMIN_PASSWORD, bearer, leadBody, login, startTestApp, userToken, type TestApp } from './support/test-app';

/**
 * GET /api/integrity against the real app: an honest history verifies intact; an edit made directly in
 * the SQLite file is reported at its position; only the roles of the 'integrity.verify' policy may ask.
 */
describe('tamper-evident history over HTTP', () => {
  let t: TestApp;
  let office: string;
  let auditor: string;
  let agency: string;

  beforeAll(async () => {
    // no checkpoint timer in a test (poll 0): the report is asked for explicitly
    t = await startTestApp(undefined, { COORD_INTEGRITY_CHECKPOINT_EVERY: '3', COORD_INTEGRITY_CHECKPOINT_POLL_MS: '0' });
    office = await login(t, 'admin', ADMIN_PASSWORD);
    auditor = await userToken(t, office, 'shenji', 'auditor');
    agency = await userToken(t, office, 'audit-clerk', 'agency', 'audit-bureau');
    await t.http().post('/api/leads').set(bearer(agency)).send(leadBody()).expect(201);
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('reports an honest history intact up to the head, with the public key auditors pin', async () => {
    const res = await t.http().get('/api/integrity').set(bearer(auditor)).expect(200);
    expect(res.body).toMatchObject({ intact: true, firstBroken: null, lastSignedCheckpoint: null });
    expect(res.body.verifiedUpTo).toBeGreaterThan(0);
    expect(res.body.eventsChecked).toBe(res.body.verifiedUpTo);
    expect(res.body.summary).toContain(`已校验至位置 ${res.body.verifiedUpTo}`);
    expect(res.body.publicKey.pem).toContain('BEGIN PUBLIC KEY');
    expect(res.body.publicKey.keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is refused to an agency user', async () => {
    await t.http().get('/api/integrity').set(bearer(agency)).expect(403);
    await t.http().get('/api/integrity').expect(401);
  });

  it('finds an edit made directly in the SQLite file, at its position', async () => {
    const db = new Database(join(t.dataDir, 'events.sqlite'));
    try {
      const row = db.prepare<[], { position: number }>("SELECT position FROM events WHERE type = 'lead.registered' ORDER BY position LIMIT 1").get();
      expect(row).toBeDefined();
      db.prepare("UPDATE events SET data = replace(data, '收受好处费', '收受好处费用') WHERE position = ?").run(row?.position);
      const res = await t.http().get('/api/integrity').set(bearer(office)).expect(200);
      expect(res.body).toMatchObject({ intact: false, verifiedUpTo: (row?.position ?? 0) - 1, firstBroken: { kind: 'hash-mismatch', position: row?.position } });
      expect(res.body.summary).toContain(`位置 ${row?.position}`);
    } finally {
      db.close();
    }
  });
});
