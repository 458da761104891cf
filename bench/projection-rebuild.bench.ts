import 'reflect-metadata';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@coord/event-store';
import { loadConfig, openEventStore, openReadModels } from '@coord/platform';
import { ALL_PROJECTIONS, ProjectionRunner, READ_MODEL_ENTITIES } from '@coord/read-models';
import { intArg, printResult, progress, stringArg } from './support/bench-output';
import { HistoryGenerator, loadHistory } from './support/history-generator';
import { median, round } from './support/stats';

/*
 * Issue 7, target 4: projection rebuild and catch-up over at least 1,000,000 events of a realistic mix, at
 * least 50,000 events/s on SQLite and 30,000 events/s on PostgreSQL for the full projection set, with
 * memory that does not grow with the number of events.
 *
 *   npm run bench:rebuild [-- --events 1000000 --store sqlite|postgres|both --catchup-percent 10
 *                            --cache-dir <dir>]
 *
 * Per profile (SQLite: events and read models in SQLite files, as the embedded default; PostgreSQL: events
 * and read models in PostgreSQL, database bench_rebuild created and dropped here), opened exactly as the
 * api, projector and `projections:rebuild` open them (loadConfig → openEventStore / openReadModels with the
 * migrations; the runner over ALL_PROJECTIONS with the configured batch size):
 *
 *  1. not measured: the event store is filled with `--events` events of the history generator
 *     (support/history-generator.ts: about 10 events per lead, 2019–2026, chronological, every projection
 *     gets work, some 4% of events handled by no projection);
 *  2. rebuild: ProjectionRunner.rebuild() — clear every projection table and checkpoint, replay the log from
 *     position 0 — timed, in events/s; memory (rss, V8 heap) sampled every 250 ms together with the log
 *     position reached, and summarized per quarter of the log: a runner whose memory grew with the events
 *     would show it rising from quarter to quarter;
 *  3. catch-up: another `--catchup-percent` % of events (the same history, continued: the newest events) is
 *     appended, then runUntilCaughtUp() is timed — the projector after a restart, or a backlog after an
 *     outage, against read models already holding the first million events' rows.
 *
 * `--cache-dir` keeps the generated SQLite event stores (events-<n>.sqlite) between runs (the build is the
 * slow part); the history is deterministic, so a kept store holds exactly the events a fresh one would.
 */

const TARGETS = { sqlite: 50_000, postgres: 30_000 } as const;
type Kind = keyof typeof TARGETS;
const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_DB = 'bench_rebuild';

interface MemorySample {
  position: number;
  rssMiB: number;
  heapMiB: number;
}

/** Live heap (after a full GC) when the runner has read 25%, 50%, 75% and 100% of the log. */
interface LiveHeap {
  percent: number;
  position: number;
  liveHeapMiB: number;
  rssMiB: number;
}

// A full GC on demand (as `node --expose-gc` would give), used only at the four quarter marks of the
// rebuild: heapUsed between collections includes garbage and follows the GC's pacing, the live heap is
// what the runner actually holds. The time of these four collections is taken out of the rebuild time.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function main(): Promise<void> {
  const events = intArg('events', 1_000_000);
  const catchUpPercent = intArg('catchup-percent', 10);
  const which = stringArg('store', 'both');
  const cacheDir = stringArg('cache-dir', '');
  const kinds: Kind[] = which === 'both' ? ['sqlite', 'postgres'] : which === 'sqlite' || which === 'postgres' ? [which] : [];
  if (kinds.length === 0) throw new RangeError('--store must be sqlite, postgres or both');

  const results: Record<string, unknown> = {};
  for (const kind of kinds) results[kind] = await runProfile(kind, events, Math.round((events * catchUpPercent) / 100), cacheDir);
  const met = kinds.every((k) => (results[k] as { met: boolean }).met);
  printResult('projection-rebuild', {
    events,
    catchUpEvents: Math.round((events * catchUpPercent) / 100),
    projections: ALL_PROJECTIONS.map((p) => p.name),
    target: { sqliteEventsPerSecond: TARGETS.sqlite, postgresEventsPerSecond: TARGETS.postgres, memory: 'no growth with the number of events' },
    ...results,
    met,
  });
}

