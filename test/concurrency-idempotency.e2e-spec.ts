import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { ADMIN_PASSWORD, bearer, leadBody, login, plusDays, shanghaiToday, startTestApp, userToken, type TestApp } from './support/test-app';

describe('optimistic concurrency and idempotency over HTTP', () => {
  let t: TestApp;
  let store: EventStore;
  let admin: string;
  let audit: string;

  beforeAll(async () => {
    t = await startTestApp();
    store = t.app.get(EVENT_STORE);
    admin = await login(t, 'admin', ADMIN_PASSWORD);
    audit = await userToken(t, admin, 'audit-clerk', 'agency', 'audit-bureau');
  });

  afterAll(async () => {
    await t.destroy();
  });

  it('20 concurrent commands on one stream with the same If-Match: exactly one succeeds, the rest get 409', async () => {
    const opened = await t
      .http()
      .post('/api/supervision-items')
      .set(bearer(admin))
      .send({ title: '并发测试', assigneeAgency: 'audit-bureau', dueOn: plusDays(shanghaiToday(), 30), origin: 'office' })
      .expect(201);
    const id = opened.body.id as string;
    const etag = opened.headers.etag as string;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http().post(`/api/supervision-items/${id}/progress`).set(bearer(audit)).set('if-match', etag).send({ note: `进展 ${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('version-conflict');
    const events = await store.readStream(`supervision-${id}`);
    expect(events.map((e) => e.type)).toEqual(['supervision.opened', 'supervision.progress-noted']);
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('concurrent registrations get distinct, gapless ledger numbers', async () => {
    const results = await Promise.all(Array.from({ length: 15 }, () => t.http().post('/api/leads').set(bearer(audit)).send(leadBody())));
    expect(results.map((r) => r.status)).toEqual(Array(15).fill(201));
    const numbers = results.map((r) => Number((r.body.ledgerNo as string).slice(-4))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(15);
    expect(numbers[14] - numbers[0]).toBe(14);
  });

  it('a repeated Idempotency-Key returns the first result and writes nothing', async () => {
    const first = await t.http().post('/api/leads').set(bearer(audit)).set('idempotency-key', 'intake-2026-000123').send(leadBody()).expect(201);
    const head = await store.headPosition();
    const again = await t.http().post('/api/leads').set(bearer(audit)).set('idempotency-key', 'intake-2026-000123').send(leadBody()).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await store.headPosition()).toBe(head);

    // the same key on a step of that lead is a different command (scoped to the path), and repeats too
    const path = `/api/leads/${first.body.id}/transfers`;
    const tr1 = await t.http().post(path).set(bearer(audit)).set('idempotency-key', 'intake-2026-000123').send({ toAgency: 'court', letterNo: 'a', reason: 'b' }).expect(201);
    const head2 = await store.headPosition();
    const tr2 = await t.http().post(path).set(bearer(audit)).set('idempotency-key', 'intake-2026-000123').send({ toAgency: 'court', letterNo: 'a', reason: 'b' }).expect(201);
    expect(tr2.body).toEqual(tr1.body);
    expect(await store.headPosition()).toBe(head2);
  });

  it('an Idempotency-Key repeated with a different body is refused with 422 and writes nothing', async () => {
    await t.http().post('/api/leads').set(bearer(audit)).set('idempotency-key', 'intake-2026-000200').send(leadBody()).expect(201);
    const head = await store.headPosition();
    const reused = await t
      .http()
      .post('/api/leads')
      .set(bearer(audit))
      .set('idempotency-key', 'intake-2026-000200')
      .send(leadBody({ allegation: '另一件事' }))
      .expect(422);
    expect(reused.body.code).toBe('idempotency-key-reused');
    expect(await store.headPosition()).toBe(head);
  });

  it('a repeated multi-stream command (case filing) answers the same position as the first time', async () => {
    const lead = await t.http().post('/api/leads').set(bearer(audit)).send(leadBody()).expect(201);
    const body = { title: '幂等立案', leadIds: [lead.body.id], leadAgency: 'audit-bureau', coAgencies: [], filedOn: shanghaiToday() };
    const first = await t.http().post('/api/cases').set(bearer(admin)).set('idempotency-key', 'file-case-0001').send(body).expect(201);
    expect(first.body.position).toBe(await store.headPosition());
    const again = await t.http().post('/api/cases').set(bearer(admin)).set('idempotency-key', 'file-case-0001').send(body).expect(201);
    expect(again.body).toEqual(first.body);
  });
});
