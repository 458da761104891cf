import { DataSource } from 'typeorm';
import { daysBetween, WorkingDayCalendar } from '@coord/domain';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { ProjectionRunner } from '@coord/read-models';
import { dumpReadModels } from './support/dump-read-models';
import { ADMIN_PASSWORD, bearer, leadBody, login, plusDays, shanghaiToday, startTestApp, userToken, type TestApp } from './support/test-app';

/**
 * The whole flow a new user walks over HTTP: an agency registers a lead, the office transfers it, the
 * receiving agency acknowledges and accepts it and decides a disposition, the office files a major case,
 * recoveries are recorded and corrected, a supervision item runs its course — and the read models
 * (recovered-loss totals, overdue follow-ups, 《案情专报》 sources) answer exactly.
 */
describe('coordination flow over HTTP (embedded profile)', () => {
  let t: TestApp;
  let admin: string;
  let audit: string;
  let police: string;
  let court: string;
  let leader: string;
  const today = shanghaiToday();
  const year = today.slice(0, 4);
  const INFORMANT = '举报人李某某';
  const INFORMANT_PHONE = '13912345678';

  beforeAll(async () => {
    t = await startTestApp();
    admin = await login(t, 'admin', ADMIN_PASSWORD);
    audit = await userToken(t, admin, 'audit-clerk', 'agency', 'audit-bureau');
    police = await userToken(t, admin, 'police-clerk', 'agency', 'public-security');
    court = await userToken(t, admin, 'court-clerk', 'agency', 'court');
    leader = await userToken(t, admin, 'secretary', 'leadership');
  });

  afterAll(async () => {
    await t.destroy();
  });

  it('seeds the ten member agencies with their group roles', async () => {
    const res = await t.http().get('/api/agencies').set(bearer(leader)).expect(200);
    expect(res.body.items).toHaveLength(10);
    expect(res.body.items.find((a: { agency: string }) => a.agency === 'discipline-commission')).toMatchObject({ name: '县纪委', groupRole: 'leader' });
    expect(res.body.items.filter((a: { groupRole: string }) => a.groupRole === 'deputy').map((a: { agency: string }) => a.agency).sort()).toEqual([
      'organization-dept',
      'public-security',
    ]);
  });

  it('walks lead → transfer → case → recoveries → supervision, and the read models answer exactly', async () => {
    // 1. the audit bureau registers a lead with a confidential informant
    const reg = await t
      .http()
      .post('/api/leads')
      .set(bearer(audit))
      .send(leadBody({ informant: { name: INFORMANT, contact: INFORMANT_PHONE } }))
      .expect(201);
    expect(reg.body).toMatchObject({ ledgerNo: `LC-${year}-0001`, version: 1 });
    expect(reg.headers.etag).toBe('"1"');
    const leadId: string = reg.body.id;

    const second = await t.http().post('/api/leads').set(bearer(audit)).send(leadBody({ subject: { name: '赵某', post: '科长', unit: '县财政局' } })).expect(201);
    expect(second.body.ledgerNo).toBe(`LC-${year}-0002`);

    // 2. the office transfers it to public security (线索移送)
    const tr = await t
      .http()
      .post(`/api/leads/${leadId}/transfers`)
      .set(bearer(admin))
      .set('if-match', '"1"')
      .send({ toAgency: 'public-security', letterNo: `县纪移〔${year}〕1号`, reason: '涉嫌职务犯罪线索，移送公安机关' })
      .expect(201);
    const transferId: string = tr.body.transferId;
    expect(tr.body.version).toBe(2);

    // the receiving agency now sees the lead; the court does not
    await t.http().get(`/api/leads/${leadId}?minPosition=${tr.body.position}`).set(bearer(police)).expect(200);
    await t.http().get(`/api/leads/${leadId}?minPosition=${tr.body.position}`).set(bearer(court)).expect(404);

    // 3. acknowledge (签收) and accept (接收); accepting before acknowledging is refused
    const early = await t.http().post(`/api/leads/${leadId}/transfers/${transferId}/accept`).set(bearer(police)).expect(409);
    expect(early.body.code).toBe('transfer-not-acknowledged');
    await t.http().post(`/api/leads/${leadId}/transfers/${transferId}/acknowledge`).set(bearer(police)).expect(200);
    await t.http().post(`/api/leads/${leadId}/transfers/${transferId}/accept`).set(bearer(police)).expect(200);

    // 4. disposition (处置) by the new holder
    const disp = await t
      .http()
      .post(`/api/leads/${leadId}/disposition`)
      .set(bearer(police))
      .send({ method: 'preliminary-verification', rationale: '线索具体，具有可查性' })
      .expect(200);
    const lead = await t.http().get(`/api/leads/${leadId}?minPosition=${disp.body.position}`).set(bearer(police)).expect(200);
    expect(lead.body).toMatchObject({ ledgerNo: `LC-${year}-0001`, holderAgency: 'public-security', dispositionMethod: 'preliminary-verification' });

    // 5. the office files a major case from the lead
    const filed = await t
      .http()
      .post('/api/cases')
      .set(bearer(admin))
      .send({ title: '王某某受贿案', leadIds: [leadId], leadAgency: 'public-security', coAgencies: ['audit-bureau'], filedOn: today, major: true })
      .expect(201);
    expect(filed.body.caseNo).toBe(`AJ-${year}-0001`);
    const caseId: string = filed.body.id;

    // 6. progress report and recoveries in fen: 1,250,000.00 元 confiscated + 80,000.50 元 restitution
    await t.http().post(`/api/cases/${caseId}/progress-reports`).set(bearer(police)).send({ stage: 'investigation', summary: '已查明收受好处费事实', reportedOn: today }).expect(201);
    const r1 = await t
      .http()
      .post(`/api/cases/${caseId}/recoveries`)
      .set(bearer(police))
      .send({ amountFen: 125_000_000, category: 'confiscation', agency: 'public-security', recoveredOn: today })
      .expect(201);
    // an agency books only its own recoveries: the co-handling audit bureau books its restitution itself
    const foreign = await t
      .http()
      .post(`/api/cases/${caseId}/recoveries`)
      .set(bearer(police))
      .send({ amountFen: 8_000_050, category: 'restitution', agency: 'audit-bureau', recoveredOn: today })
      .expect(403);
    expect(foreign.body.code).toBe('not-own-agency');
    await t.http().post(`/api/cases/${caseId}/recoveries`).set(bearer(audit)).send({ amountFen: 8_000_050, category: 'restitution', agency: 'audit-bureau', recoveredOn: today }).expect(201);
    // a clerical error corrected by a compensating entry: 1,250,000 元 was really 1,200,000 元
    const corr = await t
      .http()
      .post(`/api/cases/${caseId}/recoveries/${r1.body.recoveryId}/corrections`)
      .set(bearer(admin))
      .send({ correctedAmountFen: 120_000_000, reason: '台账核对发现录入错误' })
      .expect(201);

    const byAgency = await t.http().get(`/api/reports/recovered-losses?groupBy=agency&minPosition=${corr.body.position}`).set(bearer(leader)).expect(200);
    expect(byAgency.body.totalFen).toBe(128_000_050);
    expect(byAgency.body.caseCount).toBe(1);
    expect(byAgency.body.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'public-security', label: '县公安局', totalFen: 120_000_000, caseCount: 1 }),
        expect.objectContaining({ key: 'audit-bureau', label: '县审计局', totalFen: 8_000_050, caseCount: 1 }),
      ]),
    );
    const byCategory = await t.http().get('/api/reports/recovered-losses?groupBy=category').set(bearer(leader)).expect(200);
    expect(byCategory.body.rows.map((r: { key: string; totalFen: number }) => [r.key, r.totalFen]).sort()).toEqual([
      ['confiscation', 120_000_000],
      ['restitution', 8_000_050],
    ]);
    const lastYear = await t.http().get(`/api/reports/recovered-losses?groupBy=year&to=${plusDays(today, -400)}`).set(bearer(leader)).expect(200);
    expect(lastYear.body).toMatchObject({ totalFen: 0, caseCount: 0, rows: [] });

    // 7. 《案情专报》 sources for the major case: everything but the informant
    const source = await t.http().get(`/api/cases/${caseId}/bulletin-source`).set(bearer(leader)).expect(200);
    expect(JSON.stringify(source.body)).toContain('王某某');
    expect(JSON.stringify(source.body)).toContain('线索具体，具有可查性');
    expect(source.body.recoveredFen).toBe(128_000_050);

    // 8. close the case; no recovery after closing
    await t.http().post(`/api/cases/${caseId}/close`).set(bearer(police)).send({ summary: '已移送审理并结案', closedOn: today }).expect(200);
    const late = await t
      .http()
      .post(`/api/cases/${caseId}/recoveries`)
      .set(bearer(police))
      .send({ amountFen: 100, category: 'fine', agency: 'public-security', recoveredOn: today })
      .expect(409);
    expect(late.body.code).toBe('case-closed');

    // 9. the informant appears in no response: lead, list, history, case, bulletin source
    const everything = await Promise.all([
      t.http().get(`/api/leads/${leadId}`).set(bearer(admin)),
      t.http().get('/api/leads').set(bearer(admin)),
      t.http().get(`/api/leads/${leadId}/history`).set(bearer(admin)),
      t.http().get(`/api/cases/${caseId}/history`).set(bearer(admin)),
      t.http().get('/api/cases/bulletin-sources').set(bearer(admin)),
    ]);
    for (const res of everything) {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(INFORMANT);
      expect(res.text).not.toContain(INFORMANT_PHONE);
    }
    const history = everything[2].body;
    expect(history.events.map((e: { type: string }) => e.type)).toEqual([
      'lead.registered',
      'lead.transferred',
      'lead.transfer-acknowledged',
      'lead.transfer-accepted',
      'lead.disposition-decided',
      'lead.converted-to-case',
    ]);
    expect(history.events[0]).toMatchObject({ label: '登记线索', actor: { username: 'audit-clerk', role: 'agency', agency: 'audit-bureau' } });
  });

  it('follows a supervision item through extension, result, send-back and acceptance, and lists it overdue as of a later date', async () => {
    const due = plusDays(today, 10);
    const opened = await t
      .http()
      .post('/api/supervision-items')
      .set(bearer(admin))
      .send({ title: '督促追缴违规发放补贴', assigneeAgency: 'finance-bureau', dueOn: due, origin: 'leader-instruction' })
      .expect(201);
    expect(opened.body.itemNo).toBe(`DB-${year}-0001`);
    const id: string = opened.body.id;

    // overdue as of 3 days after the due date, with the assignee agency and days overdue
    const overdue = await t.http().get(`/api/follow-ups/overdue?asOf=${plusDays(due, 3)}&minPosition=${opened.body.position}`).set(bearer(admin)).expect(200);
    expect(overdue.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'supervision-item', refId: id, agency: 'finance-bureau', dueOn: due, daysOverdue: 3 })]),
    );
    // not yet overdue on the due date itself
    const onDue = await t.http().get(`/api/follow-ups/overdue?asOf=${due}`).set(bearer(admin)).expect(200);
    expect(onDue.body.items.find((i: { refId: string }) => i.refId === id)).toBeUndefined();

    const finance = await userToken(t, admin, 'finance-clerk', 'agency', 'finance-bureau');
    const ext = await t.http().post(`/api/supervision-items/${id}/extension-requests`).set(bearer(finance)).send({ newDueOn: plusDays(due, 20), reason: '涉及多个乡镇，需延长核查' }).expect(201);
    await t.http().post(`/api/supervision-items/${id}/extension-requests/${ext.body.requestId}/approve`).set(bearer(admin)).send({}).expect(200);
    const afterExt = await t.http().get(`/api/follow-ups/overdue?asOf=${plusDays(due, 3)}&minPosition=${ext.body.position + 1}`).set(bearer(admin)).expect(200);
    expect(afterExt.body.items.find((i: { refId: string }) => i.refId === id)).toBeUndefined();

    await t.http().post(`/api/supervision-items/${id}/results`).set(bearer(finance)).send({ summary: '已追缴 12 万元' }).expect(201);
    await t.http().post(`/api/supervision-items/${id}/review`).set(bearer(admin)).send({ outcome: 'sent-back', comment: '未附追缴凭证' }).expect(200);
    await t.http().post(`/api/supervision-items/${id}/results`).set(bearer(finance)).send({ summary: '已追缴 12 万元，附凭证' }).expect(201);
    const accepted = await t.http().post(`/api/supervision-items/${id}/review`).set(bearer(admin)).send({ outcome: 'accepted', comment: '办结' }).expect(200);
    const board = await t.http().get(`/api/supervision-items/${id}?minPosition=${accepted.body.position}`).set(bearer(finance)).expect(200);
    expect(board.body).toMatchObject({ status: 'closed', assigneeAgency: 'finance-bureau' });
    const hist = await t.http().get(`/api/supervision-items/${id}/history`).set(bearer(admin)).expect(200);
    expect(hist.body.events.map((e: { type: string }) => e.type)).toEqual([
      'supervision.opened',
      'supervision.extension-requested',
      'supervision.extension-approved',
      'supervision.result-reported',
      'supervision.result-sent-back',
      'supervision.result-reported',
      'supervision.result-accepted',
      'supervision.closed',
    ]);
  });

  it('lists a transfer nobody acknowledged as overdue after five working days', async () => {
    const reg = await t.http().post('/api/leads').set(bearer(audit)).send(leadBody()).expect(201);
    const tr = await t
      .http()
      .post(`/api/leads/${reg.body.id}/transfers`)
      .set(bearer(audit))
      .send({ toAgency: 'court', letterNo: 'X-1', reason: '属法院管辖' })
      .expect(201);
    const res = await t.http().get(`/api/follow-ups/overdue?asOf=${plusDays(today, 30)}&minPosition=${tr.body.position}`).set(bearer(admin)).expect(200);
    const row = res.body.items.find((i: { kind: string; refId: string }) => i.kind === 'transfer-acknowledgement' && i.refId === tr.body.transferId);
    // exact: 5 working days (Mon–Fri, no holiday declared yet) after the transfer, overdue since then
    const dueOn = new WorkingDayCalendar().addWorkingDays(today, 5);
    expect(row).toMatchObject({ agency: 'court', dueOn, daysOverdue: daysBetween(dueOn, plusDays(today, 30)) });
    // the court, as a member agency, sees it in its own list; the finance bureau does not
    const courtView = await t.http().get(`/api/follow-ups/overdue?asOf=${plusDays(today, 30)}`).set(bearer(court)).expect(200);
    expect(courtView.body.items.some((i: { refId: string }) => i.refId === tr.body.transferId)).toBe(true);
    expect(courtView.body.items.every((i: { agency: string }) => i.agency === 'court')).toBe(true);
  });

  it('a holiday declared in the editable calendar moves the working-day clock', async () => {
    const reg = await t.http().post('/api/leads').set(bearer(audit)).send(leadBody()).expect(201);
    const tr = await t.http().post(`/api/leads/${reg.body.id}/transfers`).set(bearer(audit)).send({ toAgency: 'procuratorate', letterNo: 'H-1', reason: '属检察院管辖' }).expect(201);
    const asOf = plusDays(today, 60);
    const dueOf = async (minPosition: number) => {
      const res = await t.http().get(`/api/follow-ups/overdue?asOf=${asOf}&minPosition=${minPosition}`).set(bearer(admin)).expect(200);
      return res.body.items.find((i: { kind: string; refId: string }) => i.kind === 'transfer-acknowledgement' && i.refId === tr.body.transferId).dueOn as string;
    };
    const before = await dueOf(tr.body.position);

    // the first weekday after today lies inside the 5-working-day clock
    let holiday = plusDays(today, 1);
    while ([0, 6].includes(new Date(`${holiday}T00:00:00Z`).getUTCDay())) holiday = plusDays(holiday, 1);
    const cal = await t.http().get('/api/calendar/days').set(bearer(admin)).expect(200);
    expect(cal.body.items).toEqual([]);
    await t.http().put(`/api/calendar/days/${holiday}`).set(bearer(admin)).send({ kind: 'holiday', name: '测试假日' }).expect(200);
    const after = await t.http().get('/api/calendar/days').set(bearer(admin)).expect(200);
    expect(after.body.items).toEqual([{ date: holiday, kind: 'holiday', name: '测试假日' }]);
    const moved = await dueOf(tr.body.position);
    expect(moved > before).toBe(true);

    // clearing the day restores the weekday rule; agencies cannot edit the calendar
    await t.http().delete(`/api/calendar/days/${holiday}`).set(bearer(admin)).expect(200);
    expect(await dueOf(tr.body.position)).toBe(before);
    await t.http().put(`/api/calendar/days/${holiday}`).set(bearer(audit)).send({ kind: 'holiday', name: 'x' }).expect(403);
  });

  it('after the whole flow, rebuilding every read model from position 0 gives identical tables', async () => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const runner = t.app.get(ProjectionRunner);
    await runner.waitFor(await store.headPosition(), 5_000);
    await runner.stop();
    const before = await dumpReadModels(t.app.get(DataSource));
    expect(before.case_register.length).toBeGreaterThan(0);
    expect(before.follow_up_clocks.length).toBeGreaterThan(0);
    await runner.rebuild();
    expect(await dumpReadModels(t.app.get(DataSource))).toEqual(before);
    runner.start();
  });
});
