import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import JSZip from 'jszip';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { ADMIN_PASSWORD, bearer, leadBody, login, plusDays, shanghaiToday, startTestApp, userToken, type TestApp } from './support/test-app';

/**
 * Issue 5 items 3 and 5 over HTTP (embedded profile): the informant is sealed from the first write, is
 * readable only through its endpoint with a personal grant (each read recorded), is crypto-shredded on
 * erasure (410 afterwards, no byte left in any file), and reads of case files, exports and bulletins
 * leave access records that auditors query.
 */
jest.setTimeout(60_000);

describe('informant custody and access audit (SQLite)', () => {
  const NAME = '举报人孙某某';
  const CONTACT = 'sun-informant-13900000000@example.org';
  let t: TestApp;
  let admin: string;
  let reader: string;
  let agency: string;
  let auditor: string;
  let leadership: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await login(t, 'admin', ADMIN_PASSWORD);
    reader = await userToken(t, admin, 'custody-reader', 'office');
    agency = await userToken(t, admin, 'audit-clerk', 'agency', 'audit-bureau');
    auditor = await userToken(t, admin, 'county-auditor', 'auditor');
    leadership = await userToken(t, admin, 'deputy-head', 'leadership');
  });

  afterAll(async () => {
    await t.destroy();
  });

  /** every file of the data folder's databases, after a checkpoint, as raw bytes */
  function rawFiles(): { file: string; bytes: Buffer }[] {
    for (const f of ['events.sqlite', 'read-models.sqlite']) {
      const db = new Database(join(t.dataDir, f));
      db.pragma('wal_checkpoint(PASSIVE)');
      db.close();
    }
    return ['events.sqlite', 'events.sqlite-wal', 'keys.sqlite', 'keys.sqlite-journal', 'read-models.sqlite', 'read-models.sqlite-wal']
      .map((f) => join(t.dataDir, f))
      .filter((f) => existsSync(f))
      .map((file) => ({ file, bytes: readFileSync(file) }));
  }

  const secrets = [NAME, CONTACT, '孙某某', '13900000000'].map((s) => Buffer.from(s, 'utf8'));

  async function xlsxText(path: string, token: string): Promise<string> {
    const res = await t
      .http()
      .get(path)
      .set(bearer(token))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const zip = await JSZip.loadAsync(res.body as Buffer);
    const parts = await Promise.all(Object.values(zip.files).map((f) => f.async('string')));
    return parts.join('\n');
  }

  it('given a lead registered with an informant, then the event store files never held it in clear, only the sealed form', async () => {
    const reg = await t.http().post('/api/leads').set(bearer(agency)).send(leadBody({ informant: { name: NAME, contact: CONTACT } })).expect(201);
    const files = rawFiles();
    expect(files.map((f) => f.file.split('/').pop())).toEqual(expect.arrayContaining(['events.sqlite', 'keys.sqlite']));
    for (const { file, bytes } of files) for (const s of secrets) expect({ file, found: bytes.includes(s) }).toEqual({ file, found: false });
    // the adapter's own view of the row (beneath the decorator) is ciphertext
    const raw = new Database(join(t.dataDir, 'events.sqlite'), { readonly: true });
    const row = raw.prepare<[string], { confidential: string }>("SELECT confidential FROM events WHERE stream_id = ? AND type = 'lead.registered'").get(`lead-${reg.body.id}`);
    raw.close();
    expect(JSON.parse(row?.confidential ?? '{}')).toEqual({ sealed: 'aes-256-gcm/v1', iv: expect.any(String), ct: expect.any(String), tag: expect.any(String) });
    // the master key was generated into the data folder, readable by the owner only
    expect(existsSync(join(t.dataDir, 'master-key'))).toBe(true);
    expect(readFileSync(join(t.dataDir, 'master-key'), 'utf8').trim()).toMatch(/^[A-Za-z0-9+/=]{44}$/);
  });

  it('the informant endpoint: a reason is mandatory, a personal grant from ANOTHER office user is required, each read is an event, other roles are refused', async () => {
    const reg = await t.http().post('/api/leads').set(bearer(agency)).send(leadBody({ informant: { name: NAME, contact: CONTACT } })).expect(201);
    const id = reg.body.id as string;
    const until = plusDays(shanghaiToday(), 7);

    const noReason = await t.http().get(`/api/leads/${id}/informant`).set(bearer(reader)).expect(400);
    expect(noReason.headers['content-type']).toMatch(/problem\+json/);
    expect(noReason.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason' })]));
    const noGrant = await t.http().get(`/api/leads/${id}/informant?reason=${encodeURIComponent('核实线索')}`).set(bearer(reader)).expect(403);
    expect(noGrant.body.code).toBe('informant-grant-required');
    for (const token of [agency, auditor, leadership]) {
      const refused = await t.http().get(`/api/leads/${id}/informant?reason=x`).set(bearer(token)).expect(403);
      expect(refused.text).not.toContain(NAME);
    }

    const self = await t.http().post('/api/informant-access-grants').set(bearer(reader)).send({ username: 'custody-reader', leadId: id, reason: '自查', until }).expect(403);
    expect(self.body.code).toBe('informant-self-grant');
    const unknown = await t.http().post('/api/informant-access-grants').set(bearer(admin)).send({ username: 'nobody-here', reason: '核查', until }).expect(422);
    expect(unknown.body.errors[0].field).toBe('username');
    const grant = await t.http().post('/api/informant-access-grants').set(bearer(admin)).send({ username: 'custody-reader', leadId: id, reason: '核查需要', until }).expect(201);

    const read = await t.http().get(`/api/leads/${id}/informant?reason=${encodeURIComponent('约谈前核实身份')}`).set(bearer(reader)).expect(200);
    expect(read.body.informant).toEqual({ name: NAME, contact: CONTACT });
    expect(read.headers['cache-control']).toBe('no-store');
    // recorded: who, when, why — without the identity
    const store = t.app.get<EventStore>(EVENT_STORE);
    const custody = await store.readStream(`informant-${id}`);
    expect(custody.map((e) => e.type)).toEqual(['informant.viewed']);
    expect(custody[0].data).toEqual({ leadId: id, grantId: grant.body.grantId, reason: '约谈前核实身份' });
    expect(custody[0].metadata.actor.username).toBe('custody-reader');
    expect(JSON.stringify(custody)).not.toContain(NAME);
    // the grant holder is still not the granter: the admin has no grant of their own
    await t.http().get(`/api/leads/${id}/informant?reason=x`).set(bearer(admin)).expect(403);
    // and no other route returns it
    for (const path of [`/api/leads/${id}`, `/api/leads/${id}/history`, '/api/leads', '/api/informant-access-grants']) {
      const res = await t.http().get(path).set(bearer(admin));
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(NAME);
      expect(res.text).not.toContain(CONTACT);
    }

    await t.http().post(`/api/informant-access-grants/${grant.body.grantId}/revocation`).set(bearer(admin)).send({ reason: '核查结束' }).expect(200);
    await t.http().get(`/api/leads/${id}/informant?reason=x`).set(bearer(reader)).expect(403);
    const grants = await t.http().get('/api/informant-access-grants').set(bearer(admin)).expect(200);
    expect(grants.body).toEqual([expect.objectContaining({ grantId: grant.body.grantId, username: 'custody-reader', revoked: true, active: false })]);
  });

  it('erasure (crypto-shredding): 410 afterwards, the rest of the history intact, no byte of the identity or of the wrapped key in any file, read model or export', async () => {
    const reg = await t.http().post('/api/leads').set(bearer(agency)).send(leadBody({ informant: { name: NAME, contact: CONTACT } })).expect(201);
    const id = reg.body.id as string;
    await t.http().post('/api/informant-access-grants').set(bearer(admin)).send({ username: 'custody-reader', reason: '全部线索核查', until: plusDays(shanghaiToday(), 1) }).expect(201);
    await t.http().get(`/api/leads/${id}/informant?reason=check`).set(bearer(reader)).expect(200);
    const keys = new Database(join(t.dataDir, 'keys.sqlite'), { readonly: true });
    const wrapped = keys.prepare<[string], { wrapped: Buffer }>('SELECT wrapped FROM data_keys WHERE stream_id = ?').get(`lead-${id}`)?.wrapped;
    keys.close();
    expect(wrapped?.length).toBe(60);

    await t.http().post(`/api/leads/${id}/informant/erasure`).set(bearer(reader)).send({}).expect(400);
    await t.http().post(`/api/leads/${id}/informant/erasure`).set(bearer(agency)).send({ reason: 'x' }).expect(403);
    const erased = await t.http().post(`/api/leads/${id}/informant/erasure`).set(bearer(admin)).send({ reason: '举报人申请删除个人信息' }).expect(200);
    expect(erased.body).toEqual(expect.objectContaining({ id, erased: true }));

    const gone = await t.http().get(`/api/leads/${id}/informant?reason=check`).set(bearer(reader)).expect(410);
    expect(gone.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(gone.body).toEqual(expect.objectContaining({ status: 410, code: 'informant-erased' }));
    const again = await t.http().post(`/api/leads/${id}/informant/erasure`).set(bearer(admin)).send({ reason: '重复' }).expect(409);
    expect(again.body.code).toBe('informant-erased');

    // the history stays: the lead, its registration (sealed bytes still stored), the erasure record
    const store = t.app.get<EventStore>(EVENT_STORE);
    const [registered] = await store.readStream(`lead-${id}`);
    expect(registered.type).toBe('lead.registered');
    expect(registered.confidential).toBeUndefined();
    expect((registered.data as { hasInformant: boolean }).hasInformant).toBe(true);
    const sealed = (await store.readAll(registered.position - 1, 1))[0];
    expect(sealed.confidential).toEqual(expect.objectContaining({ sealed: 'aes-256-gcm/v1' }));
    expect((await store.readStream(`informant-${id}`)).map((e) => e.type)).toEqual(['informant.viewed', 'informant.erased']);
    const lead = await t.http().get(`/api/leads/${id}?minPosition=${erased.body.position}`).set(bearer(admin)).expect(200);
    expect(JSON.stringify(lead.body)).toContain('王某某');

    // exports and read models
    const exported = await xlsxText('/api/ledgers/leads.xlsx', admin);
    expect(exported).toContain('王某某');
    for (const s of [NAME, CONTACT]) expect(exported).not.toContain(s);
    // raw files: ciphertext stays, but no plaintext — and the wrapped key itself is gone from the key store
    const files = rawFiles();
    for (const { file, bytes } of files) {
      for (const s of secrets) expect({ file, found: bytes.includes(s) }).toEqual({ file, found: false });
      expect({ file, key: bytes.includes(wrapped as Buffer) }).toEqual({ file, key: false });
    }
  });

  it('access audit: reads of case files, exports and bulletin sources are recorded (who, when, what) and auditors query them; agencies cannot', async () => {
    const reg = await t.http().post('/api/leads').set(bearer(agency)).send(leadBody()).expect(201);
    const filed = await t
      .http()
      .post('/api/cases')
      .set(bearer(admin))
      .send({ title: '审计留痕测试', leadIds: [reg.body.id], leadAgency: 'audit-bureau', coAgencies: [], filedOn: shanghaiToday(), major: true })
      .expect(201);
    const caseId = filed.body.id as string;
    await t.http().get(`/api/cases/${caseId}?minPosition=${filed.body.position}`).set(bearer(auditor)).expect(200);
    await t.http().get(`/api/cases/${caseId}/history`).set(bearer(leadership)).expect(200);
    await t.http().get(`/api/cases/${caseId}/bulletin-source`).set(bearer(admin)).expect(200);
    await xlsxText('/api/ledgers/cases.xlsx', agency);
    await t.http().get(`/api/cases/${caseId}`).set(bearer(agency)); // whatever its status, a refused read leaves no "read" record

    const all = await t.http().get('/api/access-audit').set(bearer(auditor)).expect(200);
    const ofCase = await t.http().get(`/api/access-audit?subject=${caseId}`).set(bearer(auditor)).expect(200);
    expect(ofCase.body.records.map((r: { username: string; action: string; route: string }) => [r.username, r.action, r.route])).toEqual(
      expect.arrayContaining([
        ['county-auditor', 'read', 'GET /api/cases/:id'],
        ['deputy-head', 'history', 'GET /api/cases/:id/history'],
        ['admin', 'bulletin-source', 'GET /api/cases/:id/bulletin-source'],
      ]),
    );
    for (const r of ofCase.body.records) expect(r.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const exports = await t.http().get('/api/access-audit?user=audit-clerk').set(bearer(auditor)).expect(200);
    expect(exports.body.records).toEqual(expect.arrayContaining([expect.objectContaining({ subjectKind: 'ledger', subjectId: 'cases.xlsx', action: 'export', role: 'agency', agency: 'audit-bureau' })]));
    expect(all.body.count).toBeGreaterThanOrEqual(ofCase.body.count);
    const today = shanghaiToday();
    const ranged = await t.http().get(`/api/access-audit?from=${plusDays(today, -1)}&to=${today}&subject=case:${caseId}`).set(bearer(auditor)).expect(200);
    expect(ranged.body.count).toBe(ofCase.body.count);
    await t.http().get(`/api/access-audit?from=${today}&to=${plusDays(today, -1)}`).set(bearer(auditor)).expect(422);

    await t.http().get('/api/access-audit').set(bearer(agency)).expect(403);
  });
});

describe('master key rotation (npm run keys:rotate) against a running api', () => {
  it('re-wraps every data key under a new key in the key file, drops the old key, and the running api still opens the informant', async () => {
    const { execFileSync } = await import('node:child_process');
    const t = await startTestApp();
    try {
      const admin = await login(t, 'admin', ADMIN_PASSWORD);
      const reader = await userToken(t, admin, 'rotation-reader', 'office');
      const reg = await t.http().post('/api/leads').set(bearer(admin)).send(leadBody({ reportingAgency: 'discipline-commission', informant: { name: '轮换举报人', contact: 'rotate@example.org' } }));
      expect(reg.status).toBe(201);
      const keyFile = join(t.dataDir, 'master-key');
      const before = readFileSync(keyFile, 'utf8').trim();
      const out = execFileSync(process.execPath, ['-r', './test/distributed/support/ts-register.js', 'apps/api/src/informants/keys-rotate.ts'], {
        cwd: join(__dirname, '..'),
        env: { ...process.env, COORD_DATA_DIR: t.dataDir, LOG_LEVEL: 'info' },
        encoding: 'utf8',
      });
      expect(out).toMatch(/re-wrapped [1-9]\d* data keys/);
      const after = readFileSync(keyFile, 'utf8').trim();
      expect(after).not.toBe(before);
      expect(after.split('\n')).toHaveLength(1); // the old master key is gone from the file
      await t.http().post('/api/informant-access-grants').set(bearer(admin)).send({ username: 'rotation-reader', reason: '轮换后核查', until: shanghaiToday() }).expect(201);
      const read = await t.http().get(`/api/leads/${reg.body.id}/informant?reason=check`).set(bearer(reader)).expect(200);
      expect(read.body.informant.name).toBe('轮换举报人');
    } finally {
      await t.destroy();
    }
  });
});
