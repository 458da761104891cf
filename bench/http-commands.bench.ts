import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { LEAD_SOURCES, RECOVERY_CATEGORIES } from '@coord/domain';
import { machineCpuSeconds, processCpuSeconds, startApiProcess, type ApiProcess } from './support/api-process';
import { intArg, printResult, progress, stringArg } from './support/bench-output';
import { summarizeCpuProfile, type Concern, type ProfileSummary } from './support/cpu-profile-summary';
import { runOpenLoop, type PlannedRequest } from './support/open-loop-http';
import { percentile, round } from './support/stats';

/**
 * Issue 7, target 3: the whole command path over HTTP on the embedded default — the real api in its own
 * process (SQLite store with synchronous=FULL, SQLite read models, projector, relay and 催办 scheduler in
 * process, access log at the shipped level), driven from this process over loopback:
 *
 *   npm run bench:http -- [--connections 1,8,32,64] [--seconds 15] [--rate 1000] [--fixed-seconds 30]
 *                         [--warmup-seconds 5] [--leads 300] [--cases 300] [--idempotency 1]
 *                         [--profile auto|always|never] [--profile-seconds 10] [--server ts|dist] [--keep]
 *
 * Setup (not measured): sign in as admin, create one clerk for each of three member agencies (with name
 * and unit, so 回避 is checked as in production), register `--leads` leads and file `--cases` cases (one
 * lead each) per agency.
 *
 * The measured mix, one third each, every request a valid command that must answer 2xx:
 *  - 登记线索  POST /api/leads                         (half with a confidential informant: sealed per lead)
 *  - 线索移送  POST /api/leads/{id}/transfers          (a lead of the clerk's agency never transferred before,
 *              oldest first: the setup's leads, then those the mix registered)
 *  - 挽回损失  POST /api/cases/{id}/recoveries         (the agency's cases in turn, so two in-flight recoveries
 *              rarely touch the same case)
 * No If-Match (optional; with it, concurrent edits of one record are real 409s), and by default an
 * Idempotency-Key on every command (the costlier path a retrying client takes: the primary stream is read
 * for a replay and the body digested).
 *
 * Phases:
 *  (a) maximum sustained rate: autocannon, closed loop, each connection count for `--seconds`;
 *  (b) a fixed rate of `--rate` commands/s for `--fixed-seconds`, open loop (support/open-loop-http.ts:
 *      latency from each request's due time, so a server falling behind shows in the percentiles).
 * Before each phase the in-process projector is let catch up, so a phase does not pay for the backlog of
 * the one before. The server's CPU comes from /proc/<pid>/stat: ~100 % means its one event loop is the
 * bottleneck; the load generator's own CPU and everyone else's on the machine are reported beside it.
 *
 * Target: p99 < 50 ms at 1,000 commands/s with no non-2xx answer (`--max-errors` allows some), the rate
 * achieved. When missed, or when the best closed-loop rate is below `--rate`, the server is profiled for
 * `--profile-seconds` at the best connection count (after the measurements, so they are not disturbed)
 * and the profile is summarized: where the time goes.
 */

const connectionSteps = stringArg('connections', '1,8,32,64')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isSafeInteger(n) && n > 0);
const stepSeconds = intArg('seconds', 15);
const fixedRate = intArg('rate', 1000);
const fixedSeconds = intArg('fixed-seconds', 30);
const warmupSeconds = intArg('warmup-seconds', 5);
const leadsPerAgency = intArg('leads', 300);
const casesPerAgency = intArg('cases', 300);
const useIdempotencyKeys = intArg('idempotency', 1) === 1;
const maxErrors = intArg('max-errors', 0);
const profileMode = stringArg('profile', 'auto') as 'auto' | 'always' | 'never';
const profileSeconds = intArg('profile-seconds', 10);
const serverMode = stringArg('server', 'ts') as 'ts' | 'dist';
const keep = process.argv.includes('--keep');
const P99_TARGET_MS = 50;

const ADMIN_PASSWORD = 'bench-admin-password-2026';
/** the clerks' agencies, and where their leads are transferred to (the county 纪委 receives leads) */
const AGENCIES = [
  { code: 'audit-bureau', unit: '县审计局', short: '审' },
  { code: 'finance-bureau', unit: '县财政局', short: '财' },
  { code: 'public-security', unit: '县公安局', short: '公' },
] as const;
const TRANSFER_TO = 'discipline-commission';

