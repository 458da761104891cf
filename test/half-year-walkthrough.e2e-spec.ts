import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Response } from 'supertest';
import { ReminderSchedulerService } from '../apps/api/src/notifications/reminder-scheduler.service';
import { ADMIN_PASSWORD, bearer, leadBody, leaderToken, login, plusDays, shanghaiToday, startTestApp, userToken, type TestApp } from './support/test-app';

/**
 * Issue 4's acceptance walk: one half-year of the coordination group's own procedure over HTTP.
 *
 * Which half-year: the one CONTAINING TODAY (computed at run time). The domain dates several steps by the
 * day they are entered (a topic's submission, a decision's `takenOn` and so the supervision items it opens,
 * a disposition, a bulletin's issue and its 〔year〕), and refuses due dates before today; only in the
 * current half-year does the whole walk fall inside the period the report covers. Steps that take a
 * business date (a lead's receipt, the filing, a recovery) use the half-year's first day, which is in the
 * past (or today on 1 January / 1 July) — never the future. The report is therefore the running one, as
 * of today. The scheduler is ticked with injected future instants (as test/reminders.e2e-spec.ts does):
 * reminders and escalations are recorded on the days they would fire.
 */
const ENV = { COORD_REMINDER_TICK_MS: '0' };
const at = (date: string) => new Date(`${date}T02:00:00.000Z`); // 10:00 in Beijing
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ALL = ['discipline-commission', 'organization-dept', 'public-security', 'court', 'procuratorate', 'supervision-bureau', 'political-legal-committee', 'hr-social-security', 'audit-bureau', 'finance-bureau'];
const LEADER = 'discipline-commission';
/** eight of the ten members present (quorum: 8 × 3 ≥ 10 × 2) */
const EIGHT = ALL.filter((a) => a !== 'finance-bureau' && a !== 'hr-social-security');
const INFORMANT = '举报人周某某';

const binary = (res: Response, done: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** the text of word/document.xml, paragraph by paragraph */
async function docxText(file: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(file);
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml
    .split('</w:p>')
    .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''))
    .join('\n');
}

/** 总表 of the report workbook: 指标 → 数值 */
async function xlsxSummary(file: Buffer): Promise<Record<string, unknown>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const out: Record<string, unknown> = {};
  wb.getWorksheet('总表')!.eachRow((row, n) => {
    if (n > 2) out[String(row.getCell(1).value)] = row.getCell(2).value;
  });
  return out;
}

