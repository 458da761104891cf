import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import JSZip from 'jszip';
import { Client } from 'pg';
import { ADMIN_PASSWORD, bearer, leadBody, login, plusDays, shanghaiToday, startTestApp, userToken, type TestApp } from './support/test-app';

/**
 * Issue 5 "Done means" bullet 2, for BOTH stores: an informant registered through the api is encrypted
 * from the first write (not a byte of it in the raw database files), and after erasure no byte of the
 * name or contact — nor of the wrapped data key — remains in any database file, read model or export.
 */
jest.setTimeout(120_000);

const PG_URL = process.env.COORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NAME = '举报人周某某';
const CONTACT = 'zhou-informant-13700001111@example.org';
const NEEDLES = [NAME, CONTACT, '周某某', '13700001111'].map((s) => Buffer.from(s, 'utf8'));

interface Profile {
  name: string;
  env(dataDir: string): Record<string, string>;
  /** every raw file the profile's databases live in, after a checkpoint */
  rawFiles(t: TestApp): Promise<string[]>;
  wrappedKey(t: TestApp, streamId: string): Promise<Buffer | null>;
  cleanup(): Promise<void>;
}

const suffix = `${process.pid}_${Date.now()}`;
const schemas = { events: `shred_ev_${suffix}`, read: `shred_rm_${suffix}` };

async function pg<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const sqlite: Profile = {
  name: 'SQLite',
  env: () => ({}),
  async rawFiles(t) {
    for (const f of ['events.sqlite', 'read-models.sqlite']) {
      const db = new Database(join(t.dataDir, f));
      db.pragma('wal_checkpoint(PASSIVE)');
      db.close();
    }
    // every file of the data folder: events, its -wal/-shm, keys.sqlite (+ journal), read models
    return readdirSync(t.dataDir)
      .filter((f) => f.includes('.sqlite'))
      .map((f) => join(t.dataDir, f));
  },
  async wrappedKey(t, streamId) {
    const db = new Database(join(t.dataDir, 'keys.sqlite'), { readonly: true });
    try {
      return db.prepare<[string], { wrapped: Buffer | null }>('SELECT wrapped FROM data_keys WHERE stream_id = ?').get(streamId)?.wrapped ?? null;
    } finally {
      db.close();
    }
  },
  async cleanup() {},
};

const postgres: Profile = {
  name: 'PostgreSQL',
  env: () => ({ COORD_EVENT_STORE: 'postgres', COORD_PG_URL: PG_URL, COORD_PG_EVENTS_SCHEMA: schemas.events, COORD_PG_READ_SCHEMA: schemas.read, COORD_REMINDERS: 'off' }),
  rawFiles: () =>
    pg(async (c) => {
      await c.query('CHECKPOINT');
      const dataDir = (await c.query<{ d: string }>("SELECT current_setting('data_directory') AS d")).rows[0].d;
      // every table, TOAST table and index of both schemas (the key table included)
      const rels = await c.query<{ path: string }>(
        `SELECT pg_relation_filepath(c.oid) AS path FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 't', 'i', 'm')
         UNION
         SELECT pg_relation_filepath(c.reltoastrelid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = ANY($1) AND c.reltoastrelid <> 0`,
        [[schemas.events, schemas.read]],
      );
      const files: string[] = [];
      for (const { path } of rels.rows) {
        if (!path) continue;
        const base = join(dataDir, path);
        // segments (.1, .2 …) and the free space / visibility maps
        for (const f of readdirSync(join(base, '..'))) if (f === path.split('/').pop() || f.startsWith(`${path.split('/').pop()}.`) || f.startsWith(`${path.split('/').pop()}_`)) files.push(join(base, '..', f));
      }
      return files;
    }),
  wrappedKey: (_t, streamId) => pg(async (c) => (await c.query<{ wrapped: Buffer | null }>(`SELECT wrapped FROM "${schemas.events}".data_keys WHERE stream_id = $1`, [streamId])).rows[0]?.wrapped ?? null),
  cleanup: () =>
    pg(async (c) => {
      await c.query(`DROP SCHEMA IF EXISTS "${schemas.events}" CASCADE`);
      await c.query(`DROP SCHEMA IF EXISTS "${schemas.read}" CASCADE`);
    }),
};

