import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ADMIN_PASSWORD,
  USER_PASSWORD,
  PageWatch,
  apiCall,
  choose,
  launchChromium,
  newPage,
  pickDate,
  screenshot,
  signIn,
  startBuiltApi,
  token,
  type RunningApi,
} from './support/console-app';

const shanghaiToday = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const plusDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/**
 * The web console in Debian's chromium against the built api process: the coordination flow as the
 * people do it (agency registers, office transfers, the receiving agency signs for and accepts it, the
 * office files a case, a recovery is booked, the leadership dashboard moves), the supervision board's
 * overdue highlighting and the overdue list, and a stale edit from a second tab. Every page is watched:
 * no console error, no request outside the console's own files and /api.
 */
jest.setTimeout(180_000);

describe('web console in a real browser', () => {
  let api: RunningApi;
  let browser: Browser;
  let userDataDir: string;
  let watch: PageWatch;
  const contexts: BrowserContext[] = [];
  // taken per scenario: a run that crosses midnight in Shanghai must not send yesterday's date as today
  let today = shanghaiToday();
  let tomorrow = plusDays(today, 1);
  let adminToken: string;
  let leadId = '';
  let ledgerNo = '';
  let caseId = '';

  const context = async (width = 1366, height = 768): Promise<BrowserContext> => {
    const c = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', baseURL: api.baseUrl });
    contexts.push(c);
    return c;
  };
  const signedIn = async (name: string, username: string, password = USER_PASSWORD, width?: number, height?: number): Promise<Page> => {
    const page = await newPage(await context(width, height), watch, name);
    await signIn(page, api.baseUrl, username, password);
    return page;
  };

  beforeAll(async () => {
    api = await startBuiltApi();
    watch = new PageWatch(api.baseUrl);
    ({ browser, userDataDir } = await launchChromium());
    adminToken = await token(api.baseUrl, 'admin', ADMIN_PASSWORD);
    for (const [username, role, agency] of [
      ['audit-clerk', 'agency', 'audit-bureau'],
      ['police-clerk', 'agency', 'public-security'],
      ['secretary', 'leadership', undefined],
    ] as const) {
      await apiCall(api.baseUrl, 'POST', '/api/users', adminToken, { username, password: USER_PASSWORD, role, ...(agency ? { agency } : {}) });
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await api?.stop();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    today = shanghaiToday();
    tomorrow = plusDays(today, 1);
  });

  afterEach(() => {
    // checked after every scenario so a failure names the scenario that caused it
    expect(watch.problems.splice(0)).toEqual([]);
  });

  it('an agency registers a lead: the form shows the API’s own messages on the fields, then the lead', async () => {
    const page = await signedIn('audit', 'audit-clerk');
    await screenshot(page, '01-agency-home');
    await page.getByRole('menuitem', { name: '登记线索' }).click();
    await page.getByRole('button', { name: '登 记' }).or(page.getByRole('button', { name: '登记' })).click();

    // the messages the API gives for exactly what the empty form sends
    const refused = await apiCall<{ errors: { field: string; message: string }[] }>(api.baseUrl, 'POST', '/api/leads', await token(api.baseUrl, 'audit-clerk', USER_PASSWORD), {
      reportingAgency: 'audit-bureau',
      subject: { name: '', post: '', unit: '' },
      allegation: '',
      important: false,
    });
    expect(refused.errors.length).toBeGreaterThan(2);
    const shown = page.locator('.ant-form-item-explain-error');
    await shown.first().waitFor();
    expect((await shown.allTextContents()).sort()).toEqual(refused.errors.map((e) => e.message).sort());
    // the subject's name carries its own message, under its own field
    const nameError = refused.errors.find((e) => e.field === 'subject.name');
    expect(nameError).toBeDefined();
    await expect(page.locator('.ant-form-item', { has: page.getByLabel('被反映人姓名', { exact: true }) }).locator('.ant-form-item-explain-error').textContent()).resolves.toBe(nameError?.message);
    await screenshot(page, '02-register-lead-errors');

    await choose(page, page, '线索来源', '审计发现');
    await page.getByLabel('被反映人姓名', { exact: true }).fill('王某某');
    await page.getByLabel('单位', { exact: true }).fill('县住建局');
    await page.getByLabel('职务', { exact: true }).fill('局长');
    await pickDate(page, '受理日期', plusDays(today, -7));
    await page.getByLabel('反映问题摘要', { exact: true }).fill('在工程招投标中收受好处费');
    await page.getByRole('button', { name: /登\s?记/ }).last().click();
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    leadId = page.url().split('/').pop() as string;
    const title = page.getByText(/问题线索 LC-\d{4}-\d{4}/);
    await title.waitFor();
    ledgerNo = /LC-\d{4}-\d{4}/.exec((await title.textContent()) ?? '')?.[0] ?? '';
    expect(ledgerNo).toMatch(/^LC-/);
    await page.getByTestId('timeline-entry').filter({ hasText: '登记线索' }).waitFor();
    await screenshot(page, '03-lead-detail');
  });

  it('the office finds it in the ledger and transfers it; the receiving agency signs for it and accepts it', async () => {
    const office = await signedIn('office', 'admin', ADMIN_PASSWORD);
    await office.getByRole('menuitem', { name: '线索台账' }).click();
    await office.getByLabel('搜索线索').fill('王某某');
    await office.getByRole('link', { name: ledgerNo }).click();
    await office.getByRole('button', { name: '移 送' }).or(office.getByRole('button', { name: '移送' })).click();
    const dialog = office.getByRole('dialog', { name: '线索移送' });
    await choose(office, dialog, '移送至', '县公安局');
    await dialog.getByLabel('移送函文号').fill('县纪移〔2026〕1号');
    await dialog.getByLabel('移送理由').fill('涉嫌职务犯罪，移送公安机关');
    await dialog.getByRole('button', { name: /确\s?定/ }).click();
    await office.getByText('待签收').first().waitFor();
    await screenshot(office, '04-lead-transferred');

    const police = await signedIn('police', 'police-clerk');
    await police.getByRole('menuitem', { name: '待办移送' }).click();
    const row = police.getByRole('row').filter({ hasText: ledgerNo });
    await row.getByRole('button', { name: /签\s?收/ }).click();
    await row.getByRole('button', { name: /接\s?收/ }).waitFor();
    await screenshot(police, '05-incoming-transfers');
    await row.getByRole('button', { name: /接\s?收/ }).click();
    await police.getByRole('row').filter({ hasText: ledgerNo }).waitFor({ state: 'detached' });

    const lead = await apiCall<{ holderAgency: string; status: string }>(api.baseUrl, 'GET', `/api/leads/${leadId}`, adminToken);
    expect(lead).toMatchObject({ holderAgency: 'public-security', status: 'registered' });
  });

  it('the office files a case, the agency books a recovery, and the leadership dashboard’s totals change with it', async () => {
    const leader = await signedIn('leader', 'secretary', USER_PASSWORD, 1920, 1080);
    await leader.getByRole('menuitem', { name: '领导驾驶舱' }).click();
    const total = leader.getByTestId('dashboard-recovered-total');
    await expect(total.locator('.ant-statistic-content').textContent().then((t) => t?.trim())).resolves.toBe('0.00 元');

    const office = await signedIn('office-case', 'admin', ADMIN_PASSWORD);
    await office.goto(`/leads/${leadId}`);
    await office.getByRole('button', { name: /立\s?案/ }).click();
    const dialog = office.getByRole('dialog', { name: '立案' });
    await dialog.getByLabel('案件名称').fill('王某某受贿案');
    await pickDate(dialog, '立案日期', today);
    await dialog.getByText('重大案件').click();
    await dialog.getByRole('button', { name: /确\s?定/ }).click();
    await office.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    caseId = office.url().split('/').pop() as string;
    await office.getByText(/AJ-\d{4}-\d{4} 王某某受贿案/).waitFor();

    const police = await signedIn('police-case', 'police-clerk');
    await police.getByRole('menuitem', { name: '我的案件' }).click();
    await police.getByRole('link', { name: /AJ-/ }).first().click();
    await police.waitForURL(`**/cases/${caseId}`);
    await police.getByRole('button', { name: '登记挽损' }).click();
    const rec = police.getByRole('dialog', { name: '登记挽回经济损失' });
    await rec.getByLabel('金额（元）').fill('12345.67');
    await choose(police, rec, '类别', '追缴');
    await pickDate(rec, '追缴日期', today);
    await rec.getByRole('button', { name: /确\s?定/ }).click();
    await expect(police.getByTestId('case-recovered').filter({ hasText: '12,345.67 元' }).waitFor()).resolves.toBeUndefined();
    await police.getByTestId('timeline-entry').filter({ hasText: '挽回经济损失' }).waitFor();
    await screenshot(police, '06-case-detail');

    await leader.getByRole('button', { name: /刷\s?新/ }).click();
    await total.filter({ hasText: '12,345.67 元' }).waitFor();
    await leader.getByTestId(`drill-year-${today.slice(0, 4)}`).click();
    const drawer = leader.locator('.ant-drawer');
    await drawer.getByText('王某某受贿案').waitFor();
    await expect(drawer.getByText('12,345.67 元').count()).resolves.toBeGreaterThan(0);
    await screenshot(leader, '07-dashboard-drilldown');
    await drawer.getByRole('button', { name: /Close|关闭/ }).click();
    await drawer.getByText('王某某受贿案').waitFor({ state: 'hidden' });
    await screenshot(leader, '08-dashboard-wide');

    // the lead's timeline now tells the whole story in people's words
    await office.goto(`/leads/${leadId}`);
    const steps = office.getByTestId('timeline-entry');
    await steps.filter({ hasText: '立案' }).first().waitFor();
    const text = (await steps.allTextContents()).join('\n');
    for (const step of ['登记线索', '线索移送', '签收', '接收', '立案']) expect(text).toContain(step);
    expect(text).not.toContain('{');
    await screenshot(office, '09-lead-timeline');
    await office.goto('/cases');
    await office.getByRole('link', { name: /AJ-/ }).first().waitFor();
    await screenshot(office, '10-case-ledger');
  });

  it('a supervision item due today is highlighted as overdue when the board is viewed as of tomorrow, and is in the overdue list', async () => {
    const office = await signedIn('office-board', 'admin', ADMIN_PASSWORD);
    await office.getByRole('menuitem', { name: '督办看板' }).click();
    await office.getByRole('button', { name: '交办督办事项' }).click();
    const dialog = office.getByRole('dialog', { name: '交办督办事项' });
    await dialog.getByLabel('督办事项').fill('整改住建领域招投标问题');
    await choose(office, dialog, '承办单位', '县审计局');
    await pickDate(dialog, '办结时限', today);
    await dialog.getByRole('button', { name: /确\s?定/ }).click();

    const card = office.getByTestId('board-item').filter({ hasText: '整改住建领域招投标问题' });
    await card.waitFor();
    await expect(card.getAttribute('data-overdue')).resolves.toBe('false');
    await pickDate(office, '查看日期', tomorrow);
    await expect(card.getAttribute('data-overdue')).resolves.toBe('true');
    await card.getByText('逾期 1 天').waitFor();
    await expect(office.getByTestId('board-overdue-count').textContent()).resolves.toBe('1');
    await screenshot(office, '11-supervision-board');

    await office.getByRole('menuitem', { name: '逾期事项' }).click();
    await pickDate(office, '截至日期', tomorrow);
    const row = office.getByRole('row').filter({ hasText: '整改住建领域招投标问题' });
    await row.getByText('逾期 1 天').waitFor();
    await expect(row.textContent()).resolves.toContain('县审计局');
    await screenshot(office, '12-overdue-list');

    // the assignee sees it among its own items
    const audit = await signedIn('audit-board', 'audit-clerk');
    await audit.getByRole('menuitem', { name: '我的督办' }).click();
    await audit.getByTestId('board-item').filter({ hasText: '整改住建领域招投标问题' }).waitFor();
  });

  it('a stale edit in a second tab says the record was changed by someone else and offers a reload, never overwriting', async () => {
    const second = await apiCall<{ id: string }>(api.baseUrl, 'POST', '/api/leads', adminToken, {
      source: 'petition',
      reportingAgency: 'discipline-commission',
      subject: { name: '赵某', post: '科长', unit: '县财政局' },
      allegation: '违规发放津贴',
      receivedOn: today,
    });
    const ctx = await context();
    const tabA = await newPage(ctx, watch, 'tab-a');
    await signIn(tabA, api.baseUrl, 'admin', ADMIN_PASSWORD);
    const tabB = await newPage(ctx, watch, 'tab-b');
    await signIn(tabB, api.baseUrl, 'admin', ADMIN_PASSWORD);
    for (const tab of [tabA, tabB]) {
      await tab.goto(`/leads/${second.id}`);
      await tab.getByText('版本 1').waitFor();
    }

    const transfer = async (tab: Page, agency: string) => {
      await tab.getByRole('button', { name: /移\s?送/ }).click();
      const dialog = tab.getByRole('dialog', { name: '线索移送' });
      await choose(tab, dialog, '移送至', agency);
      await dialog.getByLabel('移送函文号').fill(`函-${agency}`);
      await dialog.getByLabel('移送理由').fill('按管辖移送');
      await dialog.getByRole('button', { name: /确\s?定/ }).click();
    };
    await transfer(tabA, '县人民法院');
    await tabA.getByText('版本 2').waitFor();

    await transfer(tabB, '县人民检察院');
    const warning = tabB.getByTestId('version-conflict');
    await warning.getByText('记录已被他人修改', { exact: true }).waitFor();
    await screenshot(tabB, '13-version-conflict');
    await warning.getByRole('button', { name: '重新加载' }).click();
    await tabB.getByText('版本 2').waitFor();
    await expect(tabB.getByTestId('version-conflict').count()).resolves.toBe(0);
    await tabB.getByText(/县人民法院（待签收）/).waitFor();

    const lead = await apiCall<{ pendingToAgency: string; version: number }>(api.baseUrl, 'GET', `/api/leads/${second.id}`, adminToken);
    expect(lead).toMatchObject({ pendingToAgency: 'court', version: 2 });
  });

  it('the remaining pages render in Chinese without errors (screenshots)', async () => {
    const office = await signedIn('office-pages', 'admin', ADMIN_PASSWORD);
    for (const [menu, file, probe] of [
      ['首页', '14-office-home', '移送在途'],
      ['移送在途', '15-transfers-in-flight', '移送在途'],
      ['催办提醒', '16-notifications', '催办提醒与升级督办'],
      ['报表与导入导出', '17-reports', '定期报告'],
    ] as const) {
      await office.getByRole('menuitem', { name: menu }).click();
      await office.getByText(probe).first().waitFor();
      await screenshot(office, file);
    }
    // every API call any page made went to the documented API
    expect(watch.apiCalls.length).toBeGreaterThan(20);
    expect(watch.apiCalls.every((c) => /^(GET|POST|PUT|PATCH|DELETE) \/api\//.test(c))).toBe(true);
  });
});
