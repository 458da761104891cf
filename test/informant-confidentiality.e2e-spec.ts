import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { toIntegrationMessage } from '@coord/messaging';
import { ADMIN_PASSWORD, bearer, leadBody, login, shanghaiToday, startTestApp, userToken, type TestApp } from './support/test-app';
import { dumpReadModels } from './support/dump-read-models';

/**
 * The informant's identity reaches no log line (at the most verbose level), no read-model table and no
 * response — while it is kept, in the event's confidential part, for the dedicated access the security
 * issue adds.
 */
describe('informant confidentiality', () => {
  const NAME = '举报人钱某某';
  const CONTACT = 'qian-informant@example.org';
  let t: TestApp;
  let logs = '';

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs += String(chunk);
        done();
      },
    });
    t = await startTestApp(undefined, { LOG_LEVEL: 'trace' }, sink);
  });

  afterAll(async () => {
    await t.destroy();
  });

  it('given a lead registered with an informant and worked on, then neither logs, read models nor responses carry the identity', async () => {
    const admin = await login(t, 'admin', ADMIN_PASSWORD);
    const audit = await userToken(t, admin, 'audit-clerk', 'agency', 'audit-bureau');
    const reg = await t.http().post('/api/leads').set(bearer(audit)).send(leadBody({ informant: { name: NAME, contact: CONTACT } })).expect(201);
    // a refused repeat with the informant in the body, and a malformed one, must not echo it either
    const refused = await t.http().post('/api/leads').set(bearer(audit)).send({ ...leadBody({ informant: { name: NAME, contact: CONTACT } }), extra: 1 }).expect(400);
    expect(refused.text).not.toContain(NAME);
    const filed = await t
      .http()
      .post('/api/cases')
      .set(bearer(admin))
      .send({ title: '测试', leadIds: [reg.body.id], leadAgency: 'audit-bureau', coAgencies: [], filedOn: shanghaiToday(), major: true })
      .expect(201);
    await t.http().get(`/api/cases?minPosition=${filed.body.position}`).set(bearer(admin)).expect(200);

    // every response a user could ask for about this lead and its case
    const responses = [
      reg,
      await t.http().get(`/api/leads/${reg.body.id}`).set(bearer(admin)),
      await t.http().get('/api/leads').set(bearer(admin)),
      await t.http().get(`/api/leads/${reg.body.id}/history`).set(bearer(admin)),
      await t.http().get(`/api/cases/${filed.body.id}`).set(bearer(admin)),
      await t.http().get(`/api/cases/${filed.body.id}/history`).set(bearer(admin)),
      await t.http().get(`/api/cases/${filed.body.id}/bulletin-source`).set(bearer(admin)),
      await t.http().get('/api/cases/bulletin-sources').set(bearer(admin)),
      await t.http().get('/api/follow-ups/overdue?asOf=2099-01-01').set(bearer(admin)),
      await t.http().get(`/api/leads/${reg.body.id}`).set(bearer(audit)),
    ];
    for (const res of responses) {
      expect(res.status).toBeLessThan(300);
      expect(res.text).not.toContain(NAME);
      expect(res.text).not.toContain(CONTACT);
    }
    // and no integration message built from the log
    const store = t.app.get<EventStore>(EVENT_STORE);
    const messages = (await store.readAll(0, 10_000)).map(toIntegrationMessage).filter((m) => m !== undefined);
    expect(messages.length).toBeGreaterThan(0);
    expect(JSON.stringify(messages)).not.toContain(NAME);

    const tables = JSON.stringify(await dumpReadModels(t.app.get(DataSource)));
    expect(tables).toContain('王某某'); // the subject is there
    for (const secret of [NAME, CONTACT]) {
      expect(tables).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(logs.length).toBeGreaterThan(0); // the trace-level log did capture the run
    // kept only in the event's confidential part
    const [registered] = await t.app.get<EventStore>(EVENT_STORE).readStream(`lead-${reg.body.id}`);
    expect(registered.confidential).toEqual({ informant: { name: NAME, contact: CONTACT } });
    expect(JSON.stringify(registered.data)).not.toContain(NAME);
  });
});
