import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { ADMIN_PASSWORD, bearer, leadBody, login, startTestApp, userToken, type TestApp } from './support/test-app';

/**
 * Bad input gets a 4xx application/problem+json that names the field, never a 500, and writes nothing:
 * every case checks the global log's head before and after.
 */
describe('bad input is refused with problem+json and writes nothing', () => {
  let t: TestApp;
  let store: EventStore;
  let admin: string;
  let audit: string;
  let court: string;
  let leadId: string;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    store = t.app.get(EVENT_STORE);
    admin = await login(t, 'admin', ADMIN_PASSWORD);
    audit = await userToken(t, admin, 'audit-clerk', 'agency', 'audit-bureau');
    court = await userToken(t, admin, 'court-clerk', 'agency', 'court');
    leadId = (await t.http().post('/api/leads').set(bearer(audit)).send(leadBody()).expect(201)).body.id;
    caseId = (
      await t
        .http()
        .post('/api/cases')
        .set(bearer(admin))
        .send({ title: '测试案件', leadIds: [leadId], leadAgency: 'audit-bureau', coAgencies: [], filedOn: leadBody().receivedOn })
        .expect(201)
    ).body.id;
  });

  afterAll(async () => {
    await t.destroy();
  });

  async function expectRefused(
    send: () => Promise<{ status: number; headers: Record<string, string>; body: { code?: string; errors?: { field: string }[] } }>,
    status: number,
    code?: string,
    field?: string,
  ) {
    const before = await store.headPosition();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (code) expect(res.body.code).toBe(code);
    if (field) expect(res.body.errors?.map((e) => e.field)).toContain(field);
    expect(await store.headPosition()).toBe(before);
  }

  const post = (path: string, token: string) => t.http().post(path).set(bearer(token));

  it('malformed JSON → 400 malformed-json', () =>
    expectRefused(() => post('/api/leads', audit).set('content-type', 'application/json').send('{"source": "petition",'), 400, 'malformed-json'));

  it('a text/plain body → 415', () =>
    expectRefused(() => post('/api/leads', audit).set('content-type', 'text/plain').send('source=petition'), 415, 'unsupported-media-type'));

  it('unknown field → 400 naming the field', () => expectRefused(() => post('/api/leads', audit).send({ ...leadBody(), ledgerNo: 'LC-1999-0001' }), 400, 'validation-failed', 'ledgerNo'));

  it('unknown nested field → 400 naming the nested field', () =>
    expectRefused(() => post('/api/leads', audit).send(leadBody({ subject: { name: 'a', post: 'b', unit: 'c', salary: 1 } })), 400, 'validation-failed', 'subject.salary'));

  it('wrongly typed field → 400 naming it', () => expectRefused(() => post('/api/leads', audit).send(leadBody({ important: 'yes' })), 400, 'validation-failed', 'important'));

  it('invalid date → 400 naming it', () => expectRefused(() => post('/api/leads', audit).send(leadBody({ receivedOn: '2026-02-30' })), 400, 'validation-failed', 'receivedOn'));

  it('unknown enum value → 400', () => expectRefused(() => post('/api/leads', audit).send(leadBody({ source: 'rumour' })), 400, 'validation-failed', 'source'));

  it('a received date in the future → 422', () => expectRefused(() => post('/api/leads', audit).send(leadBody({ receivedOn: '2999-01-01' })), 422, undefined, 'receivedOn'));

  it('negative amount → 400', () =>
    expectRefused(() => post(`/api/cases/${caseId}/recoveries`, audit).send({ amountFen: -5, category: 'fine', agency: 'audit-bureau', recoveredOn: '2026-01-05' }), 400, 'validation-failed', 'amountFen'));

  it('fractional amount → 400', () =>
    expectRefused(() => post(`/api/cases/${caseId}/recoveries`, audit).send({ amountFen: 10.5, category: 'fine', agency: 'audit-bureau', recoveredOn: '2026-01-05' }), 400, 'validation-failed', 'amountFen'));

  it('amount as a string → 400', () =>
    expectRefused(() => post(`/api/cases/${caseId}/recoveries`, audit).send({ amountFen: '1000', category: 'fine', agency: 'audit-bureau', recoveredOn: '2026-01-05' }), 400, 'validation-failed', 'amountFen'));

  it('zero amount → 400', () =>
    expectRefused(() => post(`/api/cases/${caseId}/recoveries`, audit).send({ amountFen: 0, category: 'fine', agency: 'audit-bureau', recoveredOn: '2026-01-05' }), 400, 'validation-failed', 'amountFen'));

  it('an amount above the single-recovery cap → 400 (a typing slip never poisons the totals)', () =>
    expectRefused(
      () => post(`/api/cases/${caseId}/recoveries`, audit).send({ amountFen: Number.MAX_SAFE_INTEGER, category: 'fine', agency: 'audit-bureau', recoveredOn: leadBody().receivedOn }),
      400,
      'validation-failed',
      'amountFen',
    ));

  it('a NUL or other control character in a text field → 400 naming it (PostgreSQL would refuse it later)', () =>
    expectRefused(() => post('/api/leads', audit).send(leadBody({ allegation: 'a\u0000b' })), 400, 'validation-failed', 'allegation'));

  it('a control character in a nested field → 400 naming the path', () =>
    expectRefused(() => post('/api/leads', audit).send(leadBody({ subject: { name: 'a\u0007', post: 'b', unit: 'c' } })), 400, 'validation-failed', 'subject.name'));

  it('a missing field → 400 saying it is required', async () => {
    const { allegation: _omit, ...body } = leadBody();
    const res = await post('/api/leads', audit).send(body).expect(400);
    expect(res.body.errors).toEqual([{ field: 'allegation', message: '必填' }]);
  });

  it('validation messages are in Chinese, e.g. for a malformed UUID in an array', async () => {
    const res = await post('/api/cases', admin).send({ title: 't', leadIds: ['x'], leadAgency: 'court', coAgencies: [], filedOn: '2026-01-05' }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'leadIds', message: '必须是 UUID' }]);
  });

  it('an agency that is not a member → 422 naming the field', () => expectRefused(() => post('/api/leads', audit).send(leadBody({ reportingAgency: 'tax-bureau' })), 422, 'unknown-agency', 'reportingAgency'));

  it('unknown lead id → 404', () =>
    expectRefused(() => post('/api/leads/7d3c1e0e-2b7a-4c43-9b55-6a1f1a0f0000/transfers', admin).send({ toAgency: 'court', letterNo: 'x', reason: 'y' }), 404, 'lead-not-found'));

  it('a lead id that is not a UUID → 400', () => expectRefused(() => post('/api/leads/not-a-uuid/transfers', admin).send({ toAgency: 'court', letterNo: 'x', reason: 'y' }), 400));

  it('an unknown lead in a case filing → 422 naming leadIds', () =>
    expectRefused(
      () => post('/api/cases', admin).send({ title: 't', leadIds: ['7d3c1e0e-2b7a-4c43-9b55-6a1f1a0f0000'], leadAgency: 'court', coAgencies: [], filedOn: '2026-01-05' }),
      422,
      'lead-not-found',
      'leadIds',
    ));

  it('oversized body → 413', () => expectRefused(() => post('/api/leads', audit).send(leadBody({ allegation: 'x'.repeat(200_000) })), 413, 'body-too-large'));

  it('no token → 401', () => expectRefused(() => t.http().post('/api/leads').send(leadBody()), 401, 'unauthenticated'));

  it('a forged token → 401', () => expectRefused(() => t.http().post('/api/leads').set('authorization', 'Bearer abc.def.ghi').send(leadBody()), 401, 'unauthenticated'));

  it("another agency's lead: reading it → 404, transferring it → 403", async () => {
    await expectRefused(() => t.http().get(`/api/leads/${leadId}`).set(bearer(court)), 404);
    await expectRefused(() => t.http().get(`/api/leads/${leadId}/history`).set(bearer(court)), 404);
    await expectRefused(() => post(`/api/leads/${leadId}/transfers`, court).send({ toAgency: 'procuratorate', letterNo: 'x', reason: 'y' }), 403, 'not-lead-holder');
    const list = await t.http().get('/api/leads').set(bearer(court)).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('an agency registering for another agency → 403', () => expectRefused(() => post('/api/leads', court).send(leadBody()), 403));

  it('leadership reads but never writes → 403', async () => {
    const leader = await userToken(t, admin, 'leader', 'leadership');
    await expectRefused(() => post('/api/leads', leader).send(leadBody()), 403, 'forbidden');
  });

  it('a stale If-Match → 409 version-conflict', () =>
    expectRefused(() => post(`/api/leads/${leadId}/transfers`, admin).set('if-match', '"99"').send({ toAgency: 'court', letterNo: 'x', reason: 'y' }), 409, 'version-conflict'));

  it('a malformed If-Match → 400', () => expectRefused(() => post(`/api/leads/${leadId}/transfers`, admin).set('if-match', 'yesterday').send({ toAgency: 'court', letterNo: 'x', reason: 'y' }), 400, 'invalid-if-match'));

  it('an absurd offset → 400, not a database error', async () => {
    for (const offset of ['100000000000000000000', '9223372036854775807', '-1', 'abc']) {
      const res = await t.http().get(`/api/leads?offset=${offset}`).set(bearer(admin));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('a bad minPosition → 400', async () => {
    const res = await t.http().get('/api/leads?minPosition=-1').set(bearer(admin));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('an unknown route → 404 problem+json', async () => {
    const res = await t.http().get('/api/nothing-here').set(bearer(admin));
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('a wrong password → 401 without saying whether the user exists', async () => {
    const a = await t.http().post('/api/auth/login').send({ username: 'admin', password: 'wrong-password' });
    const b = await t.http().post('/api/auth/login').send({ username: 'nobody', password: 'wrong-password' });
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(a.body).toEqual(b.body);
  });
});
