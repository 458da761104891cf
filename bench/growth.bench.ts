import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { intArg, printResult, progress, stringArg } from './support/bench-output';
import { openBenchSystem, readModelRowCounts } from './support/bench-system';
import { HistoryGenerator, loadHistory } from './support/history-generator';
import { createQueryWorkload, measureQueries, QUERY_NAMES, type QueryName, type QueryResults } from './support/query-workload';
import { percentile, round, withMemorySamples } from './support/stats';
import { compactNumber, plotSvg, type PlotPanel } from './support/svg-plot';

/*
 * Issue 7, target 7: append, rebuild and query cost measured at 100k, 1M and 10M events — the curve is flat
 * or linear, never worse — with a plot in bench/results/.
 *
 *   npm run bench:growth [-- --sizes 100000,1000000,10000000 --append-events 2000 --iterations 200 --warmup 20 --dir <path>]
 *
 * ONE store grows through the sizes (the history generator continued, bulk-loaded between sizes), so the
 * store at 100k events is the first 100k events of the 10M history: the same county's system after more
 * and more of its life, "today" being the business date of the last event. At each size:
 *  - append: `--append-events` further events of the history, each in its own append through the store's
 *    normal path (SqliteEventStore.append, expected version checked, synchronous=FULL: one durable
 *    transaction per event) — µs per event, and p50/p99 of one append; they stay in the store;
 *  - rebuild: every read model cleared and rebuilt from position 0 by the production projection runner —
 *    µs per event;
 *  - queries: recovered-loss totals, overdue follow-ups, lead ledger (support/query-workload.ts, the api's
 *    query classes with mixed realistic parameters) — p50/p99 ms;
 *  - sizes: event store file (+WAL), read-model file, bytes per event; peak RSS of each phase (memory must
 *    not grow with the size: the generator streams, loads and rebuilds go in bounded batches).
 * Embedded default: SQLite event store and SQLite read models.
 *
 * Output: the JSON document on stdout and in bench/results/growth.json (rewritten after every size, so a
 * long run leaves its partial curve), and bench/results/growth.svg.
 */

const FROM_DATE = '2019-01-02';
const TO_DATE = '2026-06-30';
const RESULTS = resolve(__dirname, 'results');

interface SizePoint {
  events: number;
  /** business date of the last event ("today" of the queries) */
  today: string;
  load: { events: number; seconds: number; eventsPerSecond: number; peakRssMiB: number };
  append: { events: number; usPerEvent: number; p50Us: number; p99Us: number };
  rebuild: { events: number; seconds: number; usPerEvent: number; eventsPerSecond: number; peakRssMiB: number };
  queries: Record<QueryName, { p50Ms: number; p99Ms: number; maxMs: number }>;
  queryDetail: QueryResults;
  storeBytes: number;
  storeBytesPerEvent: number;
  readModelBytes: number;
  rows: Record<string, number>;
}

/** Exponent k of cost ∝ events^k between the smallest and the largest size (0 = flat, 1 = linear). */
function exponent(points: SizePoint[], cost: (p: SizePoint) => number): number {
  const a = points[0] as SizePoint;
  const b = points[points.length - 1] as SizePoint;
  return Math.log(cost(b) / cost(a)) / Math.log(b.events / a.events);
}

function verdict(k: number): 'flat' | 'sub-linear' | 'linear' | 'super-linear' {
  // bands wide enough for a noisy 2-core machine: within ±15% of a whole exponent counts as that exponent
  if (k <= 0.15) return 'flat';
  if (k < 0.85) return 'sub-linear';
  if (k <= 1.15) return 'linear';
  return 'super-linear';
}

function analysis(points: SizePoint[]) {
  if (points.length < 2) return undefined;
  const first = points[0] as SizePoint;
  const last = points[points.length - 1] as SizePoint;
  const dataGrowth = last.events / first.events;
  const perEvent = (name: string, cost: (p: SizePoint) => number) => {
    const k = exponent(points, cost);
    return {
      metric: name,
      from: round(cost(first), 2),
      to: round(cost(last), 2),
      ratio: round(cost(last) / cost(first), 2),
      dataGrowth: round(dataGrowth),
      exponent: round(k, 2),
      // per-event cost: flat = total cost linear in the events
      curve: verdict(k),
      ok: k <= 1.15,
    };
  };
  return {
    note: 'exponent k: cost ∝ events^k from the smallest to the largest size (0 = flat, 1 = grows like the data); ok = never worse than linear',
    appendUsPerEvent: perEvent('append µs/event', (p) => p.append.usPerEvent),
    rebuildUsPerEvent: perEvent('rebuild µs/event', (p) => p.rebuild.usPerEvent),
    storeBytesPerEvent: perEvent('event store bytes/event', (p) => p.storeBytesPerEvent),
    queryP99: Object.fromEntries(QUERY_NAMES.map((q) => [q, perEvent(`${q} p99 ms`, (p) => Math.max(p.queries[q].p99Ms, 0.01))])),
    queryP50: Object.fromEntries(QUERY_NAMES.map((q) => [q, perEvent(`${q} p50 ms`, (p) => Math.max(p.queries[q].p50Ms, 0.01))])),
  };
}