const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const runId = Date.now().toString(36);

// ---------------------------------------------------------------------------------------------------
// HTTP for the setup (fetch: simple; its speed does not matter here)

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

async function call(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function expectOk(reply: Promise<Reply>, what: string): Promise<Record<string, unknown>> {
  const r = await reply;
  if (r.status < 200 || r.status > 299) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** `count` calls of `one`, at most `concurrency` at a time. */
async function inParallel<T>(count: number, concurrency: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await one(i);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The command mix

interface AgencyState {
  code: string;
  unit: string;
  short: string;
  token: string;
  /** leads held by the agency and never transferred: a FIFO (head index, no shifting) */
  leads: string[];
  leadHead: number;
  cases: string[];
  nextCase: number;
}

type Kind = 'register' | 'transfer' | 'recovery';

class CommandMix {
  private seq = 0;
  private readonly turn: Record<Kind, number> = { register: 0, transfer: 0, recovery: 0 };
  /** transfers that found no untransferred lead of their agency (would make the mix invalid) */
  starved = 0;

  constructor(
    private readonly agencies: AgencyState[],
    private readonly idempotency: boolean,
  ) {}

  private headers(a: AgencyState): Record<string, string> {
    this.seq += 1;
    const h: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${a.token}` };
    if (this.idempotency) h['idempotency-key'] = `bench-${runId}-${this.seq}`;
    return h;
  }

  private agencyFor(kind: Kind): AgencyState {
    const a = this.agencies[this.turn[kind] % this.agencies.length] as AgencyState;
    this.turn[kind] += 1;
    return a;
  }

  /** the i-th command of a steady mix: register, transfer, recovery, register, … */
  next(i: number): PlannedRequest {
    const kind: Kind = i % 3 === 0 ? 'register' : i % 3 === 1 ? 'transfer' : 'recovery';
    return this.build(kind);
  }

  build(kind: Kind): PlannedRequest {
    if (kind === 'register') return this.register();
    if (kind === 'transfer') return this.transfer();
    return this.recovery();
  }

  register(): PlannedRequest {
    const a = this.agencyFor('register');
    const n = this.seq;
    const body: Record<string, unknown> = {
      source: LEAD_SOURCES[n % LEAD_SOURCES.length],
      reportingAgency: a.code,
      subject: { name: `干部${n % 997}`, post: n % 2 ? '科长' : '副局长', unit: `县第${n % 7}局`, rank: '正科级' },
      allegation: `反映其在${2020 + (n % 6)}年工程项目招投标中收受他人财物、为他人谋取利益，涉及金额约${(n % 90) + 10}万元，另有违规报销差旅费用问题。`,
      category: '违反廉洁纪律',
      receivedOn: shanghaiToday(),
      important: n % 3 === 0,
    };
    if (n % 2 === 1) body.informant = { name: `举报人${n % 101}`, contact: `139${String(n % 100_000_000).padStart(8, '0')}` };
    return {
      method: 'POST',
      path: '/api/leads',
      headers: this.headers(a),
      body: JSON.stringify(body),
      onResponse: (status, text) => {
        if (status === 201) a.leads.push((JSON.parse(text) as { id: string }).id);
      },
    };
  }

  transfer(): PlannedRequest {
    const a = this.agencyFor('transfer');
    const leadId = a.leads[a.leadHead];
    if (leadId === undefined) {
      // no lead left to transfer: send a registration instead and count it; a run with starved > 0 was
      // set up too small (raise --leads)
      this.starved += 1;
      return this.register();
    }
    a.leadHead += 1;
    const n = this.seq;
    return {
      method: 'POST',
      path: `/api/leads/${leadId}/transfers`,
      headers: this.headers(a),
      body: JSON.stringify({ toAgency: TRANSFER_TO, letterNo: `县${a.short}移〔${shanghaiToday().slice(0, 4)}〕${n}号`, reason: '涉嫌违纪违法问题线索，按管辖移送县纪委' }),
    };
  }

  recovery(): PlannedRequest {
    const a = this.agencyFor('recovery');
    const caseId = a.cases[a.nextCase % a.cases.length] as string;
    a.nextCase += 1;
    const n = this.seq;
    return {
      method: 'POST',
      path: `/api/cases/${caseId}/recoveries`,
      headers: this.headers(a),
      body: JSON.stringify({ amountFen: 100 + ((n * 7919) % 50_000_000), category: RECOVERY_CATEGORIES[n % RECOVERY_CATEGORIES.length], agency: a.code, recoveredOn: shanghaiToday() }),
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Setup

async function setUp(api: ApiProcess): Promise<AgencyState[]> {
  const base = api.baseUrl;
  const admin = (await expectOk(call(base, 'POST', '/api/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD }), 'admin login')).accessToken as string;
  const agencies: AgencyState[] = [];
  for (const [i, a] of AGENCIES.entries()) {
    const username = `bench-${a.code}`;
    const password = `${username}-password-123`;
    await expectOk(call(base, 'POST', '/api/users', admin, { username, password, role: 'agency', agency: a.code, fullName: `办事员${i + 1}`, unit: a.unit }), `create ${username}`);
    const token = (await expectOk(call(base, 'POST', '/api/auth/login', undefined, { username, password }), `login ${username}`)).accessToken as string;
    agencies.push({ ...a, token, leads: [], leadHead: 0, cases: [], nextCase: 0 });
  }
  const mix = new CommandMix(agencies, false);
  const perAgency = leadsPerAgency + casesPerAgency;
  progress(`setup: registering ${perAgency * agencies.length} leads`);
  // registrations through the mix's own builder (same bodies); their ids land in each agency's FIFO
  await inParallel(perAgency * agencies.length, 16, async () => {
    const r = mix.register();
    const res = await fetch(`${base}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`setup registration: HTTP ${res.status} ${text}`);
    r.onResponse?.(res.status, text);
  });
  progress(`setup: filing ${casesPerAgency * agencies.length} cases`);
  for (const a of agencies) {
    // the first leads of each agency become its cases; the rest wait to be transferred
    const caseLeads = a.leads.slice(0, casesPerAgency);
    a.leadHead = casesPerAgency;
    a.cases = await inParallel(caseLeads.length, 16, async (i) => {
      const body = await expectOk(
        call(base, 'POST', '/api/cases', a.token, { title: `${a.unit}办理案件${i + 1}`, leadIds: [caseLeads[i]], leadAgency: a.code, coAgencies: [], filedOn: shanghaiToday() }),
        'setup case filing',
      );
      return body.id as string;
    });
  }
  return agencies;
}

// ---------------------------------------------------------------------------------------------------
// Measuring

interface CpuWindow {
  /** % of one core; ~100 = the server's one event loop is saturated */
  serverCpuPercent: number;
  /** of which in the kernel (fsync, file and socket writes) */
  serverSystemCpuPercent: number;
  /** server CPU milliseconds per 2xx command (set by the phase) */
  serverCpuMsPerCommand?: number;
  loadGeneratorCpuPercent: number;
  /** every other process on the machine (other benchmarks, the OS), % of one core */
  othersCpuPercent: number;
}

function cpuMeter(api: ApiProcess): () => CpuWindow {
  const t0 = performance.now();
  const s0 = api.cpuSplit();
  const me0 = processCpuSeconds(process.pid);
  const m0 = machineCpuSeconds();
  return () => {
    const wall = (performance.now() - t0) / 1000;
    const s1 = api.cpuSplit();
    const server = s1.user + s1.system - s0.user - s0.system;
    const me = processCpuSeconds(process.pid) - me0;
    const machine = machineCpuSeconds().busy - m0.busy;
    return {
      serverCpuPercent: round((100 * server) / wall),
      serverSystemCpuPercent: round((100 * (s1.system - s0.system)) / wall),
      loadGeneratorCpuPercent: round((100 * me) / wall),
      othersCpuPercent: round(Math.max(0, (100 * (machine - server - me)) / wall)),
    };
  };
}

/** Max lag over all projections, from the api's /metrics. */
async function projectionLag(api: ApiProcess): Promise<number> {
  const text = await (await fetch(`${api.baseUrl}/metrics`)).text();
  let max = 0;
  for (const m of text.matchAll(/^coord_projection_lag_events\{[^}]*\} (\d+(?:\.\d+)?)/gm)) max = Math.max(max, Number(m[1]));
  return max;
}