describe('a half-year of the coordination group, end to end (issue 4 acceptance)', () => {
  let t: TestApp;
  let office: string;
  let audit: string;
  let police: string;
  let leader: string;
  const today = shanghaiToday();
  const year = +today.slice(0, 4);
  const half = today.slice(5, 7) <= '06' ? 'H1' : 'H2';
  const preset = `${year}-${half}`;
  const periodStart = half === 'H1' ? `${year}-01-01` : `${year}-07-01`;
  const halfLabel = `${year}年${half === 'H1' ? '上' : '下'}半年`;
  // 500,000.00 元 seized on the first day of the half-year, 12,800.50 元 restituted today
  const RECOVERED_FEN = 50_000_000 + 1_280_050;

  const post = (path: string, token: string, body: object = {}, status = 201) => t.http().post(path).set(bearer(token)).send(body).expect(status);
  const tick = async (date: string) => {
    const result = await t.app.get(ReminderSchedulerService).tick(at(date));
    const head = Math.max(0, ...result.fired.map((f) => f.position));
    await t.http().get(`/api/notifications?minPosition=${head}`).set(bearer(office)).expect(200);
    return result;
  };

  beforeAll(async () => {
    t = await startTestApp(undefined, ENV);
    office = await login(t, 'admin', ADMIN_PASSWORD);
    audit = await userToken(t, office, 'audit-clerk', 'agency', 'audit-bureau');
    police = await userToken(t, office, 'police-clerk', 'agency', 'public-security');
    leader = await leaderToken(t, office, 'group-leader-zhang', 'group-leader');
  }, 30_000);
  afterAll(() => t.destroy());

  it(`walks ${preset}: topics, a regular meeting, decisions, supervision items, reminders, escalation, a bulletin, the half-year report`, async () => {
    // ── a lead from an audit, disposed, and filed as a major case with two recoveries ─────────────────
    const lead = (await post('/api/leads', audit, leadBody({ receivedOn: periodStart, informant: { name: INFORMANT, contact: '13800000000' } }))).body;
    await post(`/api/leads/${lead.id}/disposition`, audit, { method: 'preliminary-verification', rationale: '线索具体，具有可查性' }, 200);
    const filed = (await post('/api/cases', office, { title: '王某某受贿案', leadIds: [lead.id], leadAgency: 'audit-bureau', coAgencies: ['public-security'], filedOn: periodStart, major: true })).body;
    expect(filed.caseNo).toMatch(new RegExp(`^AJ-${periodStart.slice(0, 4)}-\\d{4}$`));
    await post(`/api/cases/${filed.id}/progress-reports`, audit, { stage: 'investigation', summary: '已查明收受工程款回扣50万元', reportedOn: today });
    await post(`/api/cases/${filed.id}/recoveries`, audit, { amountFen: 50_000_000, category: 'confiscation', agency: 'audit-bureau', recoveredOn: periodStart });
    await post(`/api/cases/${filed.id}/recoveries`, police, { amountFen: 1_280_050, category: 'restitution', agency: 'public-security', recoveredOn: today });

    // ── the regular joint meeting of the half-year: topics from the agencies before the cut-off ───────
    const meeting = (await post('/api/meetings', office, { kind: 'regular', title: `${halfLabel}协调小组联席会议`, scheduledOn: today, topicCutoffOn: today })).body;
    // one regular meeting per half-year: a second one is refused (the half-year's meeting stream holds the first)
    const second = await post('/api/meetings', office, { kind: 'regular', title: '又一次例会', scheduledOn: half === 'H1' ? `${year}-06-30` : `${year}-12-31`, topicCutoffOn: today }, 409);
    expect(second.headers['content-type']).toContain('application/problem+json');
    expect(second.body).toMatchObject({ code: 'regular-meeting-exists', errors: [{ field: 'scheduledOn' }] });
    const topicA = (await post(`/api/meetings/${meeting.id}/topics`, audit, { agency: 'audit-bureau', title: '工程审计发现问题的查处', summary: '审计发现工程款支付异常' })).body;
    const topicB = (await post(`/api/meetings/${meeting.id}/topics`, police, { agency: 'public-security', title: '涉案财物追缴', summary: '追缴进展' })).body;
    expect([topicA.late, topicB.late]).toEqual([false, false]);
    // a lead first disclosed at the meeting: registered with source 联席会议通报, then briefed
    const briefed = (await post('/api/leads', police, leadBody({ source: 'meeting-briefing', reportingAgency: 'public-security', receivedOn: today, important: false, subject: { name: '钱某', post: '股长', unit: '县水务局' } }))).body;
    await post(`/api/meetings/${meeting.id}/convene`, office, { heldOn: today, attendees: EIGHT }, 200);
    await post(`/api/meetings/${meeting.id}/briefings`, police, { leadId: briefed.id, agency: 'public-security' });

    // ── two decisions: statements from every present member, the principal leader last ───────────────
    const d1 = (
      await post(`/api/meetings/${meeting.id}/decisions`, office, {
        title: '对工程领域问题开展专项督办',
        topicId: topicA.topicId,
        actionItems: [
          { title: '审计局报送工程审计整改情况', assigneeAgency: 'audit-bureau', dueOn: today },
          { title: '公安局完成涉案财物追缴', assigneeAgency: 'public-security', dueOn: plusDays(today, 9) },
        ],
      })
    ).body;
    const d2 = (await post(`/api/meetings/${meeting.id}/decisions`, office, { title: '扩大专项检查范围至全县', topicId: topicB.topicId, actionItems: [{ title: '不应出现的督办', assigneeAgency: 'court', dueOn: plusDays(today, 30) }] })).body;
    const state = (d: string, agency: string, position: string, status = 201) => post(`/api/meetings/${meeting.id}/decisions/${d}/statements`, office, { agency, position, reason: position === 'agree' ? '同意' : '意见保留' }, status);
    expect((await state(d1.decisionId, LEADER, 'agree', 409)).body.code).toBe('leader-must-state-last');
    await post(`/api/meetings/${meeting.id}/decisions/${d1.decisionId}/statements`, audit, { agency: 'audit-bureau', position: 'agree', reason: '同意，审计局牵头' });
    for (const agency of EIGHT.filter((a) => a !== LEADER && a !== 'audit-bureau')) await state(d1.decisionId, agency, 'agree');
    await state(d1.decisionId, LEADER, 'agree');
    // decision 2: 4 agree, 3 disagree, the leader defers — 4 of the 10 who should attend is no majority
    const others = EIGHT.filter((a) => a !== LEADER);
    for (const [i, agency] of others.entries()) await state(d2.decisionId, agency, i < 4 ? 'agree' : 'disagree');
    await state(d2.decisionId, LEADER, 'defer');
    const taken1 = (await post(`/api/meetings/${meeting.id}/decisions/${d1.decisionId}/take`, office, {}, 200)).body;
    expect(taken1).toMatchObject({ passed: true, counts: { agree: 8, disagree: 0, defer: 0, present: 8, shouldAttend: 10 } });
    const taken2 = (await post(`/api/meetings/${meeting.id}/decisions/${d2.decisionId}/take`, office, {}, 200)).body;
    expect(taken2).toMatchObject({ passed: false, counts: { agree: 4, disagree: 3, defer: 1, present: 8, shouldAttend: 10 }, supervisionItemIds: [] });
    await post(`/api/meetings/${meeting.id}/minutes`, office, { minutes: '会议听取了审计局、公安局的汇报，决定对工程领域问题开展专项督办。' });
    const closed = (await post(`/api/meetings/${meeting.id}/close`, office, {}, 200)).body;
    const record = (await t.http().get(`/api/meetings/${meeting.id}?minPosition=${closed.position}`).set(bearer(leader)).expect(200)).body;
    expect(record).toMatchObject({ kind: 'regular', status: 'closed', heldOn: today, principalLeader: LEADER, passedDecisionCount: 1, lateTopicCount: 0 });
    expect(record.decisions.map((d: { statements: { agency: string }[] }) => d.statements.at(-1)?.agency)).toEqual([LEADER, LEADER]);

    // ── the passed decision's action items become supervision items (process manager) ───────────────
    const [itemA, itemB] = taken1.supervisionItemIds as string[];
    let board: { itemId: string; origin: string; dueOn: string; assigneeAgency: string }[] = [];
    for (let i = 0; i < 100 && board.length < 2; i++) {
      if (i) await sleep(50);
      const res = await t.http().get(`/api/supervision-items?minPosition=${taken2.position}&limit=500`).set(bearer(office)).expect(200);
      board = (res.body.items as typeof board).filter((x) => x.origin === 'meeting-decision');
    }
    expect(board.map((x) => [x.itemId, x.assigneeAgency, x.dueOn]).sort()).toEqual(
      [
        [itemA, 'audit-bureau', today],
        [itemB, 'public-security', plusDays(today, 9)],
      ].sort(),
    );

    // ── reminders and escalation: the scheduler ticks day by day (injected dates, never the clock) ────
    const first = await tick(plusDays(today, 1));
    expect(first.fired.filter((f) => f.written && f.deadlineId.startsWith('supervision-item:')).map((f) => [f.deadlineId, f.step])).toEqual([[`supervision-item:${itemA}`, 'after-1']]);
    for (let d = 2; d <= 9; d++) await tick(plusDays(today, d));
    const historyOf = async (id: string) => {
      const h = await t.http().get(`/api/supervision-items/${id}/history`).set(bearer(office)).expect(200);
      return (h.body.events as { type: string; data: Record<string, unknown> }[]).filter((e) => e.type === 'supervision.reminder-sent' || e.type === 'supervision.escalated');
    };
    expect((await historyOf(itemB)).map((e) => [e.type, e.data.step])).toEqual([
      ['supervision.reminder-sent', 'before-3'],
      ['supervision.reminder-sent', 'before-1'],
    ]);
    const escalations = await historyOf(itemA);
    expect(escalations.map((e) => [e.type, e.data.step])).toEqual([
      ['supervision.escalated', 'after-1'],
      ['supervision.escalated', 'after-5'],
    ]);
    expect(escalations[1]?.data).toMatchObject({ level: 2, toRole: 'group-leader', dueOn: today, daysOverdue: 5, agency: 'audit-bureau', escalatedOn: plusDays(today, 5) });
    // the escalation is in the group leader's feed (escalations only) and the assignee's; reminders in the police's
    const leaderFeed = (await t.http().get('/api/notifications').set(bearer(leader)).expect(200)).body;
    expect(leaderFeed.items.map((n: { kind: string; refId: string; step: string; daysOverdue: number }) => [n.kind, n.refId, n.step, n.daysOverdue])).toEqual([
      ['escalation', itemA, 'after-5', 5],
      ['escalation', itemA, 'after-1', 1],
    ]);
    expect(leaderFeed.items[0].title).toContain('已逾期5天');
    expect(leaderFeed.items[0].title).toContain('升级报协调小组组长督办');
    const auditFeed = (await t.http().get('/api/notifications').set(bearer(audit)).expect(200)).body;
    expect(auditFeed.items.map((n: { refId: string; kind: string }) => [n.refId, n.kind])).toEqual([
      [itemA, 'escalation'],
      [itemA, 'escalation'],
    ]);
    const policeFeed = (await t.http().get('/api/notifications?kind=reminder').set(bearer(police)).expect(200)).body;
    expect(policeFeed.items.filter((n: { refId: string }) => n.refId === itemB).map((n: { step: string }) => n.step)).toEqual(['before-1', 'before-3']);
    // and it is overdue in the follow-ups list three days after its due date
    const overdue = (await t.http().get(`/api/follow-ups/overdue?asOf=${plusDays(today, 3)}`).set(bearer(office)).expect(200)).body;
    expect(overdue.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'supervision-item', refId: itemA, agency: 'audit-bureau', dueOn: today, daysOverdue: 3 })]));
    // regular meetings are owed from the first use of the system (not since the group's 2012 establishment):
    // the half-year after this one, with no regular meeting, is listed once it is over — and nothing older
    const nextHalfEnd = half === 'H1' ? `${year}-12-31` : `${year + 1}-06-30`;
    const later = (await t.http().get(`/api/follow-ups/overdue?asOf=${plusDays(nextHalfEnd, 1)}`).set(bearer(office)).expect(200)).body;
    const missed = later.items.filter((i: { kind: string }) => i.kind === 'regular-meeting');
    expect(missed).toEqual([expect.objectContaining({ refId: half === 'H1' ? `${year}-H2` : `${year + 1}-H1`, dueOn: nextHalfEnd, daysOverdue: 1, agency: LEADER })]);

    // ── a 《案情专报》: drafted by the office, signed by the group leader (only), issued 〔year〕第1期 ─────
    const bulletin = (await post(`/api/cases/${filed.id}/bulletins`, office, {})).body;
    expect(bulletin.content.sections.recovered).toContain('512,800.50元（51.28005万元）');
    const deputy = await leaderToken(t, office, 'deputy-li', 'deputy');
    expect((await post(`/api/bulletins/${bulletin.id}/approve`, deputy, {}, 403)).body.code).toBe('group-leader-only');
    await post(`/api/bulletins/${bulletin.id}/approve`, leader, { revision: 1, signerName: '张组长', opinion: '同意印发。' }, 200);
    const issued = (await post(`/api/bulletins/${bulletin.id}/issue`, office, { distribution: { mainTo: ['县委'], copyTo: ['县纪委监委'] } }, 200)).body;
    expect(issued).toMatchObject({ status: 'issued', seq: 1, issueNo: `〔${year}〕第1期`, issuedOn: today });
    const bulletinDocx = await t.http().get(`/api/bulletins/${bulletin.id}.docx`).set(bearer(leader)).buffer(true).parse(binary).expect(200);
    const bulletinText = await docxText(bulletinDocx.body as Buffer);
    expect(bulletinText).toContain(`〔${year}〕第1期`);
    expect(bulletinText).toContain('张组长');
    expect(bulletinText).toContain('王某某');
    expect(bulletinText).toContain('512,800.50元（51.28005万元）');
    expect(bulletinText).not.toContain(INFORMANT);

    // ── the half-year report: live figures, then issued as a snapshot and downloaded ─────────────────
    const live = (await t.http().get(`/api/reports/periodic?preset=${preset}&minPosition=${issued.position}`).set(bearer(leader)).expect(200)).body;
    const f = live.figures;
    expect(f.period).toEqual({ kind: 'half-year', from: periodStart, to: half === 'H1' ? `${year}-06-30` : `${year}-12-31`, asOf: today });
    expect(f.leads).toMatchObject({ total: 2, important: 1 });
    expect(f.leads.bySource).toEqual(
      expect.arrayContaining([
        { key: 'audit-finding', label: '审计发现', count: 1 },
        { key: 'meeting-briefing', label: '联席会议通报', count: 1 },
      ]),
    );
    expect(f.cases).toMatchObject({ filed: 1, closed: 0, major: 1, openAsOf: 1 });
    expect(f.recoveries).toMatchObject({ totalFen: RECOVERED_FEN, caseCount: 1, entryCount: 2 });
    expect(f.supervision).toMatchObject({ opened: 2, completed: 0, overdue: 0 });
    expect(f.meetings).toEqual({ held: 1, regular: 1, special: 0, decisions: 2, decisionsPassed: 1 });
    expect(JSON.stringify(live)).not.toContain(INFORMANT);

    const report = (await post('/api/reports/periodic', office, { preset })).body;
    const reportDocx = await t.http().get(`/api/reports/periodic/${report.id}/docx`).set(bearer(leader)).buffer(true).parse(binary).expect(200);
    expect(reportDocx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const text = await docxText(reportDocx.body as Buffer);
    expect(text).toContain(`县反腐败协调小组${halfLabel}工作报告`);
    expect(text).toContain('受理问题线索2件（其中重要线索1件）');
    expect(text).toContain('立案1件（其中重大案件1件、疑难案件0件），结案0件');
    expect(text).toContain('本期挽回经济损失512,800.50元（51.28万元），涉及案件1件，共2笔。');
    expect(text).toContain('本期新立督办事项2项，办结0项（其中超期办结0项）');
    expect(text).toContain('本期召开联席会议1次（例会1次、专题会议0次），研究决定事项2项，通过1项。');
    expect(text).not.toContain(INFORMANT);

    const reportXlsx = await t.http().get(`/api/reports/periodic/${report.id}/xlsx`).set(bearer(office)).buffer(true).parse(binary).expect(200);
    expect(reportXlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(await xlsxSummary(reportXlsx.body as Buffer)).toMatchObject({
      统计起始日期: periodStart,
      '受理问题线索（件）': 2,
      '立案（件）': 1,
      '挽回经济损失（分）': RECOVERED_FEN,
      '挽回经济损失（元）': 512_800.5,
      '挽损涉及案件（件）': 1,
      '新立督办事项（项）': 2,
      '办结督办事项（项）': 0,
      '召开联席会议（次）': 1,
      '研究决定事项（项）': 2,
      '通过决定事项（项）': 1,
    });
  }, 60_000); // one long walk of ~150 requests and nine scheduler ticks (a budget, not a timing assertion)
});
