import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, ARTIFACTS, ROOT, USER_PASSWORD, PageWatch, apiCall, choose, launchChromium, newPage, pickDate, screenshot, signIn, startBuiltApi, token, type RunningApi } from './support/console-app';

const shanghaiToday = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const plusDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/**
 * The meetings (联席会议) and 《案情专报》 pages in Debian's chromium against the built api: a meeting walked
 * from scheduling to a passed decision whose task appears on the supervision board, and a bulletin drafted,
 * signed by the 组长 and issued with its number, its DOCX downloaded from the page. Same watch as the main
 * suite: no console error (except the refusals provoked on purpose), no request outside /api.
 */
jest.setTimeout(180_000);

describe('meetings and 《案情专报》 in a real browser', () => {
  let api: RunningApi;
  let browser: Browser;
  let userDataDir: string;
  let watch: PageWatch;
  const contexts: BrowserContext[] = [];
  let today = shanghaiToday();
  let adminToken: string;
  let caseId = '';

  const signedIn = async (name: string, username: string, password = USER_PASSWORD): Promise<Page> => {
    const c = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', baseURL: api.baseUrl, acceptDownloads: true });
    contexts.push(c);
    const page = await newPage(c, watch, name);
    await signIn(page, api.baseUrl, username, password);
    return page;
  };

  beforeAll(async () => {
    api = await startBuiltApi();
    // 422: the late topic without a justification; 409: the leader before the others, the decision before the statements
    watch = new PageWatch(api.baseUrl, [409, 422]);
    ({ browser, userDataDir } = await launchChromium());
    adminToken = await token(api.baseUrl, 'admin', ADMIN_PASSWORD);
    await apiCall(api.baseUrl, 'POST', '/api/users', adminToken, { username: 'audit-clerk', password: USER_PASSWORD, role: 'agency', agency: 'audit-bureau' });
    await apiCall(api.baseUrl, 'POST', '/api/users', adminToken, { username: 'zuzhang', password: USER_PASSWORD, role: 'leadership', leadershipRole: 'group-leader' });
    // a major case to report on (its lead and filing are the main suite's subject, so done through the API here)
    const audit = await token(api.baseUrl, 'audit-clerk', USER_PASSWORD);
    const lead = await apiCall<{ id: string }>(api.baseUrl, 'POST', '/api/leads', audit, {
      source: 'audit-finding',
      reportingAgency: 'audit-bureau',
      subject: { name: '钱某', post: '主任', unit: '县交通运输局' },
      allegation: '虚报工程量套取资金',
      receivedOn: plusDays(today, -10),
    });
    await apiCall(api.baseUrl, 'POST', `/api/leads/${lead.id}/disposition`, audit, { method: 'preliminary-verification', rationale: '线索具体，具有可查性' });
    const filed = await apiCall<{ id: string }>(api.baseUrl, 'POST', '/api/cases', adminToken, { title: '钱某贪污案', leadIds: [lead.id], leadAgency: 'audit-bureau', coAgencies: [], filedOn: today, major: true });
    caseId = filed.id;
    expect(caseId).toMatch(/^[0-9a-f-]{36}$/);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await api?.stop();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    today = shanghaiToday();
  });

  afterEach(() => {
    expect(watch.problems.splice(0)).toEqual([]);
  });

  it('a meeting: schedule, topics (a late one needs its justification), convene, statements with the leader last, a passed decision on the board', async () => {
    const office = await signedIn('office-meeting', 'admin', ADMIN_PASSWORD);
    await office.getByRole('menuitem', { name: '联席会议' }).click();
    await office.getByRole('button', { name: '安排会议' }).click();
    const schedule = office.getByRole('dialog', { name: '安排联席会议' });
    await schedule.getByLabel('会议名称').fill('工程建设领域腐败问题专题会议');
    await schedule.getByRole('button', { name: /确\s?定/ }).click();
    await office.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
    const meetingId = office.url().split('/').pop() as string;

    const submitTopic = async (title: string, justification?: string) => {
      await office.getByRole('button', { name: '提交议题' }).click();
      const d = office.getByRole('dialog', { name: '提交议题' });
      await choose(office, d, '提出单位', '县审计局');
      await d.getByLabel('议题', { exact: true }).fill(title);
      await d.getByLabel('议题内容').fill(`${title}的情况和建议`);
      if (justification) await d.getByLabel('临时动议理由').fill(justification);
      await d.getByRole('button', { name: /确\s?定/ }).click();
      return d;
    };
    await submitTopic('工程审计发现问题线索通报');
    await office.getByRole('cell', { name: '工程审计发现问题线索通报', exact: true }).waitFor();

    await office.getByRole('button', { name: '召开会议（登记出席）' }).click();
    const convene = office.getByRole('dialog', { name: '召开会议（登记出席）' });
    for (const absent of ['县财政局', '县人力资源和社会保障局', '县委政法委']) await convene.getByLabel(absent).uncheck();
    await convene.getByRole('button', { name: /确\s?定/ }).click();
    await office.getByTestId('attendance').filter({ hasText: '出席 7 / 应到 10' }).waitFor();

    // in session every new topic is a 临时动议: the API's message appears under the justification field
    const late = await submitTopic('招投标专项整治');
    const justificationItem = late.locator('.ant-form-item', { has: office.getByLabel('临时动议理由') });
    await justificationItem.locator('.ant-form-item-explain-error').filter({ hasText: '临时动议须说明理由' }).waitFor();
    await late.getByLabel('临时动议理由').fill('近期审计发现招投标问题集中，需本次会议研究');
    await late.getByRole('button', { name: /确\s?定/ }).click();
    await office.getByRole('row').filter({ hasText: '招投标专项整治' }).getByText('临时动议').waitFor();

    await office.getByRole('button', { name: '提出决定事项' }).click();
    const propose = office.getByRole('dialog', { name: '提出决定事项' });
    await propose.getByLabel('决定事项').fill('开展工程建设项目招投标专项整治');
    await propose.getByLabel('任务1', { exact: true }).fill('牵头开展招投标专项审计');
    await choose(office, propose, '任务1承办单位', '县审计局');
    await pickDate(propose, '任务1办结时限', plusDays(today, 30));
    await propose.getByRole('button', { name: /确\s?定/ }).click();
    const decision = office.getByTestId('decision');
    await decision.waitFor();

    // the decision cannot be taken before everyone present has stated: the API's words are shown
    await decision.getByRole('button', { name: /作出决定/ }).click();
    await decision.getByTestId('take-refusal').filter({ hasText: '尚有出席单位未表态' }).waitFor();

    const state = async (agency: string, reason: string) => {
      const form = office.getByTestId(`statement-form-${agency}`);
      // the previous row's dropdown must be gone, or its fading options would take the click
      for (let i = 0; i < 40 && (await office.locator('.ant-select-dropdown:visible').count()) > 0; i++) await office.waitForTimeout(50);
      await choose(office, form, '表态', '同意');
      await form.getByLabel('理由').fill(reason);
      await form.getByRole('button', { name: '记录表态' }).click();
    };
    // the principal leader (县纪委) first is refused: the leader states last
    await state('discipline-commission', '同意开展专项整治');
    await office.locator('.ant-message').getByText(/主要领导须最后表态/).waitFor();
    for (const agency of ['organization-dept', 'public-security', 'court', 'procuratorate', 'supervision-bureau', 'audit-bureau']) {
      await state(agency, '同意');
      await office.getByTestId(`statement-form-${agency}`).waitFor({ state: 'detached' });
    }
    await state('discipline-commission', '同意，由审计局牵头');
    await office.getByTestId('statement-form-discipline-commission').waitFor({ state: 'detached' });
    await screenshot(office, '20-meeting-statements');

    await decision.getByRole('button', { name: /作出决定/ }).click();
    await decision.getByTestId('decision-result').filter({ hasText: '通过' }).waitFor();
    await expect(decision.getByTestId('decision-counts').textContent()).resolves.toContain('同意 7，不同意 0，缓议 0；出席 7 / 应到 10');
    await office.getByTestId('timeline-entry').filter({ hasText: '作出决定' }).waitFor();
    await screenshot(office, '21-meeting-decision');
    copyFileSync(join(ARTIFACTS, '21-meeting-decision.png'), join(ROOT, 'docs', 'screenshots', 'meeting-decision.png'));

    // the passed decision's task becomes a supervision item (the process manager follows the log)
    await office.getByRole('menuitem', { name: '督办看板' }).click();
    const card = office.getByTestId('board-item').filter({ hasText: '牵头开展招投标专项审计' });
    for (let i = 0; i < 20 && (await card.count()) === 0; i++) {
      await office.waitForTimeout(500);
      await office.getByRole('button', { name: /刷\s?新/ }).click();
    }
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain('县审计局');
    const items = await apiCall<{ items: { origin: string }[] }>(api.baseUrl, 'GET', '/api/supervision-items', adminToken);
    expect(items.items.map((i) => i.origin)).toContain('meeting-decision');

    // minutes and close
    await office.goto(`/meetings/${meetingId}`);
    await office.getByRole('button', { name: '记录会议纪要' }).click();
    const minutes = office.getByRole('dialog', { name: '记录会议纪要' });
    await minutes.getByLabel('会议纪要').fill('会议研究决定开展工程建设项目招投标专项整治。');
    await minutes.getByRole('button', { name: /确\s?定/ }).click();
    await office.getByRole('button', { name: '结束会议' }).click();
    await office.getByTestId('meeting-status').filter({ hasText: '已结束' }).waitFor();
    await office.getByRole('menuitem', { name: '联席会议' }).click();
    await office.getByRole('link', { name: '工程建设领域腐败问题专题会议' }).waitFor();
    await screenshot(office, '22-meetings-register');
  });

  it('a bulletin: drafted from the major case, signed by the 组长, issued as 〔year〕第1期, its DOCX downloaded', async () => {
    const office = await signedIn('office-bulletin', 'admin', ADMIN_PASSWORD);
    await office.getByRole('menuitem', { name: '案情专报' }).click();
    await office.getByRole('button', { name: '拟写专报' }).click();
    const draft = office.getByRole('dialog', { name: '拟写《案情专报》' });
    await choose(office, draft, '案件', 'AJ-\\d{4}-\\d{4} 钱某贪污案（重大）');
    await draft.getByRole('button', { name: /拟\s?稿/ }).click();
    await office.waitForURL(/\/bulletins\/[0-9a-f-]{36}$/);
    const bulletinId = office.url().split('/').pop() as string;
    await office.getByTestId('bulletin-text').getByText('钱某').first().waitFor();

    await office.getByRole('button', { name: '修改草稿' }).click();
    await office.getByLabel('九、下一步工作').fill('继续追缴违纪所得，年底前审结。');
    await office.getByRole('button', { name: /保\s?存/ }).click();
    await office.getByText('继续追缴违纪所得，年底前审结。').waitFor();
    await office.getByText(/^第 2 稿 · 版本/).waitFor();

    const leader = await signedIn('leader-bulletin', 'zuzhang');
    await leader.goto(`/bulletins/${bulletinId}`);
    await leader.getByRole('button', { name: /签\s?发/ }).first().click();
    const approve = leader.getByRole('dialog', { name: '组长签发' });
    await approve.getByLabel('签发人姓名').fill('李组长');
    await approve.getByRole('button', { name: /签\s?发/ }).click();
    await leader.getByTestId('bulletin-status').filter({ hasText: '已签发' }).waitFor();

    await office.reload();
    await office.getByRole('button', { name: /印\s?发/ }).first().click();
    const issue = office.getByRole('dialog', { name: '印发' });
    const mainTo = issue.getByLabel('主送', { exact: true });
    await mainTo.fill('县委主要领导');
    await mainTo.press('Enter');
    const copyTo = issue.getByLabel('抄送', { exact: true });
    await copyTo.fill('县纪委监委');
    await copyTo.press('Enter');
    await issue.getByRole('button', { name: /印\s?发/ }).click();
    const year = today.slice(0, 4);
    await office.getByTestId('bulletin-number').filter({ hasText: `〔${year}〕第1期` }).waitFor();
    await office.getByText('县委主要领导').waitFor();
    await screenshot(office, '23-bulletin-issued');
    copyFileSync(join(ARTIFACTS, '23-bulletin-issued.png'), join(ROOT, 'docs', 'screenshots', 'bulletin-issued.png'));

    // the page's download button gives the Word file, a zip (DOCX) of the document
    const [file] = await Promise.all([office.waitForEvent('download'), office.getByTestId('download-docx').click()]);
    expect(file.suggestedFilename()).toBe(`案情专报〔${year}〕第1期.docx`);
    const saved = join(ARTIFACTS, 'bulletin.docx');
    await file.saveAs(saved);
    expect(readFileSync(saved).subarray(0, 2).toString('latin1')).toBe('PK');
    const res = await fetch(`${api.baseUrl}/api/bulletins/${bulletinId}.docx`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(res.headers.get('content-type')).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document');

    await office.getByRole('menuitem', { name: '案情专报' }).click();
    await office.getByRole('link', { name: `〔${year}〕第1期` }).waitFor();
    await screenshot(office, '24-bulletin-register');
  });
});