function svg(points: SizePoint[], sizes: number[]): string {
  const xs = (f: (p: SizePoint) => number) => points.map((p) => ({ x: p.events, y: f(p) }));
  const linearRef = (f: (p: SizePoint) => number) => {
    const a = points[0] as SizePoint;
    return points.map((p) => ({ x: p.events, y: f(a) * (p.events / a.events) }));
  };
  const axis = { xLabel: 'events in the store (log)', logX: true, xFormat: compactNumber } as const;
  const panels: PlotPanel[] = [
    {
      ...axis,
      title: 'Append, one event per append',
      yLabel: 'µs per event',
      series: [
        { label: 'mean (µs/event)', points: xs((p) => p.append.usPerEvent) },
        { label: 'p99 of one append', points: xs((p) => p.append.p99Us), dashed: true },
      ],
    },
    { ...axis, title: 'Full rebuild, all projections', yLabel: 'µs per event', series: [{ label: 'rebuild (µs/event)', points: xs((p) => p.rebuild.usPerEvent) }] },
    {
      ...axis,
      title: 'Queries p99 (log y)',
      yLabel: 'ms',
      logY: true,
      series: [
        ...QUERY_NAMES.map((q) => ({ label: `${q} p99`, points: xs((p) => Math.max(p.queries[q].p99Ms, 0.01)) })),
        { label: '∝ events (linear growth, from the first p99 of the slowest)', points: linearRef((p) => Math.max(...QUERY_NAMES.map((q) => p.queries[q].p99Ms))), dashed: true, color: '#999' },
      ],
      hLines: [{ y: 20, label: 'target 5: p99 < 20 ms (at 1M)', color: '#c00' }],
    },
    { ...axis, title: 'Event store size', yLabel: 'bytes per event', series: [{ label: 'events.sqlite + WAL, bytes/event', points: xs((p) => p.storeBytesPerEvent) }] },
  ];
  return plotSvg({
    title: 'Growth: cost per event and query latency vs store size',
    subtitle: `SQLite embedded default (event store and read models), one store grown through ${sizes.map(compactNumber).join(' → ')} events; measured sizes: ${points.map((p) => compactNumber(p.events)).join(', ')}`,
    panels,
    columns: 2,
    panelWidth: 520,
  });
}

