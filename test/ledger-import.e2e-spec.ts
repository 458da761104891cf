import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { ADMIN_PASSWORD, bearer, login, startTestApp, userToken, type TestApp } from './support/test-app';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

const AGENCIES = ['县纪委', '县公安局', '县人民检察院', '县审计局', '县财政局'];
const TOTAL_FEN = 1_500_000_000; // 15,000,000 yuan
const CASES = 62;

/** The seed county's history: 62 cases filed since 2012 and exactly 15,000,000 yuan recovered, two entries per case. */
async function historicalLedger(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const cases = wb.addWorksheet('案件');
  cases.addRow(['序号', '原编号', '案件名称', '被调查人', '职务', '工作单位', '主办单位', '立案日期', '结案日期', '重大']);
  const recoveries = wb.addWorksheet('挽损');
  recoveries.addRow(['案件原编号', '金额（分）', '挽损类别', '挽损单位', '挽损日期', '备注']);
  const entries = CASES * 2;
  const base = Math.floor(TOTAL_FEN / entries);
  let remainder = TOTAL_FEN - base * entries;
  for (let i = 0; i < CASES; i++) {
    const year = 2012 + (i % 14); // 2012 … 2025
    const month = String((i % 12) + 1).padStart(2, '0');
    const no = `纪案〔${year}〕${i + 1}号`;
    const filedOn = new Date(Date.UTC(year, (i % 12), 3)); // a real Excel date cell
    const closed = i % 3 === 0 ? `${year}-${month}-28` : null;
    cases.addRow([i + 1, no, `历史案件${i + 1}`, `当事人${i + 1}`, '科长', '县某局', AGENCIES[i % AGENCIES.length], filedOn, closed, i % 10 === 0 ? '是' : '否']);
    for (const k of [0, 1]) {
      const amount = base + (remainder > 0 ? 1 : 0);
      if (remainder > 0) remainder--;
      recoveries.addRow([no, amount, k === 0 ? '追缴' : '退赔', AGENCIES[(i + k) % AGENCIES.length], `${year}-${month}-${k === 0 ? '10' : '20'}`, `原台账第${i + 1}页`]);
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function rowsOf(file: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const out: unknown[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}

describe('ledger import and export (台账导入导出) over HTTP', () => {
  let t: TestApp;
  let admin: string;
  let audit: string;
  let leader: string;
  let ledger: Buffer;
  let lastPosition = 0;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await login(t, 'admin', ADMIN_PASSWORD);
    audit = await userToken(t, admin, 'audit-clerk', 'agency', 'audit-bureau');
    leader = await userToken(t, admin, 'secretary', 'leadership');
    ledger = await historicalLedger();
  });

  afterAll(async () => {
    await t.destroy();
  });

  const upload = (body: Buffer | string, type: string, query = '', token = admin) =>
    t.http().post(`/api/ledgers/import${query}`).set(bearer(token)).set('content-type', type).send(body);

  it('imports 62 historical cases and 15,000,000 yuan of recoveries with their original dates; the recovered-loss report reproduces the totals exactly', async () => {
    const res = await upload(ledger, XLSX, '?fileName=longchuan-ledger.xlsx').expect(201);
    expect(res.body).toMatchObject({ written: true, imported: { leads: 0, cases: CASES, recoveries: CASES * 2 }, skipped: 0 });
    // numbered in the register of each case's ORIGINAL year; the old number is kept in the manifest
    expect(res.body.rows[0]).toMatchObject({ kind: 'cases', row: 2, originalNo: '纪案〔2012〕1号', ledgerNo: 'AJ-2012-0001' });
    expect(res.body.rows.find((r: { originalNo: string }) => r.originalNo === '纪案〔2025〕14号')).toMatchObject({ ledgerNo: 'AJ-2025-0001' });

    const totals = await t.http().get(`/api/reports/recovered-losses?groupBy=year&minPosition=${res.body.position}`).set(bearer(leader)).expect(200);
    expect(totals.body.totalFen).toBe(TOTAL_FEN);
    expect(totals.body.caseCount).toBe(CASES);
    expect(totals.body.rows[0]).toMatchObject({ key: '2012' });
    expect(totals.body.rows.map((r: { key: string }) => r.key)).toHaveLength(14);

    // the case register keeps the original filing dates and closures
    const cases = await t.http().get('/api/cases?limit=500').set(bearer(admin)).expect(200);
    expect(cases.body.total).toBe(CASES);
    const first = cases.body.items.find((c: { caseNo: string }) => c.caseNo === 'AJ-2012-0001');
    expect(first).toMatchObject({ filedOn: '2012-01-03', status: 'closed', closedOn: '2012-01-28', title: '历史案件1' });

    // the seed's headline, from the periodic report over the whole history
    const report = await t.http().get('/api/reports/periodic?from=2012-01-01&to=2025-12-31').set(bearer(leader)).expect(200);
    expect(report.body.figures.cumulative).toEqual({ since: '2012-01-03', casesFiled: CASES, recoveredFen: TOTAL_FEN });
    expect(report.body.figures.recoveries.totalFen).toBe(TOTAL_FEN);
  });

  it('re-importing the same file writes nothing new', async () => {
    const before = await t.http().get('/api/ledgers/cases.xlsx').set(bearer(admin)).buffer(true).parse(binary).expect(200);
    const res = await upload(ledger, XLSX).expect(200);
    expect(res.body).toMatchObject({ written: false, imported: { leads: 0, cases: 0, recoveries: 0 }, skipped: CASES * 3 });
    const totals = await t.http().get('/api/reports/recovered-losses').set(bearer(leader)).expect(200);
    expect(totals.body).toMatchObject({ totalFen: TOTAL_FEN, caseCount: CASES });
    const after = await t.http().get('/api/ledgers/cases.xlsx').set(bearer(admin)).buffer(true).parse(binary).expect(200);
    expect(await rowsOf(after.body as Buffer)).toEqual(await rowsOf(before.body as Buffer));
  });

  it('a file with one bad row writes nothing and names the row and field', async () => {
    const csv = [
      '原编号,案件名称,被调查人,主办单位,立案日期',
      '纪案〔2019〕901号,新案一,甲,县审计局,2019-04-01',
      '纪案〔2019〕902号,新案二,乙,县审计局,2019-04-02',
      '纪案〔2019〕903号,新案三,丙,县审计局,2019-02-30',
      '纪案〔2019〕904号,新案四,丁,县审计局,2019-04-04',
    ].join('\r\n');
    const head = await t.http().get('/api/cases?limit=1').set(bearer(admin)).expect(200);
    const res = await upload(csv, 'text/csv', '?kind=cases').expect(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'import-invalid', errors: [{ field: 'row 4: filedOn', message: '日期无效（应为 YYYY-MM-DD）' }] });
    expect(res.body.detail).toContain('未写入任何记录');
    const after = await t.http().get('/api/cases?limit=1').set(bearer(admin)).expect(200);
    expect(after.body.total).toBe(head.body.total);

    const recoveries = ['案件原编号,金额（分）,挽损类别,挽损单位,挽损日期', '纪案〔2012〕1号,-5,追缴,县审计局,2013-01-01', '纪案〔1999〕1号,100,没收,县审计局,2013-01-01'].join('\n');
    const bad = await upload(recoveries, 'text/csv', '?kind=recoveries').expect(422);
    expect(bad.body.errors).toEqual([
      { field: 'row 2: amountFen', message: '金额须为正整数（单位：分）' },
      { field: 'row 3: category', message: '挽损类别无效：没收（应为 追缴、退赔 或 罚没）' },
    ]);
    // rows that pass the format checks still meet the domain rules in a dry run: an unknown case is named too
    const unknown = await upload('案件原编号,金额（元）,挽损类别,挽损单位,挽损日期\n纪案〔1999〕1号,"1,000.50",罚没,县财政局,2013-01-01\n', 'text/csv', '?kind=recoveries').expect(422);
    expect(unknown.body.errors).toEqual([{ field: 'row 2: caseNo', message: '原编号为“纪案〔1999〕1号”的案件不存在（请先导入案件台账）' }]);
  });

  it('imports historical leads into the register of their original year, and recoveries into an imported open case', async () => {
    const leads = [
      '原编号,线索来源,报送单位,被反映人,职务,工作单位,反映问题,受理日期,重要线索',
      'XS2013-07,信访举报,县审计局,周某,所长,县国土所,违规审批,2013-05-06,是',
      'XS2013-08,audit-finding,audit-bureau,吴某,主任,县住建局,虚报冒领,2013/6/7,否',
    ].join('\n');
    const res = await upload(leads, 'text/csv', '?kind=leads&fileName=leads-2013.csv').expect(201);
    expect(res.body.rows.map((r: { ledgerNo: string; originalNo: string }) => [r.originalNo, r.ledgerNo])).toEqual([
      // LC-2013-0001…0005 went to the leads that the five 2013 cases brought with them
      ['XS2013-07', 'LC-2013-0006'],
      ['XS2013-08', 'LC-2013-0007'],
    ]);
    const list = await t.http().get(`/api/leads?limit=500&minPosition=${res.body.position}`).set(bearer(audit)).expect(200);
    expect(list.body.items.find((l: { ledgerNo: string }) => l.ledgerNo === 'LC-2013-0007')).toMatchObject({ receivedOn: '2013-06-07', source: 'audit-finding', reportingAgency: 'audit-bureau' });

    // an open imported case (纪案〔2013〕2号 is not closed) takes a later recovery file
    const more = await upload('案件原编号,金额（元）,挽损类别,挽损单位,挽损日期\n纪案〔2013〕2号,0.01,罚没,县财政局,2014-01-01\n', 'text/csv', '?kind=recoveries').expect(201);
    const totals = await t.http().get(`/api/reports/recovered-losses?minPosition=${more.body.position}`).set(bearer(leader)).expect(200);
    expect(totals.body.totalFen).toBe(TOTAL_FEN + 1);
    lastPosition = more.body.position;
  });

  it('answers ledgers and the recovered-loss report "as of" a past date from the events (time travel)', async () => {
    // as of 15 January 2012 only the first case existed: filed on the 3rd, its first recovery on the 10th, closed on the 28th
    const cases = await t.http().get('/api/ledgers/cases?asOf=2012-01-15').set(bearer(leader)).expect(200);
    expect(cases.body).toMatchObject({ asOf: '2012-01-15', total: 1 });
    expect(cases.body.items[0]).toMatchObject({ caseNo: 'AJ-2012-0001', status: 'open', closedOn: null, recoveredFen: 12_096_775 });
    const today = await t.http().get('/api/ledgers/cases?limit=500').set(bearer(leader)).expect(200);
    expect(today.body.total).toBe(CASES);

    const losses = await t.http().get('/api/reports/recovered-losses?asOf=2012-01-15&groupBy=case').set(bearer(leader)).expect(200);
    expect(losses.body).toEqual({ asOf: '2012-01-15', totalFen: 12_096_775, caseCount: 1, rows: [{ key: cases.body.items[0].caseId, label: 'AJ-2012-0001 历史案件1', totalFen: 12_096_775, caseCount: 1 }] });
    const end2013 = await t.http().get('/api/reports/recovered-losses?asOf=2013-12-31&groupBy=year').set(bearer(leader)).expect(200);
    expect(end2013.body.rows.map((r: { key: string }) => r.key)).toEqual(['2012', '2013']);
    // a recovery entered today but dated 2014-01-01 is not in "as of 2013-12-31", and is in "as of 2014-01-01"
    const jan2014 = await t.http().get('/api/reports/recovered-losses?asOf=2014-01-01&from=2014-01-01&to=2014-01-01').set(bearer(leader)).expect(200);
    expect(jan2014.body).toMatchObject({ totalFen: 1, caseCount: 1 });

    // an agency user's as-of ledger is scoped like its list, and holds only what was received by then
    const leads = await t.http().get('/api/ledgers/leads?asOf=2013-05-06&limit=500').set(bearer(audit)).expect(200);
    const numbers = leads.body.items.map((l: { ledgerNo: string }) => l.ledgerNo);
    expect(numbers).toContain('LC-2013-0006');
    expect(numbers).not.toContain('LC-2013-0007');
    expect(leads.body.items.every((l: { receivedOn: string; reportingAgency: string }) => l.receivedOn <= '2013-05-06' && l.reportingAgency === 'audit-bureau')).toBe(true);
    expect(JSON.stringify(leads.body)).not.toMatch(/informant"\s*:\s*\{/);
    const bad = await t.http().get('/api/ledgers/leads?asOf=2013-13-01').set(bearer(admin)).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'asOf', message: '必须是有效日期（YYYY-MM-DD）' }]);
  });

  it('exports every ledger to XLSX, scoped like the list endpoints', async () => {
    const cases = await t.http().get(`/api/ledgers/cases.xlsx?minPosition=${lastPosition}`).set(bearer(leader)).buffer(true).parse(binary).expect(200);
    expect(cases.headers['content-type']).toBe(XLSX);
    expect(cases.headers['content-disposition']).toMatch(/^attachment; filename="cases-\d{4}-\d{2}-\d{2}\.xlsx"; filename\*=UTF-8''%E6%A1%88%E4%BB%B6%E5%8F%B0%E8%B4%A6-/);
    const rows = await rowsOf(cases.body as Buffer);
    expect(rows[0]).toEqual(expect.arrayContaining(['案件编号', '立案日期', '挽回损失（分）']));
    expect(rows).toHaveLength(CASES + 1);
    const fenColumn = (rows[0] as string[]).indexOf('挽回损失（分）');
    expect(rows.slice(1).reduce((s, r) => s + Number(r[fenColumn]), 0)).toBe(TOTAL_FEN + 1);

    const recoveries = await rowsOf((await t.http().get('/api/ledgers/recoveries.xlsx').set(bearer(admin)).buffer(true).parse(binary).expect(200)).body as Buffer);
    expect(recoveries).toHaveLength(CASES * 2 + 2);
    // an agency user gets its own agency's recoveries and cases only
    const own = await rowsOf((await t.http().get('/api/ledgers/recoveries.xlsx').set(bearer(audit)).buffer(true).parse(binary).expect(200)).body as Buffer);
    const agencyColumn = (own[0] as string[]).indexOf('挽损单位');
    expect(own.length).toBeGreaterThan(1);
    expect(new Set(own.slice(1).map((r) => r[agencyColumn]))).toEqual(new Set(['县审计局']));
    const ownCases = await rowsOf((await t.http().get('/api/ledgers/cases.xlsx').set(bearer(audit)).buffer(true).parse(binary).expect(200)).body as Buffer);
    expect(ownCases.length - 1).toBe(Array.from({ length: CASES }, (_, i) => AGENCIES[i % AGENCIES.length]).filter((a) => a === '县审计局').length);

    for (const kind of ['leads', 'supervision-items']) {
      const file = await t.http().get(`/api/ledgers/${kind}.xlsx`).set(bearer(admin)).buffer(true).parse(binary).expect(200);
      expect((await rowsOf(file.body as Buffer)).length).toBeGreaterThanOrEqual(1);
    }
  });

  it('refuses imports by anyone but the office, and bodies that are not ledger files', async () => {
    await upload('原编号\n1\n', 'text/csv', '?kind=cases', audit).expect(403);
    await upload('原编号\n1\n', 'text/csv', '?kind=cases', leader).expect(403);
    const json = await t.http().post('/api/ledgers/import').set(bearer(admin)).send({ a: 1 }).expect(415);
    expect(json.body.errors).toEqual([{ field: 'Content-Type', message: '不支持的类型' }]);
    const noKind = await upload('原编号\n1\n', 'text/csv').expect(400);
    expect(noKind.body.errors).toEqual([{ field: 'kind', message: '必填' }]);
    const garbage = await upload(Buffer.from('not a zip'), XLSX).expect(422);
    expect(garbage.body.errors).toEqual([{ field: 'file', message: '无法读取' }]);
    const unknownColumn = await upload('原编号,案件名称,颜色\n', 'text/csv', '?kind=cases').expect(422);
    expect(unknownColumn.body.errors).toEqual([{ field: 'row 1: 颜色', message: '无法识别的列“颜色”' }]);
  });
});
