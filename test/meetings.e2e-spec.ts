import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { ADMIN_PASSWORD, bearer, login, plusDays, shanghaiToday, startTestApp, userToken, type TestApp } from './support/test-app';

const ALL = ['discipline-commission', 'organization-dept', 'public-security', 'court', 'procuratorate', 'supervision-bureau', 'political-legal-committee', 'hr-social-security', 'audit-bureau', 'finance-bureau'];
const LEADER = 'discipline-commission';
/** eight of the ten members present: finance and hr-social-security absent */
const EIGHT = ALL.filter((a) => a !== 'finance-bureau' && a !== 'hr-social-security');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process manager follows the log on its own; wait (bounded) until the supervision items it opens are listed. */
async function meetingDecisionItems(t: TestApp, token: string, expected: number, minPosition: number) {
  let items: { itemId: string; origin: string }[] = [];
  for (let i = 0; i < 100; i++) {
    const res = await t.http().get(`/api/supervision-items?minPosition=${minPosition}&limit=500`).set(bearer(token)).expect(200);
    items = (res.body.items as { itemId: string; origin: string }[]).filter((x) => x.origin === 'meeting-decision');
    if (items.length >= expected) break;
    await sleep(50);
  }
  return items;
}

async function processManagerCheckpoint(t: TestApp): Promise<number> {
  const rows: { position: number | string }[] = await t.app.get(DataSource).query(`SELECT "position" FROM "process_manager_checkpoints" WHERE "name" = 'meeting-decisions'`);
  return rows.length ? Number(rows[0]?.position) : 0;
}