async function waitForProjections(api: ApiProcess, label: string): Promise<{ lagAtStart: number; caughtUpAfterMs: number }> {
  const t0 = performance.now();
  const lagAtStart = await projectionLag(api);
  let lag = lagAtStart;
  while (lag > 0 && performance.now() - t0 < 120_000) {
    await new Promise((r) => setTimeout(r, 250));
    lag = await projectionLag(api);
  }
  const caughtUpAfterMs = round(performance.now() - t0);
  if (lagAtStart > 0) progress(`${label}: projections were ${lagAtStart} events behind, caught up in ${caughtUpAfterMs} ms${lag > 0 ? ` (still ${lag} behind: gave up waiting)` : ''}`);
  return { lagAtStart, caughtUpAfterMs };
}

const latencySummary = (ms: number[]) => ({
  p50: round(percentile(ms, 50), 1),
  p90: round(percentile(ms, 90), 1),
  p99: round(percentile(ms, 99), 1),
  max: round(ms.length ? Math.max(...ms) : NaN, 1),
});

interface ClosedLoopStep {
  connections: number;
  seconds: number;
  commands2xx: number;
  ratePerSecond: number;
  latencyMs: ReturnType<typeof latencySummary>;
  non2xx: number;
  errors: number;
  statusCounts: Record<string, number>;
  cpu: CpuWindow;
  projectionLagAfter: number;
}

