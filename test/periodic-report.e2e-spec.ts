import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Response } from 'supertest';
import { ADMIN_PASSWORD, bearer, leadBody, login, shanghaiToday, startTestApp, userToken, type TestApp } from './support/test-app';

/** supertest parser that keeps a binary body as a Buffer */
const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function docxText(file: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(file);
  const xml = await zip.file('word/document.xml')!.async('string');
  // the text of every run, paragraph by paragraph
  return xml
    .split('</w:p>')
    .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''))
    .join('\n');
}

async function summaryOf(file: Buffer): Promise<Record<string, unknown>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('总表')!;
  const out: Record<string, unknown> = {};
  ws.eachRow((row, n) => {
    if (n > 2) out[String(row.getCell(1).value)] = row.getCell(2).value;
  });
  return out;
}

/**
 * 定期报告 over HTTP: figures from the events by business date for the current half-year, an issued
 * snapshot that later entries do not change, and DOCX / XLSX files that real parsers read back with the
 * expected figures.
 */
describe('periodic report (定期报告) over HTTP', () => {
  let t: TestApp;
  let admin: string;
  let police: string;
  let leader: string;
  let audit: string;
  const today = shanghaiToday();
  const year = +today.slice(0, 4);
  const half = today.slice(5, 7) <= '06' ? 'H1' : 'H2';
  const preset = `${year}-${half}`;
  const periodStart = half === 'H1' ? `${year}-01-01` : `${year}-07-01`;
  const lastYear = `${year - 1}-05-10`;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await login(t, 'admin', ADMIN_PASSWORD);
    police = await userToken(t, admin, 'police-clerk', 'agency', 'public-security');
    leader = await userToken(t, admin, 'secretary', 'leadership');
    audit = await userToken(t, admin, 'audit-clerk', 'agency', 'audit-bureau');
  });

  afterAll(async () => {
    await t.destroy();
  });

  it('computes the half-year from events, issues an immutable snapshot, and downloads it as DOCX and XLSX', async () => {
    const post = (path: string, token: string, body: object = {}, status = 201) => t.http().post(path).set(bearer(token)).send(body).expect(status);

    // leads: two in this half-year (one important), one last year
    const l1 = (await post('/api/leads', admin, leadBody({ receivedOn: periodStart, important: true, informant: { name: '举报人甲', contact: '13900000000' } }))).body;
    await post('/api/leads', admin, leadBody({ receivedOn: periodStart, source: 'petition', important: false, subject: { name: '赵某', post: '科长', unit: '县财政局' } }));
    await post('/api/leads', admin, leadBody({ receivedOn: lastYear, subject: { name: '钱某', post: '股长', unit: '县水务局' } }));

    // a transfer to public security, signed for and accepted today: both in time
    const tr = (await post(`/api/leads/${l1.id}/transfers`, admin, { toAgency: 'public-security', letterNo: '审移〔2026〕1号', reason: '涉嫌犯罪' })).body;
    await post(`/api/leads/${l1.id}/transfers/${tr.transferId}/acknowledge`, police, {}, 200);
    await post(`/api/leads/${l1.id}/transfers/${tr.transferId}/accept`, police, {}, 200);
    await post(`/api/leads/${l1.id}/disposition`, police, { method: 'preliminary-verification', rationale: '需初核' }, 200);

    // a case with a recovery, a sanction, a judicial transfer, then closed
    const c = (await post('/api/cases', admin, { title: '王某某受贿案', leadIds: [l1.id], leadAgency: 'public-security', coAgencies: [], filedOn: periodStart, major: true })).body;
    await post(`/api/cases/${c.id}/recoveries`, admin, { amountFen: 1_234_567, category: 'confiscation', agency: 'public-security', recoveredOn: periodStart });
    await post(`/api/cases/${c.id}/sanctions`, admin, { personName: '王某某', kind: 'party-discipline', level: 'expulsion', decidedOn: today });
    await post(`/api/cases/${c.id}/judicial-transfer`, admin, { toAgency: 'procuratorate', summary: '移送审查起诉', transferredOn: today }, 200);

    // a supervision item run to completion
    const item = (await post('/api/supervision-items', admin, { title: '督促追缴涉案款', assigneeAgency: 'public-security', dueOn: today, origin: 'office' })).body;
    await post(`/api/supervision-items/${item.id}/results`, police, { summary: '已全部追缴' });
    const reviewed = (await post(`/api/supervision-items/${item.id}/review`, admin, { outcome: 'accepted', comment: '同意销号' }, 200)).body;

    const live = await t.http().get(`/api/reports/periodic?preset=${preset}&minPosition=${reviewed.position}`).set(bearer(leader)).expect(200);
    const f = live.body.figures;
    expect(live.body.title).toBe(`县反腐败协调小组${year}年${half === 'H1' ? '上' : '下'}半年工作报告`);
    expect(f.period).toEqual({ kind: 'half-year', from: periodStart, to: half === 'H1' ? `${year}-06-30` : `${year}-12-31`, asOf: today });
    expect(f.leads).toMatchObject({ total: 2, important: 1 });
    expect(f.leads.bySource).toEqual([
      { key: 'audit-finding', label: '审计发现', count: 1 },
      { key: 'petition', label: '信访举报', count: 1 },
    ]);
    expect(f.transfers).toMatchObject({ total: 1, acknowledgedInTime: 1, decidedInTime: 1, acknowledgementOverdue: 0, decisionOverdue: 0 });
    expect(f.dispositions.byMethod).toEqual([{ key: 'preliminary-verification', label: '初步核实', count: 1 }]);
    expect(f.cases).toMatchObject({ filed: 1, closed: 0, major: 1, openAsOf: 1 });
    expect(f.sanctions.byLevel).toEqual([{ key: 'party-discipline/expulsion', label: '党纪处分·开除党籍', count: 1 }]);
    expect(f.judicialTransfers).toEqual({ total: 1, byAgency: [{ key: 'procuratorate', label: '县人民检察院', count: 1 }] });
    expect(f.recoveries).toMatchObject({ totalFen: 1_234_567, caseCount: 1, entryCount: 1 });
    expect(f.supervision).toMatchObject({ opened: 1, completed: 1, completedLate: 0, overdue: 0 });
    expect(f.meetings).toEqual({ held: 0, regular: 0, special: 0, decisions: 0, decisionsPassed: 0 });
    expect(JSON.stringify(live.body)).not.toContain('举报人甲');

    // the office issues it
    const issueOnce = () => t.http().post('/api/reports/periodic').set(bearer(admin)).set('idempotency-key', 'issue-report-h').send({ preset });
    const issued = (await issueOnce().expect(201)).body;
    expect(issued).toMatchObject({ version: 1 });
    const repeat = await issueOnce().expect(201);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body.id).toBe(issued.id);

    // a late entry dated inside the period changes the live figures, not the issued report
    await post('/api/leads', admin, leadBody({ receivedOn: periodStart, subject: { name: '孙某', post: '主任', unit: '县教育局' } }));
    const later = await t.http().get(`/api/reports/periodic?preset=${preset}`).set(bearer(admin)).expect(200);
    expect(later.body.figures.leads.total).toBe(3);
    const snapshot = await t.http().get(`/api/reports/periodic/${issued.id}`).set(bearer(leader)).expect(200);
    expect(snapshot.body).toMatchObject({ id: issued.id, issuedOn: today, issuedBy: { username: 'admin', role: 'office' } });
    expect(snapshot.body.figures).toEqual(f);

    // DOCX: a 公文-like document with the title and the figures
    const docx = await t.http().get(`/api/reports/periodic/${issued.id}/docx`).set(bearer(leader)).buffer(true).parse(binary).expect(200);
    expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers['content-disposition']).toBe(
      `attachment; filename="periodic-report.docx"; filename*=UTF-8''${encodeURIComponent(`${snapshot.body.title}.docx`)}`,
    );
    const text = await docxText(docx.body as Buffer);
    expect(text).toContain(snapshot.body.title);
    expect(text).toContain('受理问题线索2件（其中重要线索1件）');
    expect(text).toContain('挽回经济损失12,345.67元（1.23万元）');
    expect(text).toContain('立案1件（其中重大案件1件、疑难案件0件），结案0件');
    expect(text).toContain('党纪处分·开除党籍');
    expect(text).toContain('县反腐败协调小组办公室');
    expect(text).not.toContain('举报人甲');

    // XLSX: exact fen in the summary sheet
    const xlsx = await t.http().get(`/api/reports/periodic/${issued.id}/xlsx`).set(bearer(admin)).buffer(true).parse(binary).expect(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(snapshot.body.title)}.xlsx`);
    const summary = await summaryOf(xlsx.body as Buffer);
    expect(summary).toMatchObject({
      统计起始日期: periodStart,
      '受理问题线索（件）': 2,
      '移送线索（件）': 1,
      '按时签收（件）': 1,
      '立案（件）': 1,
      '挽回经济损失（分）': 1_234_567,
      '挽回经济损失（元）': 12_345.67,
      '办结督办事项（项）': 1,
      '召开联席会议（次）': 0,
    });

    // the live downloads carry the live figures
    const liveXlsx = await t.http().get(`/api/reports/periodic.xlsx?preset=${preset}`).set(bearer(leader)).buffer(true).parse(binary).expect(200);
    expect((await summaryOf(liveXlsx.body as Buffer))['受理问题线索（件）']).toBe(3);
    const liveDocx = await t.http().get(`/api/reports/periodic.docx?preset=${preset}`).set(bearer(leader)).buffer(true).parse(binary).expect(200);
    expect(await docxText(liveDocx.body as Buffer)).toContain('受理问题线索3件');
  });

  it('answers "as of" a past date from business dates, and last year from its own events', async () => {
    const res = await t.http().get(`/api/reports/periodic?preset=${year - 1}`).set(bearer(admin)).expect(200);
    expect(res.body.figures.leads.total).toBe(1);
    expect(res.body.figures.period).toEqual({ kind: 'annual', from: `${year - 1}-01-01`, to: `${year - 1}-12-31`, asOf: `${year - 1}-12-31` });
    const before = await t.http().get(`/api/reports/periodic?from=${periodStart}&to=${today}&asOf=${periodStart}`).set(bearer(admin)).expect(200);
    // on the first day only what is dated that day: three leads, the case and its recovery; no transfer yet
    expect(before.body.figures).toMatchObject({ leads: { total: 3 }, cases: { filed: 1 }, recoveries: { totalFen: 1_234_567 } });
    if (periodStart < today) expect(before.body.figures.transfers.total).toBe(0);
    // the supervision ledger as of yesterday does not hold the item opened today; as of today it is closed
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const past = await t.http().get(`/api/ledgers/supervision-items?asOf=${yesterday}`).set(bearer(leader)).expect(200);
    expect(past.body).toMatchObject({ asOf: yesterday, total: 0 });
    const now = await t.http().get(`/api/ledgers/supervision-items?asOf=${today}`).set(bearer(leader)).expect(200);
    expect(now.body.items).toEqual([expect.objectContaining({ title: '督促追缴涉案款', status: 'closed', closedOn: today })]);
  });

  it('refuses agency users, read-only issuers, bad periods (naming the field) and unknown reports', async () => {
    await t.http().get(`/api/reports/periodic?preset=${preset}`).set(bearer(audit)).expect(403);
    await t.http().get(`/api/reports/periodic.docx?preset=${preset}`).set(bearer(audit)).expect(403);
    await t.http().post('/api/reports/periodic').set(bearer(leader)).send({ preset }).expect(403);
    const bad = await t.http().get('/api/reports/periodic?preset=2026-Q3').set(bearer(admin)).expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([{ field: 'preset', message: '格式不正确' }]);
    const inverted = await t.http().get(`/api/reports/periodic?from=${year}-06-30&to=${year}-01-01`).set(bearer(admin)).expect(422);
    expect(inverted.body.errors[0].field).toBe('from');
    const future = await t.http().get(`/api/reports/periodic?preset=${year + 1}&asOf=${year + 1}-01-05`).set(bearer(admin)).expect(422);
    expect(future.body.errors[0].field).toBe('asOf');
    await t.http().get('/api/reports/periodic/0b3f5c1e-1d2a-4c3b-8a7d-123456789abc').set(bearer(admin)).expect(404);
  });
});