async function runProfile(kind: Kind, events: number, catchUpEvents: number, cacheDir: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), `bench-rebuild-${kind}-`));
  const env: Record<string, string> = { COORD_DATA_DIR: dir, COORD_EVENT_STORE: kind, COORD_READ_MODELS: kind };
  if (kind === 'postgres') env.COORD_PG_URL = await createDatabase();
  const config = loadConfig(env);
  const eventsFile = config.eventStore.kind === 'sqlite' ? config.eventStore.file : undefined;
  // a kept copy of the generated store (SQLite): copied in, because the catch-up appends to the working copy
  const cached = kind === 'sqlite' && cacheDir ? join(cacheDir, `events-${events}.sqlite`) : undefined;
  const reuse = cached !== undefined && existsSync(cached);
  if (reuse && eventsFile) copyFileSync(cached, eventsFile);
  let store: EventStore | undefined;
  let dataSource: DataSource | undefined;
  try {
    store = await openEventStore(config);
    const generator = new HistoryGenerator({ events: events + catchUpEvents });
    let load: Record<string, number> | undefined;
    if (reuse) {
      progress(`[${kind}] reusing the events in ${cached}; replaying the generator to the same point`);
      for (const batch of generator.batches(10_000, events)) void batch;
      const head = await store.headPosition();
      if (head !== generator.counts.events) throw new Error(`${cached} holds ${head} events, not the generator's ${generator.counts.events}; delete it`);
    } else {
      progress(`[${kind}] loading ${events} events (history generator, appendMulti batches of 5,000)`);
      const r = await loadHistory(store, { generator, events, onProgress: (n) => progress(`[${kind}]   loaded ${n}`) });
      load = { events: r.events, seconds: round(r.ms / 1000, 1), eventsPerSecond: round(r.events / (r.ms / 1000)) };
      progress(`[${kind}]   ${load.eventsPerSecond} events/s`);
      if (cached && eventsFile) {
        mkdirSync(cacheDir, { recursive: true });
        await store.close();
        copyFileSync(eventsFile, cached);
        store = await openEventStore(config);
      }
    }

    dataSource = await openReadModels(config);
    const runner = new ProjectionRunner({ store, dataSource, projections: ALL_PROJECTIONS, batchSize: config.projections.batchSize });

    // ── rebuild ──
    progress(`[${kind}] rebuild over ${events} events`);
    // Memory is sampled by the runner's own reads (at most every 250 ms): a timer would not do, because a
    // SQLite catch-up rarely yields to the event loop's timer phase (better-sqlite3 is synchronous).
    const samples: MemorySample[] = [];
    const live: LiveHeap[] = [];
    let gcMs = 0;
    const reached = trackPosition(
      store,
      (position) => {
        const m = process.memoryUsage();
        samples.push({ position, rssMiB: round(m.rss / 2 ** 20), heapMiB: round(m.heapUsed / 2 ** 20) });
      },
      events,
      (percent, position) => {
        const g = performance.now();
        gc();
        const m = process.memoryUsage();
        gcMs += performance.now() - g;
        live.push({ percent, position, liveHeapMiB: round(m.heapUsed / 2 ** 20), rssMiB: round(m.rss / 2 ** 20) });
      },
    );
    let t = performance.now();
    let cpu = process.cpuUsage();
    const rebuilt = await runner.rebuild();
    const rebuildMs = performance.now() - t - gcMs;
    const rebuildCpu = cpuSeconds(cpu);
    reached.stop();
    const rebuildRate = rebuilt / (rebuildMs / 1000);
    progress(`[${kind}]   ${rebuilt} events in ${round(rebuildMs / 1000, 1)} s: ${round(rebuildRate)} events/s`);
    const rows = await rowCounts(dataSource);

    // ── catch-up ──
    progress(`[${kind}] appending ${catchUpEvents} more events (the same history, continued), then catching up`);
    const more = await loadHistory(store, { generator, events: catchUpEvents });
    t = performance.now();
    cpu = process.cpuUsage();
    const caughtUp = await runner.runUntilCaughtUp();
    const catchUpMs = performance.now() - t;
    const catchUpCpu = cpuSeconds(cpu);
    const catchUpRate = caughtUp / (catchUpMs / 1000);
    progress(`[${kind}]   ${caughtUp} events in ${round(catchUpMs / 1000, 1)} s: ${round(catchUpRate)} events/s`);

    const memory = { ...summarizeMemory(samples, events, live), forcedGcSeconds: round(gcMs / 1000, 1) };
    const target = TARGETS[kind];
    return {
      store: kind === 'sqlite' ? 'SQLite events + SQLite read models (embedded default)' : 'PostgreSQL events + PostgreSQL read models',
      batchSize: config.projections.batchSize,
      load,
      // cpuSeconds: this process's CPU time (the database server's is not in it); on a busy machine
      // events/cpuSeconds shows what the code costs, events/seconds what this run got
      rebuild: { events: rebuilt, seconds: round(rebuildMs / 1000, 1), cpuSeconds: rebuildCpu, eventsPerSecond: round(rebuildRate) },
      catchUp: { events: caughtUp, appended: more.events, seconds: round(catchUpMs / 1000, 1), cpuSeconds: catchUpCpu, eventsPerSecond: round(catchUpRate) },
      memory,
      rows,
      target: { eventsPerSecond: target },
      checks: { rebuild: rebuildRate >= target, catchUp: catchUpRate >= target, memoryFlat: memory.flat },
      met: rebuildRate >= target && catchUpRate >= target && memory.flat,
    };
  } finally {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
    if (kind === 'postgres') await dropDatabase();
  }
}