async function closedLoop(api: ApiProcess, mix: CommandMix, connections: number, seconds: number): Promise<ClosedLoopStep> {
  // The templates are shared by every connection; the per-connection context carries the built
  // request's callback to its response (a registration hands its new lead to its agency's FIFO).
  const slot = (kind: Kind): autocannon.Request => ({
    method: 'POST',
    path: '/',
    setupRequest: (req, context) => {
      const r = mix.build(kind);
      context.onResponse = r.onResponse;
      return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
    },
    onResponse: (status, body, context) => (context.onResponse as PlannedRequest['onResponse'])?.(status, body),
  });
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const meter = cpuMeter(api);
  const instance = autocannon({
    url: api.baseUrl,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [slot('register'), slot('transfer'), slot('recovery')],
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    statusCounts[status] = (statusCounts[status] ?? 0) + 1;
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  const cpu = meter();
  cpu.serverCpuMsPerCommand = latencies.length ? round((cpu.serverCpuPercent * 10 * result.duration) / latencies.length, 2) : undefined;
  const non2xx = Object.entries(statusCounts).reduce((n, [s, c]) => (Number(s) >= 200 && Number(s) < 300 ? n : n + c), 0);
  return {
    connections,
    seconds,
    commands2xx: latencies.length,
    ratePerSecond: round(latencies.length / result.duration),
    latencyMs: latencySummary(latencies),
    non2xx,
    errors: result.errors,
    statusCounts,
    cpu,
    projectionLagAfter: await projectionLag(api),
  };
}

/**
 * What the server's time is spent on. Inclusive shares overlap; for the native SQLite time (where the
 * fsyncs wait) the list order is the priority: the first concern on a sample's stack gets it.
 */
const CONCERNS: Concern[] = [
  { name: 'data keys (keys.sqlite: rollback journal, fsync per new key)', test: (f) => /event-store\/src\/encryption\/data-key-store/.test(f.url) },
  { name: 'confidential sealing (AES-GCM, key wrapping)', test: (f) => /event-store\/src\/encryption\/(confidential-vault|master-keyring)/.test(f.url) },
  { name: 'event store append (SQLite transaction, WAL fsync)', test: (f) => /event-store\/src\/sqlite/.test(f.url) && /append/i.test(f.functionName) },
  { name: 'event store reads', test: (f) => /event-store\/src\/sqlite/.test(f.url) && /read|fromRow|streamVersion|headPosition/.test(f.functionName) },
  { name: 'hash chain (canonical JSON + sha256)', test: (f) => /event-store\/src\/integrity/.test(f.url) },
  { name: 'projector in process (projections, read-model writes)', test: (f) => /libs\/read-models\/src\/(projection|projections|shadow)/.test(f.url) },
  { name: 'relay, process managers, scheduler, checkpoints', test: (f) => /libs\/messaging|process-manager|scheduler|embedded-relay|checkpointer/.test(f.url) },
  { name: 'metrics (prom-client: append timings, lag gauges)', test: (f) => /node_modules\/prom-client/.test(f.url) },
  { name: 'authentication and authorization (JWT, sessions, guard, 回避)', test: (f) => /apps\/api\/src\/auth|node_modules\/(jose|jsonwebtoken|jws|jwa)|@nestjs\/jwt/.test(f.url) },
  { name: 'validation (class-validator / class-transformer)', test: (f) => /class-validator|class-transformer/.test(f.url) },
  { name: 'logging (pino, Nest logger, access log)', test: (f) => /node_modules\/pino|observability\/request-logging|@nestjs\/common\/services\/logger/.test(f.url) },
  { name: 'TypeORM (other read-model queries)', test: (f) => /node_modules\/typeorm/.test(f.url) },
  { name: 'command handler (read, fold, decide, append)', test: (f) => /event-store\/src\/command-handler/.test(f.url) },
  { name: 'HTTP framework (fastify, Nest routing, interceptors)', test: (f) => /node_modules\/(fastify|@fastify|find-my-way|@nestjs\/core|@nestjs\/platform-fastify|@nestjs\/cqrs|rxjs)/.test(f.url) },
  { name: 'JSON parse/stringify', test: (f) => f.url === '' && /^(parse|stringify)$/.test(f.functionName) },
  { name: 'garbage collection', test: (f) => f.functionName === '(garbage collector)' },
];

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const profileDir = profileMode === 'never' ? undefined : mkdtempSync(join(tmpdir(), 'coord-bench-http-profile-'));
  const api = await startApiProcess({
    mode: serverMode,
    profileDir,
    env: {
      COORD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // the only settings changed from the shipped defaults: the per-address/per-user rate limits
      // (3,000 and 1,200 a minute) would answer this load with 429, and a longer token life so a long
      // run's tokens do not expire; nothing here changes the work a command does
      COORD_RATE_LIMIT_PER_ADDRESS: '0',
      COORD_RATE_LIMIT_PER_USER: '0',
      COORD_TOKEN_TTL_SECONDS: '7200',
    },
  });
  try {
    const setupStart = performance.now();
    const agencies = await setUp(api);
    const setupSeconds = round((performance.now() - setupStart) / 1000, 1);
    progress(`setup done in ${setupSeconds} s`);
    const mix = new CommandMix(agencies, useIdempotencyKeys);

    if (warmupSeconds > 0) {
      progress(`warm-up: ${warmupSeconds} s at 8 connections`);
      await closedLoop(api, mix, 8, warmupSeconds);
    }

    const steps: ClosedLoopStep[] = [];
    for (const c of connectionSteps) {
      await waitForProjections(api, `before ${c} connections`);
      progress(`closed loop: ${c} connection(s) for ${stepSeconds} s`);
      const s = await closedLoop(api, mix, c, stepSeconds);
      progress(
        `  ${s.ratePerSecond} commands/s, p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms, non-2xx ${s.non2xx}, errors ${s.errors}; server CPU ${s.cpu.serverCpuPercent} % (kernel ${s.cpu.serverSystemCpuPercent} %, ${s.cpu.serverCpuMsPerCommand} ms a command), load generator ${s.cpu.loadGeneratorCpuPercent} %, others ${s.cpu.othersCpuPercent} %`,
      );
      steps.push(s);
    }
    const best = steps.reduce<ClosedLoopStep | undefined>((b, s) => (!b || s.ratePerSecond > b.ratePerSecond ? s : b), undefined);

    await waitForProjections(api, 'before the fixed rate');
    progress(`fixed rate: ${fixedRate} commands/s for ${fixedSeconds} s (open loop)`);
    const meter = cpuMeter(api);
    const fixed = await runOpenLoop({ baseUrl: api.baseUrl, rate: fixedRate, seconds: fixedSeconds, maxSockets: 256, next: (i) => mix.next(i) });
    const fixedCpu = meter();
    fixedCpu.serverCpuMsPerCommand = fixed.latenciesMs.length ? round((fixedCpu.serverCpuPercent * 10 * (fixed.elapsedMs / 1000)) / fixed.latenciesMs.length, 2) : undefined;
    const fixedLag = await projectionLag(api);
    const fixedNon2xx = Object.entries(fixed.statusCounts).reduce((n, [s, c]) => (Number(s) >= 200 && Number(s) < 300 ? n : n + c), 0);
    const fixedLatency = latencySummary(fixed.latenciesMs);
    progress(
      `  achieved ${round(fixed.achieved2xxRate)} commands/s (2xx), p50 ${fixedLatency.p50} ms, p90 ${fixedLatency.p90} ms, p99 ${fixedLatency.p99} ms, max ${fixedLatency.max} ms, non-2xx ${fixedNon2xx}, errors ${fixed.errors}; server CPU ${fixedCpu.serverCpuPercent} %`,
    );

    const totalNon2xx = fixedNon2xx + fixed.errors + steps.reduce((n, s) => n + s.non2xx + s.errors, 0);
    const rateMet = fixed.achieved2xxRate >= 0.98 * fixedRate;
    const p99Met = fixedLatency.p99 < P99_TARGET_MS;
    const errorsMet = totalNon2xx <= maxErrors && mix.starved === 0;
    const met = rateMet && p99Met && errorsMet;

    let profile: (ProfileSummary & { phase: string; file?: string }) | undefined;
    const wantProfile = profileMode === 'always' || (profileMode === 'auto' && (!met || (best?.ratePerSecond ?? 0) < fixedRate));
    if (wantProfile && profileDir && best) {
      await waitForProjections(api, 'before profiling');
      progress(`profiling the server: ${best.connections} connections for ${profileSeconds} s`);
      await api.startProfile();
      await closedLoop(api, mix, best.connections, profileSeconds);
      const file = await api.stopProfile();
      profile = { phase: `closed loop, ${best.connections} connections, ${profileSeconds} s`, ...summarizeCpuProfile(file, CONCERNS), ...(keep ? { file } : {}) };
      for (const c of profile.inclusiveBusyPercent) progress(`  ${String(c.percent).padStart(5)} %  ${c.concern}`);
      progress(`  native SQLite calls (statements, commits and their fsyncs): ${profile.sqliteNative.percent} % of busy time, by caller:`);
      for (const c of profile.sqliteNative.byCaller) progress(`  ${String(c.percent).padStart(5)} %  ${c.concern}`);
    }

    const firstNon2xx = Object.fromEntries(
      [...steps.flatMap((s) => Object.entries(s.statusCounts)), ...Object.entries(fixed.statusCounts)].filter(([s]) => Number(s) < 200 || Number(s) > 299),
    );
    printResult('http-commands', {
      setup: {
        server: serverMode === 'ts' ? 'node -r bench/support/register.js apps/api/src/main.ts (swc, no build)' : 'node dist/apps/api/apps/api/src/main.js',
        profile: 'embedded default: SQLite store (WAL, synchronous=FULL) and read models, projector in process, LOG_LEVEL=info to a file; rate limits off',
        agencies: agencies.length,
        leadsRegisteredBeforehand: (leadsPerAgency + casesPerAgency) * agencies.length,
        casesFiledBeforehand: casesPerAgency * agencies.length,
        setupSeconds,
        mix: 'register lead, transfer lead, record recovery: 1/3 each; no If-Match',
        idempotencyKeys: useIdempotencyKeys,
        serverRssMiBAtEnd: api.rssMiB(),
      },
      target: { fixedRatePerSecond: fixedRate, p99BelowMs: P99_TARGET_MS, maxNon2xx: maxErrors },
      met,
      maxSustained: {
        best: best && { connections: best.connections, ratePerSecond: best.ratePerSecond, latencyMs: best.latencyMs, non2xx: best.non2xx, errors: best.errors, serverCpuPercent: best.cpu.serverCpuPercent },
        atLeastFixedRate: (best?.ratePerSecond ?? 0) >= fixedRate,
        steps,
      },
      fixedRate: {
        ratePerSecond: fixedRate,
        seconds: fixedSeconds,
        planned: fixed.planned,
        achievedRatePerSecond: round(fixed.achieved2xxRate),
        latencyMs: fixedLatency,
        latencyFrom: 'each request’s due time (open loop, coordinated omission included)',
        maxWaitForConnectionMs: round(fixed.maxQueueMs, 1),
        non2xx: fixedNon2xx,
        errors: fixed.errors,
        statusCounts: fixed.statusCounts,
        cpu: fixedCpu,
        projectionLagAfter: fixedLag,
        met: { rate: rateMet, p99: p99Met, errors: errorsMet },
      },
      transfersWithoutTarget: mix.starved,
      non2xxByStatus: firstNon2xx,
      ...(profile ? { profile } : {}),
    });
  } finally {
    await api.stop({ keepData: keep });
    if (profileDir && !keep) rmSync(profileDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
