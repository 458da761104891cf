import { collectDefaultMetrics, Counter, Gauge, Histogram, register, type Metric } from 'prom-client';
import type { AppendResult, EventStore, ExpectedVersion, NewEvent, StreamAppend } from '@coord/event-store';
import type { ProjectionRunner } from '@coord/read-models';

/**
 * Prometheus metrics on prom-client's default global `register`, every name prefixed `coord_`. Both
 * processes serve it at GET /metrics; other modules (the Kafka relay, the intake consumer) register their
 * own metrics on the same `register` and they appear there too.
 *
 * Label values are projection names, operation names and outcomes — never ids, users or payloads.
 */
export { register as metricsRegistry };

/** A metric is registered once per process (two apps in one test process share it). */
function once<T extends Metric>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

let defaultsStarted = false;
/** process metrics (CPU, memory, event loop lag, GC, handles) as coord_process_*, coord_nodejs_* */
export function startProcessMetrics(): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  collectDefaultMetrics({ prefix: 'coord_' });
}

const appendSeconds = () =>
  once(
    'coord_event_store_append_duration_seconds',
    () =>
      new Histogram({
        name: 'coord_event_store_append_duration_seconds',
        help: 'Latency of event store appends (one call: append or appendMulti), by outcome',
        labelNames: ['operation', 'outcome'],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      }),
  );

const appendedEvents = () =>
  once('coord_event_store_appended_events_total', () => new Counter({ name: 'coord_event_store_appended_events_total', help: 'Events written by this process (idempotent replays excluded)' }));

/**
 * The store with append latency measured around it — a decorator, so no adapter changes. Everything
 * else is delegated untouched (including onAppended, which followers rely on).
 */
export function instrumentEventStore(store: EventStore): EventStore {
  const histogram = appendSeconds();
  const written = appendedEvents();
  const timed = async <T>(operation: string, work: () => Promise<T>, count: (r: T) => number): Promise<T> => {
    const end = histogram.startTimer({ operation });
    try {
      const result = await work();
      end({ outcome: 'ok' });
      written.inc(count(result));
      return result;
    } catch (err) {
      end({ outcome: (err as Error).name === 'WrongExpectedVersionError' ? 'conflict' : 'error' });
      throw err;
    }
  };
  const writtenOf = (r: AppendResult): number => (r.written ? (r.stored?.length ?? 1) : 0);
  return {
    append: (streamId: string, events: NewEvent[], expected: ExpectedVersion) => timed('append', () => store.append(streamId, events, expected), writtenOf),
    appendMulti: (appends: StreamAppend[]) => timed('appendMulti', () => store.appendMulti(appends), (rs) => rs.reduce((n, r) => n + writtenOf(r), 0)),
    readStream: (streamId, options) => store.readStream(streamId, options),
    streamVersion: (streamId) => store.streamVersion(streamId),
    readAll: (after, limit) => store.readAll(after, limit),
    headPosition: () => store.headPosition(),
    onAppended: (listener) => store.onAppended(listener),
    close: () => store.close(),
  };
}

interface LagSource {
  store: EventStore;
  runner: ProjectionRunner;
}

/** the runners this process reports on (normally one; tests may open several apps in one process) */
const lagSources = new Set<LagSource>();

/**
 * Projection lag per projection, computed at scrape time from the database (so an api replica reports the
 * projector's progress too): in events (head position − checkpoint) and in seconds (now − recordedAt of
 * the oldest event the projection has not applied; 0 when caught up). Plus whether this process's runner
 * is the active one, and how many events it applied.
 */
export function registerProjectionMetrics(store: EventStore, runner: ProjectionRunner): () => void {
  const source = { store, runner };
  lagSources.add(source);
  once(
    'coord_projection_lag_events',
    () =>
      new Gauge({
        name: 'coord_projection_lag_events',
        help: 'Events in the log that the projection has not applied (head position - checkpoint)',
        labelNames: ['projection'],
        async collect() {
          for (const s of lagSources) {
            const [head, checkpoints] = await Promise.all([s.store.headPosition(), s.runner.projectionCheckpoints()]);
            for (const [projection, cp] of checkpoints) this.set({ projection }, Math.max(0, head - cp));
          }
        },
      }),
  );
  once(
    'coord_projection_lag_seconds',
    () =>
      new Gauge({
        name: 'coord_projection_lag_seconds',
        help: 'Age of the oldest event the projection has not applied (0 when caught up)',
        labelNames: ['projection'],
        async collect() {
          for (const s of lagSources) {
            const checkpoints = await s.runner.projectionCheckpoints();
            const oldest = new Map<number, number>();
            for (const cp of new Set(checkpoints.values())) {
              const [next] = await s.store.readAll(cp, 1);
              oldest.set(cp, next ? Math.max(0, (Date.now() - Date.parse(next.recordedAt)) / 1000) : 0);
            }
            for (const [projection, cp] of checkpoints) this.set({ projection }, oldest.get(cp) ?? 0);
          }
        },
      }),
  );
  once(
    'coord_projection_checkpoint_position',
    () =>
      new Gauge({
        name: 'coord_projection_checkpoint_position',
        help: 'Committed checkpoint (global log position) of the projection',
        labelNames: ['projection'],
        async collect() {
          for (const s of lagSources) for (const [projection, cp] of await s.runner.projectionCheckpoints()) this.set({ projection }, cp);
        },
      }),
  );
  once(
    'coord_projection_runner_active',
    () =>
      new Gauge({
        name: 'coord_projection_runner_active',
        help: '1 when this process runs the projections (holds the lease), 0 on standby or when it does not run them',
        collect() {
          this.set([...lagSources].some((s) => s.runner.isActive()) ? 1 : 0);
        },
      }),
  );
  once(
    'coord_projection_applied_events_total',
    () =>
      new Gauge({
        name: 'coord_projection_applied_events_total',
        help: 'Events applied by this process, per projection (a counter: it only grows while the process lives)',
        labelNames: ['projection'],
        collect() {
          for (const s of lagSources) for (const [projection, n] of s.runner.appliedEvents) this.set({ projection }, n);
        },
      }),
  );
  return () => void lagSources.delete(source);
}

/** The Prometheus text exposition of everything registered in this process. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: register.contentType, body: await register.metrics() };
}
