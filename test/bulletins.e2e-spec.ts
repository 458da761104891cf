import JSZip from 'jszip';
import type { Response } from 'supertest';
import { ADMIN_PASSWORD, bearer, leadBody, leaderToken, login, shanghaiToday, startTestApp, userToken, type TestApp } from './support/test-app';

/** Collects a binary response body (supertest buffers only text by default). */
export const binary = (res: Response, done: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/**
 * 《案情专报》 over HTTP: a major case filed through the API, a bulletin drafted from its history, edited,
 * signed (签发) by the leader, issued as 〔year〕第1期, immutable afterwards, corrected by a new bulletin,
 * and downloaded as DOCX (read back with jszip) and printable HTML — never with the informant in it.
 */
describe('《案情专报》 special case bulletins over HTTP', () => {
  let t: TestApp;
  let office: string;
  let leader: string;
  let auditor: string;
  let audit: string;
  let police: string;
  const today = shanghaiToday();
  const year = today.slice(0, 4);
  const INFORMANT = '举报人李某某';
  const INFORMANT_PHONE = '13912345678';
  const AMOUNT = '1,280,000.50元（128.00005万元）';
  let caseId: string;
  let minorCaseId: string;
  let bulletinId: string;

  beforeAll(async () => {
    t = await startTestApp();
    office = await login(t, 'admin', ADMIN_PASSWORD);
    leader = await leaderToken(t, office, 'secretary', 'group-leader');
    auditor = await userToken(t, office, 'inspector', 'auditor');
    audit = await userToken(t, office, 'audit-clerk', 'agency', 'audit-bureau');
    police = await userToken(t, office, 'police-clerk', 'agency', 'public-security');

    // a lead with a confidential informant, its disposition, and a major case filed from it
    const lead = await t.http().post('/api/leads').set(bearer(audit)).send(leadBody({ informant: { name: INFORMANT, contact: INFORMANT_PHONE } })).expect(201);
    await t.http().post(`/api/leads/${lead.body.id}/disposition`).set(bearer(audit)).send({ method: 'preliminary-verification', rationale: '线索具体，具有可查性' }).expect(200);
    const filed = await t
      .http()
      .post('/api/cases')
      .set(bearer(office))
      .send({ title: '王某某受贿案', leadIds: [lead.body.id], leadAgency: 'audit-bureau', coAgencies: ['public-security'], filedOn: today, major: true })
      .expect(201);
    caseId = filed.body.id;
    await t.http().post(`/api/cases/${caseId}/progress-reports`).set(bearer(audit)).send({ stage: 'investigation', summary: '已查明收受好处费30万元', reportedOn: today }).expect(201);
    await t.http().post(`/api/cases/${caseId}/recoveries`).set(bearer(audit)).send({ amountFen: 120_000_000, category: 'confiscation', agency: 'audit-bureau', recoveredOn: today }).expect(201);
    await t.http().post(`/api/cases/${caseId}/recoveries`).set(bearer(police)).send({ amountFen: 8_000_050, category: 'restitution', agency: 'public-security', recoveredOn: today }).expect(201);
    await t.http().post(`/api/cases/${caseId}/sanctions`).set(bearer(office)).send({ personName: '王某某', kind: 'party-discipline', level: 'expulsion', decidedOn: today }).expect(201);

    const lead2 = await t.http().post('/api/leads').set(bearer(audit)).send(leadBody({ subject: { name: '赵某', post: '科员', unit: '县财政局' } })).expect(201);
    const minor = await t.http().post('/api/cases').set(bearer(office)).send({ title: '赵某违纪案', leadIds: [lead2.body.id], leadAgency: 'audit-bureau', coAgencies: [], filedOn: today }).expect(201);
    minorCaseId = minor.body.id;
  });

  afterAll(async () => {
    await t.destroy();
  });

  it('only major or difficult cases can have a bulletin; only the office drafts', async () => {
    const refused = await t.http().post(`/api/cases/${minorCaseId}/bulletins`).set(bearer(office)).send({}).expect(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'case-not-eligible', errors: [{ field: 'caseId' }] });
    await t.http().post(`/api/cases/${caseId}/bulletins`).set(bearer(leader)).send({}).expect(403);
    await t.http().post(`/api/cases/${caseId}/bulletins`).set(bearer(audit)).send({}).expect(403);
    const missing = await t.http().post('/api/cases/00000000-0000-4000-8000-000000000000/bulletins').set(bearer(office)).send({}).expect(404);
    expect(missing.body.code).toBe('case-not-found');
  });

  it('drafts from the case history (person, source, disposition, facts, sanctions, exact amount) — never the informant', async () => {
    const res = await t.http().post(`/api/cases/${caseId}/bulletins`).set(bearer(office)).send({}).expect(201);
    expect(res.headers.etag).toBe('"1"');
    bulletinId = res.body.id;
    const { content } = res.body;
    expect(content.title).toBe('关于王某某受贿案有关情况的专报');
    expect(content.sections.subject).toBe('王某某，县住建局局长。');
    expect(content.sections.source).toContain('审计发现');
    expect(content.sections.disposition).toContain('初步核实');
    expect(content.sections.disposition).toContain('由县审计局主办，县公安局协办，列为重大案件');
    expect(content.sections.facts).toContain('已查明收受好处费30万元');
    expect(content.sections.sanctions).toContain('党纪处分（开除党籍）');
    expect(content.sections.recovered).toContain(AMOUNT);
    expect(content.sections.recovered).toContain('追缴1,200,000.00元（120万元）');
    expect(res.text).not.toContain(INFORMANT);
    expect(res.text).not.toContain(INFORMANT_PHONE);

    // the source row it was assembled from has no informant either
    const source = await t.http().get(`/api/cases/${caseId}/bulletin-source`).set(bearer(office)).expect(200);
    expect(source.text).not.toContain(INFORMANT);
    expect(source.text).not.toContain(INFORMANT_PHONE);
    expect(JSON.stringify(Object.keys(source.body))).not.toMatch(/informant/i);
  });

  it('the office edits the draft with If-Match; a stale version is refused', async () => {
    const edited = await t
      .http()
      .patch(`/api/bulletins/${bulletinId}`)
      .set(bearer(office))
      .set('if-match', '"1"')
      .send({ sections: { nextSteps: '督促县审计局于月底前报送审理意见。' } })
      .expect(200);
    expect(edited.body).toMatchObject({ revision: 2, version: 2 });
    const stale = await t.http().patch(`/api/bulletins/${bulletinId}`).set(bearer(office)).set('if-match', '"1"').send({ title: '另一个标题' }).expect(409);
    expect(stale.body.code).toBe('version-conflict');
    const bad = await t.http().patch(`/api/bulletins/${bulletinId}`).set(bearer(office)).send({ sections: { informant: 'x' } }).expect(400);
    expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'sections.informant' })]));

    const detail = await t.http().get(`/api/bulletins/${bulletinId}`).set(bearer(leader)).expect(200);
    expect(detail.headers.etag).toBe('"2"');
    expect(detail.body).toMatchObject({ status: 'draft', revision: 2, caseId, approval: null, issue: null });
    expect(detail.body.content.sections.nextSteps).toBe('督促县审计局于月底前报送审理意见。');
  });

  it('the leader signs (签发); nobody else can, and an unsigned draft is not issued', async () => {
    const early = await t.http().post(`/api/bulletins/${bulletinId}/issue`).set(bearer(office)).send({ distribution: { mainTo: ['县委'] } }).expect(409);
    expect(early.body.code).toBe('bulletin-not-approved');
    await t.http().post(`/api/bulletins/${bulletinId}/approve`).set(bearer(office)).send({}).expect(403);
    await t.http().post(`/api/bulletins/${bulletinId}/approve`).set(bearer(auditor)).send({}).expect(403);
    // within leadership only the 组长 signs: a 副组长, a reader, and an untitled leadership account are refused
    const deputy = await leaderToken(t, office, 'deputy-leader', 'deputy');
    const reader = await leaderToken(t, office, 'county-reader', 'reader');
    const untitled = await userToken(t, office, 'old-leader', 'leadership');
    for (const token of [deputy, reader, untitled]) {
      const refused = await t.http().post(`/api/bulletins/${bulletinId}/approve`).set(bearer(token)).send({}).expect(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body.code).toBe('group-leader-only');
    }
    // a title is for leadership accounts only
    const wrongTitle = await t.http().post('/api/users').set(bearer(office)).send({ username: 'clerk-x', password: 'clerk-x-password-123', role: 'auditor', leadershipRole: 'group-leader' }).expect(422);
    expect(wrongTitle.body.errors).toEqual([expect.objectContaining({ field: 'leadershipRole' })]);
    const old = await t.http().post(`/api/bulletins/${bulletinId}/approve`).set(bearer(leader)).send({ revision: 1 }).expect(409);
    expect(old.body.code).toBe('bulletin-revision-changed');
    const signed = await t.http().post(`/api/bulletins/${bulletinId}/approve`).set(bearer(leader)).send({ revision: 2, signerName: '张书记', opinion: '同意，报县委。' }).expect(200);
    expect(signed.body).toMatchObject({ status: 'approved', version: 3 });
  });

  it('issues as 〔year〕第1期 with its distribution; afterwards the text is immutable (409)', async () => {
    const bad = await t.http().post(`/api/bulletins/${bulletinId}/issue`).set(bearer(office)).send({ distribution: { mainTo: [] } }).expect(400);
    expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'distribution.mainTo' })]));
    await t.http().post(`/api/bulletins/${bulletinId}/issue`).set(bearer(leader)).send({ distribution: { mainTo: ['县委'] } }).expect(403);

    const issued = await t
      .http()
      .post(`/api/bulletins/${bulletinId}/issue`)
      .set(bearer(office))
      .send({ distribution: { mainTo: ['县委', '县人大常委会'], copyTo: ['县政府', '县政协'] } })
      .expect(200);
    expect(issued.body).toMatchObject({ status: 'issued', year: Number(year), seq: 1, issueNo: `〔${year}〕第1期`, issuedOn: today });

    const edit = await t.http().patch(`/api/bulletins/${bulletinId}`).set(bearer(office)).send({ title: '改' }).expect(409);
    expect(edit.body.code).toBe('bulletin-issued');
    const resign = await t.http().post(`/api/bulletins/${bulletinId}/approve`).set(bearer(leader)).send({}).expect(409);
    expect(resign.body.code).toBe('bulletin-issued');
    const again = await t.http().post(`/api/bulletins/${bulletinId}/issue`).set(bearer(office)).send({ distribution: { mainTo: ['县委'] } }).expect(409);
    expect(again.body.code).toBe('bulletin-already-issued');

    const register = await t.http().get(`/api/bulletins?year=${year}&minPosition=${issued.body.position}`).set(bearer(auditor)).expect(200);
    expect(register.body.items).toEqual([
      expect.objectContaining({ bulletinId, issueNo: `〔${year}〕第1期`, seq: 1, status: 'issued', approvedBy: '张书记', distribution: { mainTo: ['县委', '县人大常委会'], copyTo: ['县政府', '县政协'] } }),
    ]);

    const history = await t.http().get(`/api/bulletins/${bulletinId}/history`).set(bearer(auditor)).expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['bulletin.drafted', 'bulletin.draft-revised', 'bulletin.approved', 'bulletin.issued']);
    expect(history.body.events[2]).toMatchObject({ label: '组长签发', actor: { username: 'secretary', role: 'leadership' } });
  });

  it('a correction is a new bulletin referring to the issued one, which stays as it was', async () => {
    const draftCorrection = await t.http().post(`/api/bulletins/${minorCaseId}/corrections`).set(bearer(office)).send({ reason: 'x' }).expect(404);
    expect(draftCorrection.body.code).toBe('bulletin-not-found');
    const res = await t
      .http()
      .post(`/api/bulletins/${bulletinId}/corrections`)
      .set(bearer(office))
      .send({ reason: '退赔金额有误', sections: { recovered: '截至目前，共挽回经济损失1,280,000.00元（128万元）。' } })
      .expect(201);
    expect(res.body).toMatchObject({ status: 'draft', correctsBulletinId: bulletinId, correctsIssueNo: `〔${year}〕第1期` });
    const correctionId: string = res.body.id;
    expect(correctionId).not.toBe(bulletinId);

    const correction = await t.http().get(`/api/bulletins/${correctionId}`).set(bearer(office)).expect(200);
    expect(correction.body).toMatchObject({ corrects: { bulletinId, issueNo: `〔${year}〕第1期`, reason: '退赔金额有误' }, issue: null });
    expect(correction.body.content.title).toBe('关于王某某受贿案有关情况的专报（更正）');
    expect(correction.body.content.sections.nextSteps).toBe('督促县审计局于月底前报送审理意见。');

    const original = await t.http().get(`/api/bulletins/${bulletinId}?minPosition=${res.body.position}`).set(bearer(office)).expect(200);
    expect(original.body).toMatchObject({ status: 'issued', correctedBy: [correctionId], version: 4 });
    expect(original.body.content.sections.recovered).toContain(AMOUNT);

    // a draft cannot be "corrected": it is edited
    const notIssued = await t.http().post(`/api/bulletins/${correctionId}/corrections`).set(bearer(office)).send({ reason: 'x' }).expect(409);
    expect(notIssued.body.code).toBe('bulletin-not-issued');
  });

  it('downloads the issued bulletin as a DOCX in 公文格式 (read back with jszip) without the informant', async () => {
    const res = await t.http().get(`/api/bulletins/${bulletinId}.docx`).set(bearer(leader)).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const disposition = res.headers['content-disposition'] as string;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe(`案情专报〔${year}〕第1期.docx`);

    const zip = await JSZip.loadAsync(res.body as Buffer);
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    for (const text of [`〔${year}〕第1期`, '案情专报', 'XX县反腐败协调小组', '签发人：', '张书记', '关于王某某受贿案有关情况的专报', '王某某，县住建局局长。', AMOUNT, '主送：县委，县人大常委会。', '抄送：县政府，县政协。']) {
      expect(xml).toContain(text);
    }
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('w:color w:val="FF0000"');
    const everything = await Promise.all(Object.values(zip.files).filter((f) => !f.dir).map((f) => f.async('string')));
    for (const part of everything) {
      expect(part).not.toContain(INFORMANT);
      expect(part).not.toContain(INFORMANT_PHONE);
    }
  });

  it('downloads printable HTML (A4 print stylesheet); agencies may not download', async () => {
    const res = await t.http().get(`/api/bulletins/${bulletinId}.html`).set(bearer(auditor)).expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(decodeURIComponent((res.headers['content-disposition'] as string).split("UTF-8''")[1])).toBe(`案情专报〔${year}〕第1期.html`);
    expect(res.text).toContain('@page { size: A4;');
    expect(res.text).toContain('@media print');
    expect(res.text).toContain(`〔${year}〕第1期`);
    expect(res.text).toContain(AMOUNT);
    expect(res.text).not.toContain(INFORMANT);
    await t.http().get(`/api/bulletins/${bulletinId}.html`).set(bearer(audit)).expect(403);
    await t.http().get(`/api/bulletins/${bulletinId}.docx`).set(bearer(police)).expect(403);
    await t.http().get('/api/bulletins/00000000-0000-4000-8000-000000000000.docx').set(bearer(office)).expect(404);
    await t.http().get('/api/bulletins').set(bearer(audit)).expect(403);
  });
});
