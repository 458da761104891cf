import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = join(__dirname, '..', '..', '..');
export const ARTIFACTS = join(ROOT, 'test', 'browser', 'artifacts');
export const ADMIN_PASSWORD = 'admin-password-for-browser';
export const USER_PASSWORD = 'a-long-password-1';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningApi {
  baseUrl: string;
  stop(): Promise<void>;
  output(): string;
}

/** The built api process (dist/, from `npm run build`) on a free port with a fresh data folder. */
export async function startBuiltApi(): Promise<RunningApi> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'coord-browser-'));
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist/apps/api/apps/api/src/main.js')], {
    cwd: ROOT,
    // the embedded default profile: none of the caller's COORD_* settings (a CI broker, a PG url) leak in
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COORD_'))), PORT: String(port), COORD_DATA_DIR: dataDir, COORD_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  // a loaded 2-core machine can take a while to start Nest; each probe is bounded so a half-started
  // server cannot hang the wait, and a failed start leaves no process behind
  const deadline = Date.now() + 150_000;
  for (;;) {
    const failed = (why: string): Error => {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      return new Error(`${why}:\n${out}`);
    };
    if (child.exitCode !== null) throw failed(`api exited (${child.exitCode})`);
    try {
      const res = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(3000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw failed('api did not become ready');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's chromium (installed by .ci/run with apt), never Playwright's own browser download. A fresh
 * user-data-dir: playwright-core's launch() creates a new temporary profile for every browser it starts
 * (and refuses a --user-data-dir argument); `userDataDir` is an extra scratch folder kept for symmetry.
 */
export async function launchChromium(): Promise<{ browser: Browser; userDataDir: string }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'coord-chromium-'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return { browser, userDataDir };
}

/**
 * Everything a page does that the suite forbids: console errors, uncaught exceptions, and any request
 * that is not the console's own files or the public API on the same origin.
 */
export class PageWatch {
  readonly problems: string[] = [];
  readonly apiCalls: string[] = [];

  /** `allowed`: the 4xx statuses a suite provokes on purpose (and checks) that may show as console lines */
  constructor(
    private readonly baseUrl: string,
    private readonly allowed: number[] = [400, 409],
  ) {}

  watch(page: Page, name: string): Page {
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') {
        // the browser reports each 4xx answer as a console error; the suite provokes two on purpose
        // (the empty registration form → 400, the stale edit → 409) and checks them below, so those
        // two statuses are the only ones let through
        const text = msg.text();
        if (new RegExp(`Failed to load resource: the server responded with a status of (${this.allowed.join('|')})`).test(text)) return;
        this.problems.push(`[${name}] console.${msg.type()}: ${text}`);
      }
    });
    page.on('pageerror', (err) => this.problems.push(`[${name}] page error: ${err.message}`));
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.protocol === 'data:' || url.protocol === 'blob:') return;
      if (url.origin !== this.baseUrl) {
        this.problems.push(`[${name}] request to another origin: ${req.url()}`);
        return;
      }
      const type = req.resourceType();
      if (type === 'fetch' || type === 'xhr') {
        if (!url.pathname.startsWith('/api/')) this.problems.push(`[${name}] ${type} outside /api: ${url.pathname}`);
        else this.apiCalls.push(`${req.method()} ${url.pathname}`);
      } else if (type !== 'document' && !(type === 'script' || type === 'stylesheet' || type === 'image' || type === 'font')) {
        this.problems.push(`[${name}] unexpected ${type} request: ${url.pathname}`);
      } else if (type !== 'document' && !url.pathname.startsWith('/assets/')) {
        this.problems.push(`[${name}] ${type} outside /assets: ${url.pathname}`);
      }
    });
    return page;
  }
}

export async function newPage(context: BrowserContext, watch: PageWatch, name: string): Promise<Page> {
  return watch.watch(await context.newPage(), name);
}

/** Signs in from the keyboard only: type the user name, Tab to the password, Enter. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('用户名').fill(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.getByTestId('current-user').filter({ hasText: username }).waitFor();
}

/** Setup through the public API (accounts are the office's job, not what the suite is about). */
export async function apiCall<T>(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : {};
  if (!res.ok && res.status !== 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return data as T;
}

export async function token(baseUrl: string, username: string, password: string): Promise<string> {
  return (await apiCall<{ accessToken: string }>(baseUrl, 'POST', '/api/auth/login', undefined, { username, password })).accessToken;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // CSS transitions (dialogs, drawers) finished, not caught half-way
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false, animations: 'disabled' });
}

/** Picks an option of an Ant Design Select: open it from its label, click the option by its text. */
export async function choose(page: Page, scope: Page | ReturnType<Page['getByRole']>, fieldLabel: string, option: string): Promise<void> {
  const input = scope.getByLabel(fieldLabel, { exact: true }).first();
  // the dropdown of THIS select (rc-select renders its listbox as `<id>_list` inside it): a dialog opened
  // a second time can leave the previous select's dropdown in the page, still visible while it fades out,
  // and "the first visible dropdown" then picked an option of a select that no longer existed
  const id = await input.getAttribute('id');
  const dropdown = id ? page.locator(`.ant-select-dropdown:has([id="${id}_list"])`) : page.locator('.ant-select-dropdown:visible');
  // a click that lands while the dropdown is still sliding in can be dropped by the browser (seen with
  // Chromium 156): the form then submits without the value. A single select closes its dropdown once an
  // option is taken, so a dropdown still open means the click was lost: choose again.
  await input.click();
  const item = dropdown.locator('.ant-select-item-option').filter({ hasText: new RegExp(`^${option}$`) }).first();
  for (let attempt = 1; ; attempt++) {
    await item.click();
    try {
      await dropdown.waitFor({ state: 'hidden', timeout: 1500 });
      return;
    } catch (e) {
      // a page in a background tab does not run the closing animation: there the option shows as taken
      if ((await item.getAttribute('class'))?.includes('ant-select-item-option-selected')) return;
      if (attempt >= 5) throw e;
    }
  }
}

/** Types a date into an Ant Design DatePicker and confirms it. */
export async function pickDate(scope: Page | ReturnType<Page['getByRole']>, fieldLabel: string, date: string): Promise<void> {
  const input = scope.getByLabel(fieldLabel, { exact: true }).first();
  await input.click();
  await input.fill(date);
  await input.press('Enter');
  // Enter confirms the typed date; Escape then closes the calendar so it does not cover the page
  await input.press('Escape');
}
