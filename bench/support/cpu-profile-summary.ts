import { readFileSync } from 'node:fs';
import { round } from './stats';

/**
 * Reads a V8 .cpuprofile and says where the time went, in two ways:
 *  - self time by function and by code area (a package in node_modules, a folder of this repository,
 *    node's internals, GC, idle);
 *  - inclusive shares of named concerns ("validation", "event store append", …): the fraction of busy
 *    samples with at least one frame of that concern on the stack. These overlap (an append runs inside
 *    a command handler inside a route), so they do not add up to 100 %.
 */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Concern {
  name: string;
  /** true when a frame belongs to the concern */
  test: (frame: CallFrame) => boolean;
}

export interface ProfileSummary {
  profiledMs: number;
  /** share of samples the thread was idle (waiting in the event loop), % */
  idlePercent: number;
  gcPercent: number;
  /** share of BUSY samples (idle excluded) with a frame of the concern on the stack, % */
  inclusiveBusyPercent: { concern: string; percent: number }[];
  /** self time by code area, % of busy samples */
  selfByArea: { area: string; percent: number }[];
  topSelfFunctions: { fn: string; where: string; percent: number }[];
  /**
   * Time inside better-sqlite3's native calls (statement steps, and the COMMIT whose fsync a durable
   * setting waits for — the event loop is blocked meanwhile), as % of busy samples, and who made them:
   * the highest-priority concern on the stack (the order of `concerns`), or "other".
   */
  sqliteNative: { percent: number; byCaller: { concern: string; percent: number }[] };
}

/** better-sqlite3's native entry points, as V8 names them (no url: native code) */
const SQLITE_NATIVE = /^(run|all|get|iterate|exec|pragma|Statement|transaction|prepare)$/;

const ROOT_MARK = /\/(apps|libs|bench|test)\//;

/** node_modules/<pkg> (scoped too), a folder of this repository, node's internals, or a V8 pseudo-frame. */
export function areaOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] as string;
  if (url.startsWith('node:')) return 'node internals';
  const m = ROOT_MARK.exec(url);
  if (m) {
    const rest = url.slice((m.index ?? 0) + 1).split('/');
    // apps/api/src/leads, libs/event-store/src/sqlite
    return rest.slice(0, Math.min(rest.length - 1, 4)).filter((p) => p !== 'src').join('/');
  }
  return url;
}

export function summarizeCpuProfile(file: string, concerns: readonly Concern[], topN = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) byId.set(n.id, n);
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // time per sample: its delta to the next one (V8's convention), so uneven sampling is weighted right
  const weightOfSample = (i: number) => profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
  let total = 0;
  let idle = 0;
  let gc = 0;
  const selfArea = new Map<string, number>();
  const selfFn = new Map<string, number>();
  const concernTime = new Map<string, number>();
  let sqliteTime = 0;
  const sqliteCaller = new Map<string, number>();
  // the caller of a native SQLite call: the concern listed FIRST among those on its stack (the list
  // order is the priority: "data keys" beats "command handler" beats "HTTP framework")
  const callerOf = (leaf: number): string => {
    const on = concernsOnStack(leaf);
    return concerns.find((c) => on.has(c.name))?.name ?? 'other';
  };
  const stackCache = new Map<number, Set<string>>();
  const concernsOnStack = (leaf: number): Set<string> => {
    let s = stackCache.get(leaf);
    if (s) return s;
    s = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const frame = (byId.get(id) as ProfileNode).callFrame;
      for (const c of concerns) if (!s.has(c.name) && c.test(frame)) s.add(c.name);
    }
    stackCache.set(leaf, s);
    return s;
  };

  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    const w = weightOfSample(i);
    total += w;
    const frame = (byId.get(id) as ProfileNode).callFrame;
    if (frame.functionName === '(idle)') {
      idle += w;
      continue;
    }
    if (frame.functionName === '(garbage collector)') gc += w;
    const area = areaOf(frame);
    selfArea.set(area, (selfArea.get(area) ?? 0) + w);
    const where = frame.url ? `${frame.url.replace(/^.*?\/(node_modules|apps|libs|bench)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'}\t${where}`;
    selfFn.set(key, (selfFn.get(key) ?? 0) + w);
    for (const c of concernsOnStack(id)) concernTime.set(c, (concernTime.get(c) ?? 0) + w);
    if (frame.url === '' && SQLITE_NATIVE.test(frame.functionName)) {
      sqliteTime += w;
      const c = callerOf(id);
      sqliteCaller.set(c, (sqliteCaller.get(c) ?? 0) + w);
    }
  }
  const busy = Math.max(1, total - idle);
  const pct = (v: number, of: number) => round((100 * v) / of, 1);
  const sorted = <K>(m: Map<K, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    profiledMs: round(total / 1000),
    idlePercent: pct(idle, Math.max(1, total)),
    gcPercent: pct(gc, busy),
    inclusiveBusyPercent: concerns.map((c) => ({ concern: c.name, percent: pct(concernTime.get(c.name) ?? 0, busy) })).sort((a, b) => b.percent - a.percent),
    selfByArea: sorted(selfArea)
      .slice(0, topN)
      .map(([area, v]) => ({ area, percent: pct(v, busy) })),
    topSelfFunctions: sorted(selfFn)
      .slice(0, topN)
      .map(([k, v]) => {
        const [fn, where] = k.split('\t') as [string, string];
        return { fn, where, percent: pct(v, busy) };
      }),
    sqliteNative: { percent: pct(sqliteTime, busy), byCaller: sorted(sqliteCaller).map(([concern, v]) => ({ concern, percent: pct(v, busy) })) },
  };
}
