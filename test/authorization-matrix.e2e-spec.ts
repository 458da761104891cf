import { randomUUID } from 'node:crypto';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { POLICY_ACTION, PUBLIC_ROUTE } from '../apps/api/src/auth/auth.decorators';
import { POLICY, type Action, type ActionPolicy } from '../apps/api/src/auth/authorization/policy';
import { ReminderSchedulerService } from '../apps/api/src/notifications/reminder-scheduler.service';
import { ADMIN_PASSWORD, bearer, leadBody, login, plusDays, shanghaiToday, startTestApp, userToken, type TestApp } from './support/test-app';

/**
 * The authorization matrix: EVERY route the running Fastify instance serves × EVERY role, against the
 * declared policy (apps/api/src/auth/authorization/policy.ts). Routes are enumerated from Fastify itself
 * (printRoutes), not from a list in this file, and joined with the Nest handler that serves them to read
 * its @Policy action: a route without one fails here (and is refused at runtime by the guard).
 *
 * Then the agency scope with real data: agency A (audit-bureau) and agency B (public-security) each own a
 * lead, a case and a supervision item; A must not see B's by id, list, history, export, as-of ledger,
 * report, overdue follow-ups or notifications — asserted on contents, not only statuses. And 回避: a
 * leadership user named as a lead's subject (same name and unit) gets 404 on the lead and its case, and
 * finds neither them nor their bulletins and notifications in the lists.
 */

// hundreds of requests on a shared 2-core box: generous, but still bounded
jest.setTimeout(60_000);

type Role = 'office' | 'agencyA' | 'agencyB' | 'leadership' | 'auditor' | 'anonymous';
const ROLES: Role[] = ['office', 'agencyA', 'agencyB', 'leadership', 'auditor', 'anonymous'];
const ACCOUNT_ROLE: Record<Exclude<Role, 'anonymous'>, keyof ActionPolicy['grants']> = {
  office: 'office',
  agencyA: 'agency',
  agencyB: 'agency',
  leadership: 'leadership',
  auditor: 'auditor',
};
const A = 'audit-bureau';
const B = 'public-security';

/** Public without a policy: the API documentation (Swagger) and the web console's static files. */
const PUBLIC_NON_NEST = [/^\/api\/docs/, /^\/$/, /^\/\*$/, /^\/assets\//, /^\/(index\.html|favicon\.ico|.*\.(js|css|svg|png|ico|map|webmanifest))$/];

interface Route {
  method: string;
  path: string;
}

/** Parses Fastify's printRoutes({ commonPrefix: false }) tree into full paths with their methods. */
export function parseRouteTree(tree: string): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)(?:├── |└── )(.*)$/u.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    const rest = m[2];
    const methods = /^(.*) \(([A-Z, ]+)\)$/.exec(rest);
    const segment = methods ? methods[1] : rest;
    stack.length = depth;
    stack[depth] = segment;
    if (!methods) continue;
    const path = stack.join('');
    for (const method of methods[2].split(',').map((s) => s.trim())) if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, path });
  }
  return routes;
}

interface NestRoute extends Route {
  action?: Action;
  isPublic: boolean;
}

