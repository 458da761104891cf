import { ADMIN_PASSWORD, bearer, leadBody, login, startTestApp, userToken, type TestApp } from './support/test-app';

/** Liveness, readiness and Prometheus metrics of the embedded api, as an operator scrapes them. */
describe('operations endpoints', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.destroy();
  });

  it('liveness and readiness answer without a token', async () => {
    await t.http().get('/health/live').expect(200);
    const ready = await t.http().get('/health/ready').expect(200);
    expect(JSON.stringify(ready.body)).toContain('eventStore');
  });

  it('metrics show append latency, projection lag, relay lag and intake outcomes — and no personal data', async () => {
    const admin = await login(t, 'admin', ADMIN_PASSWORD);
    const audit = await userToken(t, admin, 'audit-clerk', 'agency', 'audit-bureau');
    const reg = await t.http().post('/api/leads').set(bearer(audit)).send(leadBody({ informant: { name: '举报人孙某', contact: '13700000000' } })).expect(201);
    await t.http().get(`/api/leads?minPosition=${reg.body.position}`).set(bearer(admin)).expect(200);
    // the in-process relay follows right behind the projections
    let text = '';
    for (let i = 0; i < 50; i++) {
      text = (await t.http().get('/metrics').expect(200)).text;
      if (/coord_relay_lag_events\{relay="integration-relay"\} 0\b/.test(text)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toMatch(/coord_event_store_append_duration_seconds_count\{[^}]*operation="appendMulti"[^}]*\} [1-9]/);
    expect(text).toMatch(/coord_relay_lag_events\{relay="integration-relay"\} 0\b/);
    expect(text).toMatch(/coord_relay_published_messages\{relay="integration-relay"\} [1-9]/);
    expect(text).toMatch(/coord_intake_messages\{outcome="dead-lettered"\} 0\b/);
    expect(text).toMatch(/coord_projection_lag_events/);
    expect(text).not.toContain('举报人孙某');
    expect(text).not.toContain(reg.body.id);
  });
});