describe.each([sqlite, postgres])('crypto-shredding of the informant ($name)', (profile) => {
  let t: TestApp;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'coord-shred-'));
    t = await startTestApp(dataDir, profile.env(dataDir));
  });

  afterAll(async () => {
    await t?.destroy();
    await profile.cleanup();
  });

  const scan = (files: string[]) =>
    files
      .filter((f) => existsSync(f))
      .flatMap((file) => {
        const bytes = readFileSync(file);
        return NEEDLES.filter((n) => bytes.includes(n)).map((n) => `${file}: ${n.toString('utf8')}`);
      });

  async function exportText(token: string, path: string): Promise<string> {
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
    return (await Promise.all(Object.values(zip.files).map((f) => f.async('string')))).join('\n');
  }

  it('given a lead registered with an informant through the api, when its key is erased, then no byte of the identity is left anywhere and the rest of the history stays', async () => {
    const admin = await login(t, 'admin', ADMIN_PASSWORD);
    const reader = await userToken(t, admin, 'shred-reader', 'office');
    const clerk = await userToken(t, admin, 'shred-clerk', 'agency', 'audit-bureau');
    const reg = await t.http().post('/api/leads').set(bearer(clerk)).send(leadBody({ informant: { name: NAME, contact: CONTACT } })).expect(201);
    const id = reg.body.id as string;
    // a second lead with an informant of its own: erasure is per lead
    const other = await t.http().post('/api/leads').set(bearer(clerk)).send(leadBody({ informant: { name: '另一举报人', contact: 'other@example.org' } })).expect(201);

    // BEFORE erasure: encrypted from the start — the raw store files never hold the plaintext
    const wrapped = await profile.wrappedKey(t, `lead-${id}`);
    expect(wrapped?.length).toBe(60);
    const before = await profile.rawFiles(t);
    expect(scan(before)).toEqual([]);
    // control: the scan does see what is in the files — the wrapped key is there before erasure
    expect(before.filter((f) => readFileSync(f).includes(wrapped as Buffer)).length).toBeGreaterThan(0);
    // yet it is there for the one who may read it
    await t.http().post('/api/informant-access-grants').set(bearer(admin)).send({ username: 'shred-reader', reason: '核查', until: plusDays(shanghaiToday(), 3) }).expect(201);
    const read = await t.http().get(`/api/leads/${id}/informant?reason=${encodeURIComponent('核实')}`).set(bearer(reader)).expect(200);
    expect(read.body.informant).toEqual({ name: NAME, contact: CONTACT });

    const erased = await t.http().post(`/api/leads/${id}/informant/erasure`).set(bearer(admin)).send({ reason: '依申请删除举报人个人信息' }).expect(200);

    const gone = await t.http().get(`/api/leads/${id}/informant?reason=x`).set(bearer(reader)).expect(410);
    expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(gone.body.code).toBe('informant-erased');
    expect(await profile.wrappedKey(t, `lead-${id}`)).toBeNull();
    // the other lead's informant is untouched
    expect((await t.http().get(`/api/leads/${other.body.id}/informant?reason=x`).set(bearer(reader)).expect(200)).body.informant.name).toBe('另一举报人');

    // read models (through the api) and exports
    const lead = await t.http().get(`/api/leads/${id}?minPosition=${erased.body.position}`).set(bearer(admin)).expect(200);
    const history = await t.http().get(`/api/leads/${id}/history`).set(bearer(admin)).expect(200);
    expect(history.body.events[0]).toEqual(expect.objectContaining({ type: 'lead.registered', version: 1 }));
    const exported = await exportText(admin, '/api/ledgers/leads.xlsx');
    expect(exported).toContain('王某某');
    for (const text of [lead.text, history.text, exported]) for (const n of NEEDLES) expect(text.includes(n.toString('utf8'))).toBe(false);

    // AFTER erasure: the raw files — events, keys, read models — hold neither the identity nor the key
    const after = await profile.rawFiles(t);
    expect(scan(after)).toEqual([]);
    const keyLeft = after.filter((f) => existsSync(f) && readFileSync(f).includes(wrapped as Buffer));
    expect(keyLeft).toEqual([]);
  });
});
