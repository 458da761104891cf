import { AGENCY_CODES, calendarFromEvents, LEAD_SOURCES, SEED_AGENCIES, streams, type Actor, type CalendarEvent } from '@coord/domain';
import type { EventStore } from '@coord/event-store';
import type { AppConfig } from '@coord/platform';
import { LEAD_STATUSES, LeadQuery, OverdueFollowUpQuery, RecoveredLossQuery, type LeadListQuery, type RecoveredLossTotalsQuery } from '@coord/read-models';
import type { DataSource } from 'typeorm';
import { RecusalService, type PersonActor } from '../../apps/api/src/auth/authorization/recusal';
import { scopeOf } from '../../apps/api/src/http/scope';
import { regularMeetingsOwedSince } from '../../apps/api/src/reports/regular-meetings-owed-since';
import { percentile, round } from './stats';
import { mulberry32 } from './history-generator';

/*
 * The three queries of issue 7's query target, called the way the api's controllers call them — same
 * query classes, same arguments, same helper calls around them — with the parameters the web console and
 * its users send (apps/web/src/pages):
 *
 *  - recovered-loss totals (GET /api/reports/recovered-losses): the home page's totals by year (no period),
 *    the dashboard's by year and by agency for its default period (start of the year four years ago →
 *    today) and for other periods, its drill-down by case for one year, and quarter/category reports;
 *  - overdue follow-ups (GET /api/follow-ups/overdue): as of today or of a past date, for the office (all
 *    agencies or one) or for a member agency's user (its own items); the counts the home page and dashboard
 *    ask (limit 1), the 逾期事项 page's first and next pages (limit 20); the calendar and `meetingsSince`
 *    come from the same places as in ReportsController (the calendar is cached by CalendarService, so
 *    folded once here);
 *  - the lead ledger (GET /api/leads): RecusalService.hiddenFrom(actor) THEN LeadQuery.list, as
 *    LeadsController.list does, for office, leadership and agency users who all have a recorded identity
 *    (the office records one for every user, docs/security-authorization.md) — so the 回避 lookup runs on
 *    every list request; status / holder agency / source filters alone and combined; the first page, the
 *    next pages, and the console's getAll walk (limit 500, keyset `before` through the whole ledger).
 *
 * Parameters come from a seeded PRNG, so two runs (or two sizes of the growth benchmark) ask the same mix.
 * Each call reports its variant, so a miss can be traced to the shape of request that caused it.
 */

export const QUERY_NAMES = ['recovered-loss-totals', 'overdue-follow-ups', 'lead-ledger'] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

export interface QueryCall {
  variant: string;
  run: () => Promise<unknown>;
}

export interface QueryWorkload {
  /** the next call of this query (lead-ledger calls must have been prepared) */
  next(name: QueryName): QueryCall;
  /** draw `n` lead-ledger calls ahead: choosing an offset that exists needs the filter's row count, which
   *  is a query itself and must stay out of the timing */
  prepare(n: number): Promise<void>;
}

export interface WorkloadOptions {
  dataSource: DataSource;
  store: EventStore;
  config: AppConfig;
  /** "today" of the data (the generator's `toDate`) */
  today: string;
  /** first business date of the data (the generator's `fromDate`) */
  fromDate: string;
  seed?: number;
}


// a few of the history generator's names and units: identities that are sometimes a lead's subject
const USER_NAMES = ['王伟', '李娜', '张敏', '刘强', '陈静', '杨军', '黄丽', '赵磊', '吴洋', '周杰'];
const USER_UNITS = ['县交通运输局', '县住房和城乡建设局', '县自然资源局', '县水利局', '县教育局', '县纪委监委'];

const AGENCY_NAMES: Record<string, string> = Object.fromEntries(SEED_AGENCIES.map((a) => [a.code, a.name]));