/**
 * Calls `sample` with the highest position the runner has read, at most every 250 ms, and `quarter` once
 * when it first reaches each quarter of `events` (wraps readAll on this store object).
 */
function trackPosition(
  store: EventStore,
  sample: (position: number) => void,
  events: number,
  quarter: (percent: number, position: number) => void,
): { stop(): void } {
  const readAll = store.readAll.bind(store);
  let position = 0;
  let last = 0;
  let nextQuarter = 1;
  sample(0);
  store.readAll = async (after, limit) => {
    const read = await readAll(after, limit);
    const tail = read[read.length - 1];
    if (tail && tail.position > position) position = tail.position;
    while (nextQuarter <= 4 && position >= (nextQuarter * events) / 4) {
      quarter(nextQuarter * 25, position);
      nextQuarter++;
    }
    const now = performance.now();
    if (now - last >= 250) {
      last = now;
      sample(position);
    }
    return read;
  };
  return {
    stop: () => {
      sample(position);
      store.readAll = readAll;
    },
  };
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return round((used.user + used.system) / 1e6, 1);
}

/**
 * Memory per quarter of the log (by the position the runner had read when the sample was taken): median
 * and maximum of rss and heapUsed, and the live heap after a full GC at 25/50/75/100%. "flat" = the live
 * heap at 100% is within 10% (+16 MiB) of the live heap at 50% — by half-way every bounded structure (row
 * caches, filters) is full, so anything still growing would be growing with the number of events.
 */
function summarizeMemory(samples: MemorySample[], events: number, live: LiveHeap[]) {
  const quarters = [1, 2, 3, 4].map((q) => {
    const inQ = samples.filter((s) => s.position > ((q - 1) * events) / 4 && s.position <= (q * events) / 4);
    const heap = inQ.map((s) => s.heapMiB);
    const rss = inQ.map((s) => s.rssMiB);
    return { quarter: q, samples: inQ.length, heapMiBMedian: median(heap), heapMiBMax: Math.max(...heap), rssMiBMedian: median(rss), rssMiBMax: Math.max(...rss) };
  });
  const half = live.find((l) => l.percent === 50)?.liveHeapMiB ?? NaN;
  const end = live.find((l) => l.percent === 100)?.liveHeapMiB ?? NaN;
  return { liveHeap: live, quarters, flat: Number.isFinite(half) && Number.isFinite(end) && end <= half * 1.1 + 16 };
}

async function rowCounts(dataSource: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const entity of READ_MODEL_ENTITIES) {
    const m = dataSource.getMetadata(entity);
    if (!ALL_PROJECTIONS.some((p) => p.entity === entity)) continue;
    const name = m.schema ? `"${m.schema}"."${m.tableName}"` : `"${m.tableName}"`;
    const [row] = (await dataSource.query(`SELECT COUNT(*) AS "n" FROM ${name}`)) as { n: string | number }[];
    out[m.tableName] = Number(row?.n ?? 0);
  }
  return out;
}

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_ADMIN });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

async function createDatabase(): Promise<string> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${PG_DB}"`);
    await c.query(`CREATE DATABASE "${PG_DB}"`);
  });
  const url = new URL(PG_ADMIN);
  url.pathname = `/${PG_DB}`;
  return url.toString();
}

async function dropDatabase(): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${PG_DB}"`));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