describe('joint meetings (联席会议): topics, attendance, statements, decisions → supervision items', () => {
  it('walks a regular meeting through to supervision items, refuses the broken rules, and after a restart opens nothing twice', async () => {
    let t = await startTestApp();
    const dataDir = t.dataDir;
    const office = await login(t, 'admin', ADMIN_PASSWORD);
    const audit = await userToken(t, office, 'audit-clerk', 'agency', 'audit-bureau');
    const today = shanghaiToday();

    // a regular meeting whose topic cut-off was yesterday
    const m = await t.http().post('/api/meetings').set(bearer(office)).send({ kind: 'regular', title: '协调小组例会', scheduledOn: today, topicCutoffOn: plusDays(today, -1) }).expect(201);
    const meetingId = m.body.id as string;
    expect(m.body.version).toBe(1);

    // topics after the cut-off are 临时动议: with a justification accepted and flagged late, without it refused
    const late = await t
      .http()
      .post(`/api/meetings/${meetingId}/topics`)
      .set(bearer(audit))
      .send({ agency: 'audit-bureau', title: '补贴资金审计发现', summary: '审计发现三条问题线索', justification: '审计报告昨日才定稿' })
      .expect(201);
    expect(late.body.late).toBe(true);
    const refusedTopic = await t.http().post(`/api/meetings/${meetingId}/topics`).set(bearer(audit)).send({ agency: 'audit-bureau', title: '另一议题', summary: '内容' }).expect(422);
    expect(refusedTopic.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refusedTopic.body.code).toBe('late-topic-needs-justification');
    expect(refusedTopic.body.errors).toEqual([expect.objectContaining({ field: 'justification' })]);
    // an agency submits only for itself
    await t.http().post(`/api/meetings/${meetingId}/topics`).set(bearer(audit)).send({ agency: 'court', title: '议题', summary: '内容', justification: '理由' }).expect(403);

    // attendance: 8 of the 10 members on the meeting date
    await t.http().post(`/api/meetings/${meetingId}/convene`).set(bearer(audit)).send({ heldOn: today, attendees: EIGHT }).expect(403);
    const bad = await t.http().post(`/api/meetings/${meetingId}/convene`).set(bearer(office)).send({ heldOn: today, attendees: [...EIGHT, 'tax-bureau'] }).expect(422);
    expect(bad.body.code).toBe('attendee-not-member');
    await t.http().post(`/api/meetings/${meetingId}/convene`).set(bearer(office)).send({ heldOn: today, attendees: EIGHT }).expect(200);

    const proposed = await t
      .http()
      .post(`/api/meetings/${meetingId}/decisions`)
      .set(bearer(office))
      .send({
        title: '对补贴资金问题开展专项督办',
        topicId: late.body.topicId,
        actionItems: [
          { title: '审计局牵头整改补贴资金问题', assigneeAgency: 'audit-bureau', dueOn: plusDays(today, 30) },
          { title: '公安局通报涉案人员处理情况', assigneeAgency: 'public-security', dueOn: plusDays(today, 45) },
        ],
      })
      .expect(201);
    const decisionId = proposed.body.decisionId as string;
    expect(proposed.body.actionIds).toHaveLength(2);
    const statements = `/api/meetings/${meetingId}/decisions/${decisionId}/statements`;

    // the principal leader may not state before the other present members
    const early = await t.http().post(statements).set(bearer(office)).send({ agency: LEADER, position: 'agree', reason: '同意' }).expect(409);
    expect(early.body.code).toBe('leader-must-state-last');
    // an absent member cannot state
    expect((await t.http().post(statements).set(bearer(office)).send({ agency: 'finance-bureau', position: 'agree', reason: '同意' }).expect(422)).body.code).toBe('agency-not-present');
    // the audit bureau states for itself; the office records the others; the leader last
    await t.http().post(statements).set(bearer(audit)).send({ agency: 'audit-bureau', position: 'agree', reason: '同意，审计局牵头' }).expect(201);
    for (const agency of EIGHT.filter((a) => a !== LEADER && a !== 'audit-bureau')) {
      await t.http().post(statements).set(bearer(office)).send({ agency, position: 'agree', reason: '同意' }).expect(201);
    }
    await t.http().post(statements).set(bearer(office)).send({ agency: LEADER, position: 'agree', reason: '同意，抓紧落实' }).expect(201);
    const after = await t.http().post(statements).set(bearer(office)).send({ agency: 'court', position: 'disagree', reason: '改变主意' }).expect(409);
    expect(after.body.code).toBe('leader-has-stated');

    const taken = await t.http().post(`/api/meetings/${meetingId}/decisions/${decisionId}/take`).set(bearer(office)).expect(200);
    expect(taken.body).toMatchObject({ passed: true, counts: { agree: 8, disagree: 0, defer: 0, present: 8, shouldAttend: 10 } });
    const itemIds = taken.body.supervisionItemIds as string[];
    expect(itemIds).toHaveLength(2);

    // the process manager opens the action items as supervision items (origin meeting-decision)
    const items = await meetingDecisionItems(t, office, 2, taken.body.position);
    expect(items.map((i) => i.itemId).sort()).toEqual([...itemIds].sort());
    const first = await t.http().get(`/api/supervision-items/${itemIds[0]}`).set(bearer(office)).expect(200);
    expect(first.body).toMatchObject({ title: '审计局牵头整改补贴资金问题', assigneeAgency: 'audit-bureau', origin: 'meeting-decision', dueOn: plusDays(today, 30), status: 'in-progress' });
    expect(first.body.itemNo).toMatch(/^DB-\d{4}-\d{4}$/);
    // the assignee sees it on its own board
    const auditBoard = await t.http().get('/api/supervision-items').set(bearer(audit)).expect(200);
    expect(auditBoard.body.items.map((i: { itemId: string }) => i.itemId)).toEqual([itemIds[0]]);

    // the register keeps every statement, the counts and the late topic
    const detail = await t.http().get(`/api/meetings/${meetingId}?minPosition=${taken.body.position}`).set(bearer(audit)).expect(200);
    expect(detail.body).toMatchObject({ kind: 'regular', status: 'in-session', heldOn: today, attendees: EIGHT, expectedMembers: ALL, principalLeader: LEADER, lateTopicCount: 1, passedDecisionCount: 1 });
    expect(detail.body.topics).toEqual([expect.objectContaining({ topicId: late.body.topicId, late: true, justification: '审计报告昨日才定稿' })]);
    const decision = detail.body.decisions[0];
    expect(decision.statements).toHaveLength(8);
    expect(decision.statements[7]).toMatchObject({ agency: LEADER, isPrincipalLeader: true });
    expect(decision.statements[0]).toMatchObject({ agency: 'audit-bureau', position: 'agree', reason: '同意，审计局牵头', isPrincipalLeader: false });
    expect(decision.counts).toEqual({ agree: 8, disagree: 0, defer: 0, present: 8, shouldAttend: 10 });
    expect(decision.actionItems.map((a: { supervisionItemId: string }) => a.supervisionItemId)).toEqual(itemIds);

    // a special meeting with 6 of 10 present: its decision is refused for want of quorum, and nothing is recorded as passed
    const special = await t.http().post('/api/meetings').set(bearer(office)).send({ kind: 'special', title: '专题会议', scheduledOn: today, topicCutoffOn: today }).expect(201);
    const onTime = await t.http().post(`/api/meetings/${special.body.id}/topics`).set(bearer(audit)).send({ agency: 'audit-bureau', title: '按时议题', summary: '内容' }).expect(201);
    expect(onTime.body.late).toBe(false);
    const six = ALL.slice(0, 6);
    await t.http().post(`/api/meetings/${special.body.id}/convene`).set(bearer(office)).send({ heldOn: today, attendees: six }).expect(200);
    const d2 = await t
      .http()
      .post(`/api/meetings/${special.body.id}/decisions`)
      .set(bearer(office))
      .send({ title: '无法定人数的决定', actionItems: [{ title: '不应出现的督办', assigneeAgency: 'court', dueOn: plusDays(today, 10) }] })
      .expect(201);
    for (const agency of [...six.filter((a) => a !== LEADER), LEADER]) {
      await t.http().post(`/api/meetings/${special.body.id}/decisions/${d2.body.decisionId}/statements`).set(bearer(office)).send({ agency, position: 'agree', reason: '同意' }).expect(201);
    }
    const noQuorum = await t.http().post(`/api/meetings/${special.body.id}/decisions/${d2.body.decisionId}/take`).set(bearer(office)).expect(409);
    expect(noQuorum.body.code).toBe('quorum-not-met');
    expect(noQuorum.body.detail).toMatch(/三分之二/);

    // minutes once every decision of the regular meeting is taken, then close
    await t.http().post(`/api/meetings/${meetingId}/close`).set(bearer(office)).expect(409);
    await t.http().post(`/api/meetings/${meetingId}/minutes`).set(bearer(office)).send({ minutes: '会议听取了审计局关于补贴资金问题的汇报，决定开展专项督办。' }).expect(201);
    const closed = await t.http().post(`/api/meetings/${meetingId}/close`).set(bearer(office)).expect(200);

    const list = await t.http().get(`/api/meetings?minPosition=${closed.body.position}`).set(bearer(office)).expect(200);
    expect(list.body.total).toBe(2);
    const withLate = await t.http().get('/api/meetings?lateTopics=true').set(bearer(office)).expect(200);
    expect(withLate.body.items.map((x: { meetingId: string; status: string }) => [x.meetingId, x.status])).toEqual([[meetingId, 'closed']]);
    const specialRow = list.body.items.find((x: { meetingId: string }) => x.meetingId === special.body.id);
    expect(specialRow.decisions[0]).toMatchObject({ passed: null, counts: null });
    const history = await t.http().get(`/api/meetings/${meetingId}/history`).set(bearer(office)).expect(200);
    expect(history.body.events.map((e: { label: string }) => e.label)).toContain('作出决定');

    // only the two items of the passed decision exist; wait until the process manager has seen the whole log
    const head = await t.app.get<EventStore>(EVENT_STORE).headPosition();
    for (let i = 0; i < 100 && (await processManagerCheckpoint(t)) < head; i++) await sleep(50);
    expect(await processManagerCheckpoint(t)).toBe(head);
    expect(await meetingDecisionItems(t, office, 2, head)).toHaveLength(2);
    await t.close();

    // restart with the process manager's checkpoint lost (as if it crashed after opening the items and
    // before saving it): it reads the whole log again and replays instead of opening the items twice
    const rm = new Database(t.config.readModels.kind === 'sqlite' ? t.config.readModels.file : '');
    rm.prepare(`UPDATE process_manager_checkpoints SET position = 0 WHERE name = 'meeting-decisions'`).run();
    rm.close();
    t = await startTestApp(dataDir);
    for (let i = 0; i < 100 && (await processManagerCheckpoint(t)) < head; i++) await sleep(50);
    expect(await processManagerCheckpoint(t)).toBe(head);
    expect(await t.app.get<EventStore>(EVENT_STORE).headPosition()).toBe(head); // nothing was written
    const office2 = await login(t, 'admin', ADMIN_PASSWORD);
    expect((await meetingDecisionItems(t, office2, 2, head)).map((i) => i.itemId).sort()).toEqual([...itemIds].sort());
    await t.destroy();
  });
});