export async function createQueryWorkload(o: WorkloadOptions): Promise<QueryWorkload> {
  const rng = mulberry32(o.seed ?? 20_260_630);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
  const int = (min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
  const weighted = <T>(choices: readonly [number, T][]): T => {
    let r = rng() * choices.reduce((s, [w]) => s + w, 0);
    for (const [w, v] of choices) if ((r -= w) < 0) return v;
    return choices[choices.length - 1]![1];
  };

  const losses = new RecoveredLossQuery(o.dataSource);
  const overdue = new OverdueFollowUpQuery(o.dataSource);
  const leads = new LeadQuery(o.dataSource);
  const recusal = new RecusalService(o.store, o.dataSource);
  // CalendarService keeps the folded calendar stream cached between requests: fold it once, like it does
  const calendar = calendarFromEvents((await o.store.readStream(streams.calendar())).map((e) => ({ type: e.type, data: e.data }) as CalendarEvent));

  const firstYear = Number(o.fromDate.slice(0, 4));
  const lastYear = Number(o.today.slice(0, 4));
  const year = () => int(firstYear, lastYear);
  const monthEnd = (): string => {
    const d = new Date(Date.UTC(year(), int(0, 11) + 1, 0)).toISOString().slice(0, 10);
    return d > o.today ? o.today : d < o.fromDate ? o.fromDate : d;
  };
  const dashboardFrom = `${lastYear - 4}-01-01`;

  const actor = (role: 'office' | 'leadership' | 'agency'): PersonActor => {
    const agency = role === 'agency' ? pick(AGENCY_CODES.filter((a) => a !== 'discipline-commission')) : role === 'office' ? 'discipline-commission' : undefined;
    return { userId: `u-${role}-${int(1, 20)}`, username: `${role}${int(1, 20)}`, role, ...(agency ? { agency } : {}), fullName: pick(USER_NAMES), unit: pick(USER_UNITS) } as PersonActor;
  };

  // ledger sizes per filter, for pages that exist (the console walks offsets up to the total)
  const totals = new Map<string, number>();
  const totalOf = async (q: LeadListQuery): Promise<number> => {
    const key = JSON.stringify({ ...q, limit: 0, offset: 0, excludeIds: undefined, before: undefined });
    let t = totals.get(key);
    if (t === undefined) {
      t = (await leads.list({ ...q, limit: 1, offset: 0 })).total;
      totals.set(key, t);
    }
    return t;
  };

  const recoveredLoss = (): QueryCall => {
    const variant = weighted<string>([
      [25, 'home: by year, all time'],
      [20, 'dashboard: by year, default period'],
      [20, 'dashboard: by agency, default period'],
      [10, 'dashboard: by agency, one year'],
      [10, 'dashboard drill: by case, one year'],
      [15, 'report: by quarter or category, a year or a quarter'],
    ]);
    let q: RecoveredLossTotalsQuery;
    if (variant.startsWith('home')) q = { groupBy: 'year' };
    else if (variant.includes('default period')) q = { groupBy: variant.includes('by year') ? 'year' : 'agency', from: dashboardFrom, to: o.today };
    else if (variant.startsWith('dashboard: by agency, one year')) {
      const y = year();
      q = { groupBy: 'agency', from: `${y}-01-01`, to: `${y}-12-31` };
    } else if (variant.startsWith('dashboard drill')) {
      const y = year();
      q = { groupBy: 'case', from: `${y}-01-01`, to: `${y}-12-31` };
    } else {
      const y = year();
      const quarter = rng() < 0.5 ? int(1, 4) : 0;
      const from = quarter ? `${y}-${String(quarter * 3 - 2).padStart(2, '0')}-01` : `${y}-01-01`;
      const to = quarter ? new Date(Date.UTC(y, quarter * 3, 0)).toISOString().slice(0, 10) : `${y}-12-31`;
      q = { groupBy: rng() < 0.5 ? 'quarter' : 'category', from, to };
    }
    // the controller passes the agency directory's names (seed names unless renamed)
    return { variant, run: () => losses.totals({ ...q, agencyNames: AGENCY_NAMES }) };
  };

  const overdueFollowUps = (): QueryCall => {
    const who = rng() < 0.5 ? actor('office') : actor('agency');
    const today = rng() < 0.6;
    const asOf = today ? o.today : monthEnd();
    // the console's requests (apps/web/src/pages): the home page and the dashboard ask one item for the
    // counts (total, by agency); the 逾期事项 page and the dashboard's drill-down page through the list
    // 20 at a time, first page most often; the office sometimes narrows it to one agency
    const paging = weighted<'counts' | 'first' | 'next'>([
      [40, 'counts'],
      [40, 'first'],
      [20, 'next'],
    ]);
    const limit = paging === 'counts' ? 1 : 20;
    const offset = paging === 'next' ? 20 * int(1, 9) : 0;
    const oneAgency = who.role !== 'agency' && paging !== 'counts' && rng() < 0.25 ? pick(AGENCY_CODES) : undefined;
    const variant = `${who.role === 'agency' ? 'agency user' : oneAgency ? 'office, one agency' : 'office'}, as of ${today ? 'today' : 'a past month end'}, ${paging === 'counts' ? 'counts (limit 1)' : paging === 'first' ? 'first page (limit 20)' : 'pages 2–10 (limit 20)'}`;
    return {
      variant,
      run: async () => {
        // as ReportsController.overdueFollowUps: an agency user sees only its own items
        const agency = who.role === 'agency' ? who.agency : oneAgency;
        const meetingsSince = await regularMeetingsOwedSince(o.store, o.config.groupEstablishedOn);
        return overdue.list({ asOf, agency, calendar, clocks: o.config.clocks, meetingsSince, limit, offset });
      },
    };
  };

  const leadLedger = async (): Promise<QueryCall> => {
    const role = weighted<'office' | 'leadership' | 'agency'>([
      [45, 'office'],
      [15, 'leadership'],
      [40, 'agency'],
    ]);
    const who = actor(role);
    const filters = weighted<number>([
      [40, 0],
      [40, 1],
      [20, 2],
    ]);
    const q: LeadListQuery = {};
    const keys = [...(['status', 'agency', 'source'] as const)].sort(() => rng() - 0.5).slice(0, filters);
    for (const k of keys) {
      if (k === 'status') q.status = pick(LEAD_STATUSES);
      if (k === 'agency') q.agency = pick(AGENCY_CODES);
      if (k === 'source') q.source = pick(LEAD_SOURCES);
    }
    q.scopeAgency = scopeOf(who as Actor);
    const paging = weighted<'first' | 'next' | 'walk'>([
      [60, 'first'],
      [25, 'next'],
      [15, 'walk'],
    ]);
    if (paging === 'first') {
      q.limit = rng() < 0.7 ? 50 : 20;
      q.offset = 0;
    } else if (paging === 'next') {
      q.limit = 50;
      const total = await totalOf(q);
      q.offset = 50 * Math.min(int(1, 20), Math.max(0, Math.ceil(total / 50) - 1));
    } else {
      // the console's getAll (apps/web/src/api.tsx with leadsAfter): limit 500, the first page, then each
      // next one before the previous page's last row (keyset) — up to the total
      q.limit = 500;
      const total = await totalOf(q);
      const page = int(0, Math.max(0, Math.ceil(total / 500) - 1));
      q.offset = 0;
      if (page > 0) {
        // the previous page's last row, looked up outside the timing (the console has it from that page)
        const last = (await leads.list({ ...q, limit: 1, offset: 500 * page - 1 })).items[0];
        if (last) q.before = last.registeredPosition;
      }
    }
    const variant = `${role === 'agency' ? 'agency user (scoped)' : 'county-wide user'}, ${filters ? 'filtered' : 'no filter'}, ${paging === 'walk' ? 'getAll walk (limit 500, keyset, any page)' : paging === 'next' ? 'pages 2–21 (limit 50)' : 'first page'}`;
    return {
      variant,
      run: async () => {
        // as LeadsController.list
        const { leadIds } = await recusal.hiddenFrom(who);
        return leads.list({ ...q, excludeIds: leadIds });
      },
    };
  };

  const pending: QueryCall[] = [];
  return {
    next(name) {
      if (name === 'recovered-loss-totals') return recoveredLoss();
      if (name === 'overdue-follow-ups') return overdueFollowUps();
      const call = pending.shift();
      if (!call) throw new Error('lead-ledger calls must be prepared first (workload.prepare)');
      return call;
    },
    async prepare(n: number) {
      for (let i = 0; i < n; i++) pending.push(await leadLedger());
    },
  };
}

export interface QueryStats {
  n: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /**
   * CPU time of this process per call (user + system). With SQLite read models the query runs on this
   * thread, so on a busy machine (other processes on the same cores) wall time = CPU time + waiting for a
   * core, and the CPU figures show what the query itself costs. Not meaningful for PostgreSQL (the work is
   * in the server process).
   */
  cpuP50Ms: number;
  cpuP99Ms: number;
  /** per request shape: count, wall p50/p99/max and CPU p50, slowest p99 first */
  variants: { variant: string; n: number; p50Ms: number; p99Ms: number; maxMs: number; cpuP50Ms: number }[];
}

export type QueryResults = Record<QueryName, QueryStats>;

/**
 * Run the three queries round-robin (the api serves them interleaved, and a noisy neighbour then hits all
 * three alike): `warmup` untimed rounds, then `iterations` timed calls of each.
 */
export async function measureQueries(
  workload: QueryWorkload,
  options: { iterations: number; warmup: number; names?: readonly QueryName[]; onProgress?: (done: number) => void },
): Promise<QueryResults> {
  const names = options.names ?? QUERY_NAMES;
  if (names.includes('lead-ledger')) await workload.prepare(options.warmup + options.iterations);
  const samples = new Map<QueryName, { variant: string; ms: number; cpuMs: number }[]>(names.map((n) => [n, []]));
  for (let i = 0; i < options.warmup + options.iterations; i++) {
    for (const name of names) {
      const call = workload.next(name);
      const cpu = process.cpuUsage();
      const t = performance.now();
      await call.run();
      const ms = performance.now() - t;
      const used = process.cpuUsage(cpu);
      if (i >= options.warmup) samples.get(name)!.push({ variant: call.variant, ms, cpuMs: (used.user + used.system) / 1000 });
    }
    if (options.onProgress && (i + 1) % 100 === 0) options.onProgress(i + 1);
  }
  const out = {} as QueryResults;
  for (const name of names) {
    const s = samples.get(name)!;
    const ms = s.map((x) => x.ms);
    const byVariant = new Map<string, { ms: number; cpuMs: number }[]>();
    for (const x of s) byVariant.set(x.variant, [...(byVariant.get(x.variant) ?? []), x]);
    out[name] = {
      n: ms.length,
      p50Ms: round(percentile(ms, 50), 2),
      p99Ms: round(percentile(ms, 99), 2),
      maxMs: round(Math.max(...ms), 2),
      meanMs: round(ms.reduce((a, b) => a + b, 0) / ms.length, 2),
      cpuP50Ms: round(percentile(s.map((x) => x.cpuMs), 50), 2),
      cpuP99Ms: round(percentile(s.map((x) => x.cpuMs), 99), 2),
      variants: [...byVariant]
        .map(([variant, v]) => {
          const wall = v.map((x) => x.ms);
          return { variant, n: v.length, p50Ms: round(percentile(wall, 50), 2), p99Ms: round(percentile(wall, 99), 2), maxMs: round(Math.max(...wall), 2), cpuP50Ms: round(percentile(v.map((x) => x.cpuMs), 50), 2) };
        })
        .sort((a, b) => b.p99Ms - a.p99Ms),
    };
  }
  return out;
}