async function main(): Promise<void> {
  const sizes = stringArg('sizes', '100000,1000000,10000000')
    .split(',')
    .map((s) => Number(s.trim()))
    .sort((a, b) => a - b);
  if (sizes.some((s) => !Number.isSafeInteger(s) || s <= 0)) throw new RangeError('--sizes: comma-separated positive integers');
  const appendEvents = intArg('append-events', 2000);
  const iterations = intArg('iterations', 200);
  const warmup = intArg('warmup', 20);
  const dirArg = stringArg('dir', '');
  const max = sizes[sizes.length - 1] as number;

  const sys = await openBenchSystem({ name: 'growth', dir: dirArg || undefined, readModels: 'sqlite' });
  if ((await sys.store.headPosition()) > 0) throw new Error(`${sys.dir} is not empty: growth starts from an empty store`);
  // one history sized for the largest store (plus the appended extras), loaded a prefix at a time
  const generator = new HistoryGenerator({ events: max + appendEvents * sizes.length, fromDate: FROM_DATE, toDate: TO_DATE });
  const points: SizePoint[] = [];
  mkdirSync(RESULTS, { recursive: true });
  const document = () => ({
    description: 'Append, rebuild and query cost of one store grown through the sizes (see bench/growth.bench.ts)',
    store: 'SQLite embedded default: events.sqlite (synchronous=FULL) and read-models.sqlite (WAL, synchronous=NORMAL)',
    sizes,
    appendEvents,
    iterations,
    warmup,
    points,
    analysis: analysis(points),
  });

  try {
    for (const size of sizes) {
      // grow (the bulk loader; not a measured figure)
      const need = size - generator.counts.events;
      const grown = await withMemorySamples(() =>
        need > 0 ? loadHistory(sys.store, { generator, events: need, batchEvents: 5000, onProgress: (n) => n % 500_000 < 100_000 && progress(`  +${n} (store ${generator.counts.events})`) }) : Promise.resolve(undefined),
      );
      const loaded = grown.result;
      progress(`${size}: store holds ${await sys.store.headPosition()} events`);

      // append cost at this size: the next events of the history, one append each, expected version checked
      const appendUs: number[] = [];
      for (const batch of generator.batches(appendEvents, appendEvents)) {
        for (const a of batch) {
          for (const e of a.events) {
            const expected = await sys.store.streamVersion(a.streamId);
            const t = performance.now();
            await sys.store.append(a.streamId, [e], expected);
            appendUs.push((performance.now() - t) * 1000);
          }
        }
      }
      const head = await sys.store.headPosition();
      progress(`${size}: appended ${appendUs.length} events one by one, ${round(appendUs.reduce((s, x) => s + x, 0) / appendUs.length)} µs/event`);

      // full rebuild
      progress(`${size}: rebuilding every read model over ${head} events`);
      const t = performance.now();
      const rebuilt = await withMemorySamples(() => sys.runner.rebuild());
      const rebuildMs = performance.now() - t;
      progress(`${size}: rebuilt in ${round(rebuildMs / 1000, 1)} s`);

      // queries, "today" = the business date of the last event
      const [last] = await sys.store.readAll(head - 1, 1);
      const today = (last?.metadata.occurredAt ?? `${TO_DATE}T00:00:00Z`).slice(0, 10);
      const workload = await createQueryWorkload({ dataSource: sys.dataSource, store: sys.store, config: sys.config, today, fromDate: FROM_DATE });
      progress(`${size}: ${warmup} + ${iterations} rounds of the three queries (today = ${today})`);
      const results = await measureQueries(workload, { iterations, warmup, onProgress: (i) => i % 100 === 0 && progress(`  round ${i}`) });

      const storeBytes = sys.storeBytes();
      points.push({
        events: head,
        today,
        load: {
          events: loaded?.events ?? 0,
          seconds: round((loaded?.ms ?? 0) / 1000, 1),
          eventsPerSecond: loaded ? round(loaded.events / (loaded.ms / 1000)) : 0,
          peakRssMiB: Math.max(...grown.rssMiB),
        },
        append: {
          events: appendUs.length,
          usPerEvent: round(appendUs.reduce((s, x) => s + x, 0) / appendUs.length, 1),
          p50Us: round(percentile(appendUs, 50)),
          p99Us: round(percentile(appendUs, 99)),
        },
        rebuild: {
          events: rebuilt.result,
          seconds: round(rebuildMs / 1000, 1),
          usPerEvent: round((rebuildMs * 1000) / rebuilt.result, 2),
          eventsPerSecond: round(rebuilt.result / (rebuildMs / 1000)),
          peakRssMiB: Math.max(...rebuilt.rssMiB),
        },
        queries: Object.fromEntries(QUERY_NAMES.map((q) => [q, { p50Ms: results[q].p50Ms, p99Ms: results[q].p99Ms, maxMs: results[q].maxMs }])) as SizePoint['queries'],
        queryDetail: results,
        storeBytes,
        storeBytesPerEvent: round(storeBytes / head),
        readModelBytes: await sys.readModelBytes(),
        rows: await readModelRowCounts(sys.dataSource),
      });
      // partial results survive an interrupted 10M run
      writeFileSync(join(RESULTS, 'growth.json'), `${JSON.stringify(document(), null, 2)}\n`);
      writeFileSync(join(RESULTS, 'growth.svg'), svg(points, sizes));
      progress(`${size}: done (${JSON.stringify(points[points.length - 1]?.queries)})`);
    }
    const a = analysis(points);
    const oks = a ? [a.appendUsPerEvent, a.rebuildUsPerEvent, ...Object.values(a.queryP99)].map((m) => m.ok) : [];
    printResult('growth', {
      ...document(),
      files: { json: 'bench/results/growth.json', svg: 'bench/results/growth.svg' },
      target: { curve: 'append, rebuild and query cost flat or linear in the number of events, never worse', sizes: [100_000, 1_000_000, 10_000_000] },
      met: oks.length > 0 && oks.every(Boolean) && max >= 10_000_000 && sizes[0]! <= 100_000,
      ...(max < 10_000_000 ? { note: `run up to ${max} events: the target is stated up to 10,000,000` } : {}),
    });
  } finally {
    await sys.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
