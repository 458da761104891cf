import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { loadConfig } from '@coord/platform';
import { ADMIN_PASSWORD, bearer, leadBody, login, startTestApp, userToken, type TestApp } from '../support/test-app';
import { startFuzzApp, type FuzzApp } from './support/fuzz-app';

/** Body size and rate limits, security headers and CORS (docs/security-hardening.md), over HTTP. */
// several app starts (password hashing for the seeded admin included) on a loaded 2-core machine
jest.setTimeout(60_000);

const isProblem = (res: { headers: Record<string, string> }) => expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
const quiet = { write: () => undefined };

describe('body size limit: every command route refuses an oversized body with 413 and writes nothing', () => {
  let f: FuzzApp;
  let admin: string;
  beforeAll(async () => {
    f = await startFuzzApp(quiet, { COORD_BODY_LIMIT_BYTES: '2048' });
    admin = await login(f as never, 'admin', ADMIN_PASSWORD);
  });
  afterAll(() => f.destroy());

  it('given a body one KiB over the limit, then every POST/PUT/PATCH/DELETE route (whatever its parameters) answers 413 problem+json', async () => {
    const store = f.app.get<EventStore>(EVENT_STORE);
    const routes = f.routes.filter((r) => r.url.startsWith('/api/') && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    expect(routes.length).toBeGreaterThan(40);
    const body = JSON.stringify({ allegation: 'x'.repeat(3 * 1024) });
    const answers: string[] = [];
    for (const r of routes) {
      const url = r.url.replace(/:date/g, '2026-10-01').replace(/:\w+/g, '7d3c1e0e-2b7a-4c43-9b55-6a1f1a0f0000');
      const before = await store.headPosition();
      const method = r.method.toLowerCase() as 'post';
      const res = await f.http()[method](url).set(bearer(admin)).set('content-type', 'application/json').send(body);
      answers.push(`${r.method} ${r.url} ${res.status} ${res.body.code}`);
      isProblem(res);
      expect(await store.headPosition()).toBe(before);
    }
    expect(answers.filter((a) => !a.endsWith(' 413 body-too-large'))).toEqual([]);
  });
});

describe('rate limits: 429 problem+json with Retry-After, per address and per user', () => {
  it('given 5 requests per address per minute, then the 6th from that address is refused; health probes never are', async () => {
    const t = await startTestApp(undefined, { COORD_RATE_LIMIT_PER_ADDRESS: '5', COORD_RATE_LIMIT_PER_USER: '0' });
    try {
      for (let i = 0; i < 5; i++) expect((await t.http().get('/api/leads')).status).toBe(401);
      const res = await t.http().get('/api/leads');
      expect(res.status).toBe(429);
      isProblem(res);
      expect(res.body).toMatchObject({ status: 429, code: 'rate-limited', instance: '/api/leads' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
      // a login from the same address is throttled too: guessing passwords costs the attacker the window
      expect((await t.http().post('/api/auth/login').send({ username: 'admin', password: 'x' })).status).toBe(429);
      for (let i = 0; i < 3; i++) expect((await t.http().get('/health/live')).status).toBe(200);
    } finally {
      await t.destroy();
    }
  });

  it('given 4 requests per user per minute, then a user’s 5th is refused while another user (same address) goes on', async () => {
    const t = await startTestApp(undefined, { COORD_RATE_LIMIT_PER_ADDRESS: '0', COORD_RATE_LIMIT_PER_USER: '4' });
    try {
      const admin = await login(t, 'admin', ADMIN_PASSWORD);
      const clerk = await userToken(t, admin, 'audit-clerk', 'agency', 'audit-bureau'); // admin's 1st
      for (let i = 0; i < 3; i++) expect((await t.http().get('/api/leads').set(bearer(admin))).status).toBe(200);
      const refused = await t.http().post('/api/leads').set(bearer(admin)).send(leadBody({ reportingAgency: 'audit-bureau' }));
      expect(refused.status).toBe(429);
      isProblem(refused);
      expect(refused.body.code).toBe('rate-limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await t.http().get('/api/leads').set(bearer(clerk))).status).toBe(200);
    } finally {
      await t.destroy();
    }
  });

  it('given the defaults, then limits are generous and announced in the response headers', async () => {
    const t = await startTestApp();
    try {
      const res = await t.http().get('/api/leads');
      expect(Number(res.headers['x-ratelimit-limit'])).toBeGreaterThanOrEqual(1000);
      expect(t.config.http.rateLimit.perUser).toBeGreaterThanOrEqual(600);
    } finally {
      await t.destroy();
    }
  });
});

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  it('every answer (including errors) carries the CSP and the other browser protections; no HSTS on plain http', async () => {
    for (const res of [await t.http().get('/api/leads'), await t.http().get('/health/live'), await t.http().get('/api/docs')]) {
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('the Swagger UI still loads under the CSP: its page uses no inline script and its scripts and styles come from this origin', async () => {
    const page = await t.http().get('/api/docs').expect(200);
    const html = page.text;
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) expect(attrs).toMatch(/src="\.\/docs\/[^"]+"/); // no inline script: 'self' suffices
    const assets = [...html.matchAll(/(?:src|href)="\.\/(docs\/[^"]+\.(?:js|css))"/g)].map((m) => `/api/${m[1]}`);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) await t.http().get(asset).expect(200);
    await t.http().get('/api/docs/openapi.json').expect(200);
  });

  it('given COORD_HSTS=on (served over TLS), then HSTS and upgrade-insecure-requests are sent', async () => {
    const tls = await startTestApp(undefined, { COORD_HSTS: 'on' });
    try {
      const res = await tls.http().get('/health/live');
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    } finally {
      await tls.destroy();
    }
  });
});

describe('CORS', () => {
  const evil = 'https://evil.example';
  const consoleOrigin = 'https://console.example';
  const preflight = (t: TestApp, origin: string) =>
    t.http().options('/api/leads').set('origin', origin).set('access-control-request-method', 'POST').set('access-control-request-headers', 'authorization,content-type');

  it('closed by default: a foreign preflight and a foreign write get 403 problem+json, a foreign read gets no Access-Control-Allow-Origin; the same origin is not hindered', async () => {
    const t = await startTestApp();
    try {
      const store = t.app.get<EventStore>(EVENT_STORE);
      const admin = await login(t, 'admin', ADMIN_PASSWORD);
      const pre = await preflight(t, evil);
      expect(pre.status).toBe(403);
      isProblem(pre);
      expect(pre.body.code).toBe('cors-origin-refused');
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();

      const before = await store.headPosition();
      const write = await t.http().post('/api/leads').set('origin', evil).set(bearer(admin)).send(leadBody());
      expect(write.status).toBe(403);
      isProblem(write);
      expect(write.body.code).toBe('cors-origin-refused');
      expect(await store.headPosition()).toBe(before);

      const read = await t.http().get('/api/leads').set('origin', evil).set(bearer(admin));
      expect(read.status).toBe(200);
      expect(read.headers['access-control-allow-origin']).toBeUndefined();

      // the web console served by this api: its Origin names the host it was loaded from
      const clerk = await userToken(t, admin, 'audit-clerk', 'agency', 'audit-bureau');
      const host = 'coord.county.example:3000';
      const same = await t.http().post('/api/leads').set('host', host).set('origin', `http://${host}`).set(bearer(clerk)).send(leadBody());
      expect(same.status).toBe(201);
    } finally {
      await t.destroy();
    }
  });

  it('given COORD_CORS_ORIGINS, then exactly the listed origins get Access-Control-Allow-Origin, others are still refused', async () => {
    const t = await startTestApp(undefined, { COORD_CORS_ORIGINS: consoleOrigin });
    try {
      const pre = await preflight(t, consoleOrigin);
      expect(pre.status).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe(consoleOrigin);
      expect(pre.headers['access-control-allow-methods']).toContain('POST');
      const read = await t.http().get('/api/leads').set('origin', consoleOrigin);
      expect(read.status).toBe(401);
      expect(read.headers['access-control-allow-origin']).toBe(consoleOrigin);
      const other = await preflight(t, evil);
      expect(other.status).toBe(403);
      isProblem(other);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.destroy();
    }
  });

  it('a wildcard or a URL with a path in COORD_CORS_ORIGINS stops the start with a message naming the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coord-cors-'));
    try {
      for (const bad of ['*', 'https://console.example/app', 'console.example']) {
        expect(() => loadConfig({ COORD_DATA_DIR: dir, COORD_CORS_ORIGINS: bad })).toThrow(/COORD_CORS_ORIGINS/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
