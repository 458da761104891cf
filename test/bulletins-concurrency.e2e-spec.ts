import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { ADMIN_PASSWORD, bearer, leadBody, leaderToken, login, shanghaiToday, startTestApp, type TestApp } from './support/test-app';

/**
 * Gapless issue numbers under concurrent issuing: ten approved drafts issued at once get 〔year〕第1期 …
 * 第10期, each number exactly once. Every issue appends the register's number-assigned event and the
 * bulletin's issued event in one atomic append against the register's version; the losers of each race
 * re-read the register and retry.
 */
describe('《案情专报》 issue numbers under concurrent issuing', () => {
  let t: TestApp;
  let office: string;
  let leader: string;
  const today = shanghaiToday();
  const year = today.slice(0, 4);
  const N = 10;

  beforeAll(async () => {
    t = await startTestApp();
    office = await login(t, 'admin', ADMIN_PASSWORD);
    leader = await leaderToken(t, office, 'secretary', 'group-leader');
  });

  afterAll(async () => {
    await t.destroy();
  });

  it(`issues ${N} approved drafts in parallel and gets consecutive numbers 1..${N}, no gap, no duplicate`, async () => {
    const lead = await t.http().post('/api/leads').set(bearer(office)).send(leadBody({ reportingAgency: 'discipline-commission' })).expect(201);
    const filed = await t
      .http()
      .post('/api/cases')
      .set(bearer(office))
      .send({ title: '王某某受贿案', leadIds: [lead.body.id], leadAgency: 'discipline-commission', coAgencies: [], filedOn: today, difficult: true })
      .expect(201);

    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const draft = await t.http().post(`/api/cases/${filed.body.id}/bulletins`).set(bearer(office)).send({ title: `专报${i + 1}` }).expect(201);
      await t.http().post(`/api/bulletins/${draft.body.id}/approve`).set(bearer(leader)).send({ signerName: '张书记' }).expect(200);
      ids.push(draft.body.id);
    }

    const issued = await Promise.all(
      ids.map((id) => t.http().post(`/api/bulletins/${id}/issue`).set(bearer(office)).send({ distribution: { mainTo: ['县委'] } })),
    );
    for (const res of issued) expect(res.status).toBe(200);
    const seqs = issued.map((r) => r.body.seq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(new Set(issued.map((r) => r.body.issueNo)).size).toBe(N);
    for (const r of issued) expect(r.body.issueNo).toBe(`〔${year}〕第${r.body.seq}期`);

    // the register stream holds exactly one number per bulletin, in order, matching what each bulletin says
    const store = t.app.get<EventStore>(EVENT_STORE);
    const register = await store.readStream(`bulletins-${year}`);
    expect(register.map((e) => (e.data as { seq: number }).seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    const bySeq = new Map(issued.map((r) => [r.body.seq as number, r.body.id as string]));
    for (const e of register) expect((e.data as { bulletinId: string }).bulletinId).toBe(bySeq.get((e.data as { seq: number }).seq));

    // and the read-model register agrees
    const position = Math.max(...issued.map((r) => r.body.position as number));
    const list = await t.http().get(`/api/bulletins?year=${year}&minPosition=${position}`).set(bearer(leader)).expect(200);
    expect(list.body.total).toBe(N);
    expect(list.body.items.map((b: { seq: number }) => b.seq)).toEqual(Array.from({ length: N }, (_, i) => N - i));
  });
});