/** The Nest handlers with their declared policy (read from the same metadata the guard reads). */
function nestRoutes(t: TestApp): NestRoute[] {
  const out: NestRoute[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
      if (!type) continue;
      const base = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, type) ?? '');
      const classPublic = Reflect.getMetadata(PUBLIC_ROUTE, type) === true;
      const classAction = Reflect.getMetadata(POLICY_ACTION, type) as Action | undefined;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const sub = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
        for (const b of base)
          for (const s of sub) {
            const path = `/${[b, s].filter((x) => x && x !== '/').join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
            out.push({
              method: RequestMethod[method],
              path,
              action: (Reflect.getMetadata(POLICY_ACTION, handler) as Action | undefined) ?? classAction,
              isPublic: Reflect.getMetadata(PUBLIC_ROUTE, handler) === true || classPublic,
            });
          }
      }
    }
  }
  return out;
}

describe('authorization matrix: every route × every role, from the declared policy', () => {
  let t: TestApp;
  const token: Partial<Record<Role, string>> = {};
  const today = shanghaiToday();
  const ids = {} as Record<'leadA' | 'leadB' | 'caseA' | 'caseB' | 'supA' | 'supB' | 'meeting' | 'bulletinB', string>;

  const call = (method: string, url: string, role: Role) => {
    const req = t.http()[method.toLowerCase() as 'get'](url);
    return role === 'anonymous' ? req : req.set(bearer(token[role]!));
  };

  beforeAll(async () => {
    t = await startTestApp(undefined, { COORD_RATE_LIMIT_PER_ADDRESS: '0', COORD_RATE_LIMIT_PER_USER: '0' });
    const office = await login(t, 'admin', ADMIN_PASSWORD);
    token.office = office;
    token.agencyA = await userToken(t, office, 'clerk-a', 'agency', A);
    token.agencyB = await userToken(t, office, 'clerk-b', 'agency', B);
    token.leadership = await userToken(t, office, 'leader-reader', 'leadership');
    token.auditor = await userToken(t, office, 'inspector', 'auditor');
    const as = (role: Role) => bearer(token[role]!);

    // agency A: a lead (its subject is the person of the recusal test), a major case from it, a supervision item
    const leadA = await t.http().post('/api/leads').set(as('agencyA')).send(leadBody({ reportingAgency: A, subject: { name: '王某某', post: '局长', unit: '县住建局' } })).expect(201);
    ids.leadA = leadA.body.id;
    await t.http().post(`/api/leads/${ids.leadA}/disposition`).set(as('agencyA')).send({ method: 'preliminary-verification', rationale: '线索具体' }).expect(200);
    const caseA = await t.http().post('/api/cases').set(as('agencyA')).send({ title: '王某某受贿案', leadIds: [ids.leadA], leadAgency: A, coAgencies: [], filedOn: today, major: true }).expect(201);
    ids.caseA = caseA.body.id;
    await t.http().post(`/api/cases/${ids.caseA}/recoveries`).set(as('agencyA')).send({ amountFen: 500_00, category: 'confiscation', agency: A, recoveredOn: today }).expect(201);

    // agency B: the same
    const leadB = await t.http().post('/api/leads').set(as('agencyB')).send(leadBody({ reportingAgency: B, subject: { name: '赵某', post: '所长', unit: '县公安局某派出所' }, allegation: 'B单位线索：违规办案' })).expect(201);
    ids.leadB = leadB.body.id;
    await t.http().post(`/api/leads/${ids.leadB}/disposition`).set(as('agencyB')).send({ method: 'preliminary-verification', rationale: '线索具体' }).expect(200);
    const caseB = await t.http().post('/api/cases').set(as('agencyB')).send({ title: '赵某滥用职权案', leadIds: [ids.leadB], leadAgency: B, coAgencies: [], filedOn: today, major: true }).expect(201);
    ids.caseB = caseB.body.id;
    await t.http().post(`/api/cases/${ids.caseB}/recoveries`).set(as('agencyB')).send({ amountFen: 777_00, category: 'restitution', agency: B, recoveredOn: today }).expect(201);

    // supervision items, one each; past due so both appear in overdue follow-ups
    const supA = await t.http().post('/api/supervision-items').set(as('office')).send({ title: 'A单位督办事项', assigneeAgency: A, dueOn: today, origin: 'leader-instruction' }).expect(201);
    ids.supA = supA.body.id;
    const supB = await t.http().post('/api/supervision-items').set(as('office')).send({ title: 'B单位督办事项', assigneeAgency: B, dueOn: today, origin: 'leader-instruction' }).expect(201);
    ids.supB = supB.body.id;

    const meeting = await t.http().post('/api/meetings').set(as('office')).send({ kind: 'special', title: '专题会议', scheduledOn: today, topicCutoffOn: today }).expect(201);
    ids.meeting = meeting.body.id;
    const bulletin = await t.http().post(`/api/cases/${ids.caseB}/bulletins`).set(as('office')).send({}).expect(201);
    ids.bulletinB = bulletin.body.id;
  }, 60_000);

  afterAll(() => t?.destroy());

  /** Route parameters: reads name agency B's real records (so A's 404s are scope, not absence); writes name nothing real. */
  function urlFor(route: Route): string {
    const write = route.method !== 'GET';
    return route.path.replace(/:([A-Za-z]+)/g, (_, param: string) => {
      if (write) return param === 'date' ? '2031-01-02' : randomUUID();
      if (param === 'date') return '2031-01-02';
      if (route.path.startsWith('/api/leads/')) return ids.leadB;
      if (route.path.startsWith('/api/cases/')) return ids.caseB;
      if (route.path.startsWith('/api/supervision-items/')) return ids.supB;
      if (route.path.startsWith('/api/meetings/')) return ids.meeting;
      if (route.path.startsWith('/api/bulletins/')) return ids.bulletinB;
      return randomUUID();
    });
  }

  it('every route Fastify serves has a declared policy or is public, and each role gets exactly what the table grants', async () => {
    const tree = t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
    const routes = parseRouteTree(tree);
    expect(routes.length).toBeGreaterThan(60);
    const handlers = nestRoutes(t);
    // Fastify prints routes sharing a segment under different parameter names as ':id|:caseId': compare
    // with parameter names left out, and call the route by its Nest path
    const shape = (path: string) => path.replace(/:[A-Za-z]+(\|:[A-Za-z]+)*/g, ':');
    const find = (r: Route) => handlers.find((h) => h.method === r.method && shape(h.path) === shape(r.path));

    const undeclared: string[] = [];
    const results: string[] = [];
    const expected: string[] = [];
    // reads first, then writes (writes name random ids and send empty bodies: refused by validation or
    // not found when allowed — the guard, which runs first, answers 403 when refused)
    const ordered = [...routes].sort((x, y) => Number(x.method !== 'GET') - Number(y.method !== 'GET'));
    for (const served of ordered) {
      const handler = find(served);
      const route = handler ?? served;
      const label = `${route.method} ${route.path}`;
      if (!handler) {
        if (!PUBLIC_NON_NEST.some((p) => p.test(route.path))) undeclared.push(`${label} (no Nest handler, not a known public path)`);
        continue;
      }
      if (handler.isPublic) {
        const res = await call(route.method, urlFor(route), 'anonymous').send({});
        results.push(`${label} anonymous ${res.status === 401 || res.status === 403 ? 'refused' : 'allowed'}`);
        expected.push(`${label} anonymous allowed`);
        continue;
      }
      if (!handler.action || !Object.hasOwn(POLICY, handler.action)) {
        undeclared.push(label);
        continue;
      }
      const policy: ActionPolicy = POLICY[handler.action];
      for (const role of ROLES) {
        // a session action (logout, password change…) would end the very session the matrix runs on:
        // only the refusal of anonymous callers is exercised for it
        if (policy.kind === 'session' && role !== 'anonymous') continue;
        const res = await call(route.method, urlFor(route), role).send({});
        const refusedByGuard = res.status === 401 || (res.status === 403 && res.body?.code === 'forbidden');
        const outcome = role === 'anonymous' ? (res.status === 401 ? 'unauthenticated' : `status ${res.status}`) : refusedByGuard ? 'refused' : 'allowed';
        results.push(`${label} ${role} ${outcome}${res.status === 500 ? ' (500!)' : ''}`);
        const want = role === 'anonymous' ? 'unauthenticated' : policy.grants[ACCOUNT_ROLE[role]] === 'none' ? 'refused' : 'allowed';
        expected.push(`${label} ${role} ${want}`);
      }
    }
    expect(undeclared).toEqual([]);
    expect(results).toEqual(expected);
  }, 120_000);

  describe('agency scope with real records: agency A never reads agency B’s', () => {
    const get = (url: string, role: Role) => call('GET', url, role);

    it('by id and history: 404 for the other agency, 200 for its own', async () => {
      for (const url of [`/api/leads/${ids.leadB}`, `/api/leads/${ids.leadB}/history`, `/api/cases/${ids.caseB}`, `/api/cases/${ids.caseB}/history`, `/api/supervision-items/${ids.supB}`, `/api/supervision-items/${ids.supB}/history`]) {
        expect([url, (await get(url, 'agencyA')).status]).toEqual([url, 404]);
        expect([url, (await get(url, 'agencyB')).status]).toEqual([url, 200]);
      }
      for (const url of [`/api/leads/${ids.leadA}`, `/api/cases/${ids.caseA}/history`, `/api/supervision-items/${ids.supA}`]) expect((await get(url, 'agencyA')).status).toBe(200);
    });

    it('lists hold only the agency’s own records', async () => {
      const leads = (await get('/api/leads', 'agencyA').expect(200)).body.items.map((l: { leadId: string }) => l.leadId);
      expect(leads).toEqual([ids.leadA]);
      const cases = (await get('/api/cases', 'agencyA').expect(200)).body.items.map((c: { caseId: string }) => c.caseId);
      expect(cases).toEqual([ids.caseA]);
      const items = (await get('/api/supervision-items', 'agencyA').expect(200)).body.items.map((s: { itemId: string }) => s.itemId);
      expect(items).toEqual([ids.supA]);
      // asking for B by filter changes nothing
      expect((await get(`/api/leads?agency=${B}`, 'agencyA').expect(200)).body.items).toEqual([]);
      expect((await get(`/api/cases?agency=${B}`, 'agencyA').expect(200)).body.items).toEqual([]);
    });

    it('as-of ledgers hold only the agency’s own records', async () => {
      const leads = (await get(`/api/ledgers/leads?asOf=${today}`, 'agencyA').expect(200)).body.items.map((l: { leadId: string }) => l.leadId);
      expect(leads).toEqual([ids.leadA]);
      const cases = (await get(`/api/ledgers/cases?asOf=${today}`, 'agencyA').expect(200)).body.items.map((c: { caseId: string }) => c.caseId);
      expect(cases).toEqual([ids.caseA]);
      const items = (await get(`/api/ledgers/supervision-items?asOf=${today}`, 'agencyA').expect(200)).body.items.map((s: { itemId: string }) => s.itemId);
      expect(items).toEqual([ids.supA]);
    });

    it('exports (xlsx) contain the agency’s own records and nothing of the other agency', async () => {
      const JSZip = (await import('jszip')).default;
      const text = async (url: string) => {
        const res = await get(url, 'agencyA')
          .buffer(true)
          .parse((r, cb) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => cb(null, Buffer.concat(chunks)));
          })
          .expect(200);
        const zip = await JSZip.loadAsync(res.body as Buffer);
        const parts = await Promise.all(Object.values(zip.files).filter((f) => /sharedStrings|sheet\d*\.xml/.test(f.name)).map((f) => f.async('string')));
        return parts.join('\n');
      };
      const leads = await text('/api/ledgers/leads.xlsx');
      expect(leads).toContain('王某某');
      expect(leads).not.toContain('赵某');
      const cases = await text('/api/ledgers/cases.xlsx');
      expect(cases).toContain('王某某受贿案');
      expect(cases).not.toContain('赵某滥用职权案');
      const items = await text('/api/ledgers/supervision-items.xlsx');
      expect(items).toContain('A单位督办事项');
      expect(items).not.toContain('B单位督办事项');
      const recoveries = await text('/api/ledgers/recoveries.xlsx');
      expect(recoveries).toContain('王某某受贿案');
      expect(recoveries).not.toContain('赵某滥用职权案');
    });

    it('reports: overdue follow-ups only the agency’s own; group-wide reports, bulletins and bulletin sources refused', async () => {
      const overdue = (await get(`/api/follow-ups/overdue?asOf=2099-01-01&agency=${B}`, 'agencyA').expect(200)).body;
      const agencies = new Set((overdue.items as { agency?: string; responsibleAgency?: string }[]).map((i) => i.agency ?? i.responsibleAgency));
      expect([...agencies].filter((a) => a !== A)).toEqual([]);
      expect(JSON.stringify(overdue)).not.toContain('B单位督办事项');
      expect(JSON.stringify(overdue)).toContain('A单位督办事项');
      for (const url of ['/api/reports/recovered-losses', '/api/reports/periodic', '/api/bulletins', `/api/bulletins/${ids.bulletinB}`, '/api/cases/bulletin-sources', `/api/cases/${ids.caseB}/bulletin-source`]) {
        expect([url, (await get(url, 'agencyA')).status]).toEqual([url, 403]);
      }
      const notes = (await get(`/api/notifications?agency=${B}`, 'agencyA').expect(200)).body.items as { agency: string }[];
      expect(notes.filter((n) => n.agency !== A)).toEqual([]);
    });

    it('writes on the other agency’s records are refused (403), whatever the route', async () => {
      const res = await t.http().post(`/api/cases/${ids.caseB}/recoveries`).set(bearer(token.agencyA!)).send({ amountFen: 100, category: 'fine', agency: A, recoveredOn: today });
      expect(res.status).toBe(403);
      const tr = await t.http().post(`/api/leads/${ids.leadB}/transfers`).set(bearer(token.agencyA!)).send({ toAgency: A, letterNo: 'X-1', reason: '试图取走' });
      expect(tr.status).toBe(403);
    });
  });

  describe('回避: a user named as the subject (same name AND unit) is refused the lead and its case', () => {
    let implicated: string;
    let namesake: string;

    beforeAll(async () => {
      const office = token.office!;
      const create = async (username: string, unit: string) => {
        await t.http().post('/api/users').set(bearer(office)).send({ username, password: `${username}-password-123`, role: 'leadership', fullName: ' 王某某 ', unit }).expect(201);
        return login(t, username, `${username}-password-123`);
      };
      implicated = await create('leader-wang', '县住建局');
      namesake = await create('leader-wang2', '县财政局');
    });

    it('reads answer 404 (existence not confirmed); lists, as-of ledgers, exports and bulletin sources leave them out', async () => {
      for (const url of [`/api/leads/${ids.leadA}`, `/api/leads/${ids.leadA}/history`, `/api/cases/${ids.caseA}`, `/api/cases/${ids.caseA}/history`, `/api/cases/${ids.caseA}/bulletin-source`]) {
        expect([url, (await t.http().get(url).set(bearer(implicated))).status]).toEqual([url, 404]);
        expect([url, (await t.http().get(url).set(bearer(namesake))).status]).toEqual([url, 200]);
      }
      const leadIds = (await t.http().get('/api/leads').set(bearer(implicated)).expect(200)).body.items.map((l: { leadId: string }) => l.leadId);
      expect(leadIds).toEqual([ids.leadB]);
      const caseIds = (await t.http().get('/api/cases').set(bearer(implicated)).expect(200)).body.items.map((c: { caseId: string }) => c.caseId);
      expect(caseIds).toEqual([ids.caseB]);
      const asOf = (await t.http().get(`/api/ledgers/cases?asOf=${today}`).set(bearer(implicated)).expect(200)).body.items.map((c: { caseId: string }) => c.caseId);
      expect(asOf).toEqual([ids.caseB]);
      const sources = (await t.http().get('/api/cases/bulletin-sources').set(bearer(implicated)).expect(200)).body.items.map((c: { caseId: string }) => c.caseId);
      expect(sources).toEqual([ids.caseB]);
      const namesakeCases = (await t.http().get('/api/cases').set(bearer(namesake)).expect(200)).body.items.map((c: { caseId: string }) => c.caseId);
      expect(namesakeCases.sort()).toEqual([ids.caseA, ids.caseB].sort());
    });

    it('writes answer 403 for an implicated office user', async () => {
      await t.http().post('/api/users').set(bearer(token.office!)).send({ username: 'office-wang', password: 'office-wang-password-123', role: 'office', fullName: '王某某', unit: '县住建局' }).expect(201);
      const officeWang = await login(t, 'office-wang', 'office-wang-password-123');
      const res = await t.http().post(`/api/cases/${ids.caseA}/progress-reports`).set(bearer(officeWang)).send({ stage: 'investigation', summary: '试图办理本人案件', reportedOn: today });
      expect(res.status).toBe(403);
      // the same route on a case that does not name them is not refused by 回避
      const other = await t.http().post(`/api/cases/${ids.caseB}/progress-reports`).set(bearer(officeWang)).send({ stage: 'investigation', summary: '正常办理', reportedOn: today });
      expect(other.status).toBe(201);
    });

    it('half an identity is refused when creating the account', async () => {
      const res = await t.http().post('/api/users').set(bearer(token.office!)).send({ username: 'half-person', password: 'half-person-password-123', role: 'auditor', fullName: '王某某' });
      expect(res.status).toBe(422);
      expect(res.body.errors?.[0]?.field).toBe('unit');
    });

    describe('the bulletin register and the notification feed', () => {
      let bulletinA: string;
      let supCaseA: string;
      let leadA2: string;

      beforeAll(async () => {
        const office = bearer(token.office!);
        // given: a bulletin on case A (which names 王某某 of 县住建局), a supervision item opened for case A, and a
        // second lead naming the same person whose verification clock is open…
        bulletinA = (await t.http().post(`/api/cases/${ids.caseA}/bulletins`).set(office).send({}).expect(201)).body.id;
        supCaseA = (await t.http().post('/api/supervision-items').set(office).send({ title: '督促办理住建局案件', assigneeAgency: A, dueOn: today, origin: 'leader-instruction', caseId: ids.caseA }).expect(201)).body.id;
        const lead = await t.http().post('/api/leads').set(bearer(token.agencyA!)).send(leadBody({ reportingAgency: A, subject: { name: '王某某', post: '局长', unit: '县住建局' }, allegation: '另一线索：违规审批' })).expect(201);
        leadA2 = lead.body.id;
        await t.http().post(`/api/leads/${leadA2}/disposition`).set(bearer(token.agencyA!)).send({ method: 'preliminary-verification', rationale: '线索具体' }).expect(200);
        // …and the scheduler, two months on, escalating everything overdue (escalations are what leadership reads)
        const result = await t.app.get(ReminderSchedulerService).tick(new Date(`${plusDays(today, 60)}T02:00:00.000Z`));
        const head = Math.max(0, ...result.fired.map((f) => f.position));
        await t.http().get(`/api/notifications?minPosition=${head}`).set(office).expect(200);
      });

      it('given a bulletin on a case naming the reader, when listing GET /api/bulletins, then the implicated user does not see it and an uninvolved user of the same role does', async () => {
        const implicatedPage = (await t.http().get('/api/bulletins').set(bearer(implicated)).expect(200)).body as { total: number; items: { bulletinId: string }[] };
        expect(implicatedPage.items.map((b) => b.bulletinId)).toEqual([ids.bulletinB]);
        expect(implicatedPage.total).toBe(1);
        const namesakePage = (await t.http().get('/api/bulletins').set(bearer(namesake)).expect(200)).body as { total: number; items: { bulletinId: string }[] };
        expect(namesakePage.items.map((b) => b.bulletinId).sort()).toEqual([bulletinA, ids.bulletinB].sort());
        expect(namesakePage.total).toBe(2);
      });

      it('given escalations about a lead naming the reader and a supervision item opened for their case, when listing notifications, then the implicated user sees neither and an uninvolved user of the same role sees both', async () => {
        const feed = async (who: string) => (await t.http().get('/api/notifications').set(bearer(who)).expect(200)).body as { total: number; items: { refId: string; kind: string }[] };
        const seenByNamesake = await feed(namesake);
        const namesakeRefs = seenByNamesake.items.map((n) => n.refId);
        expect(namesakeRefs).toEqual(expect.arrayContaining([supCaseA, leadA2, ids.supA]));
        const seenByImplicated = await feed(implicated);
        const implicatedRefs = seenByImplicated.items.map((n) => n.refId);
        expect(implicatedRefs).not.toContain(supCaseA);
        expect(implicatedRefs).not.toContain(leadA2);
        // the rest of the feed is unchanged: exactly the namesake's minus those two, and the total agrees
        expect(implicatedRefs).toEqual(namesakeRefs.filter((r) => r !== supCaseA && r !== leadA2));
        expect(implicatedRefs).toContain(ids.supA);
        expect(seenByImplicated.total).toBe(implicatedRefs.length);
        expect(seenByNamesake.total).toBe(namesakeRefs.length);
      });
    });
  });
});
