import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { Client } from 'pg';
import pino from 'pino';
import { SEED_AGENCIES, shanghaiDateOf, streamCategory } from '@coord/domain';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { createIntegrationRelay, ensureTopics, OUTBOUND_TOPICS, prefixed, toIntegrationMessage, TOPIC_BY_CATEGORY, TOPICS } from '@coord/messaging';
import { loadConfig, openEventStore, openReadModels } from '@coord/platform';
import { createApiApp } from '../apps/api/src/bootstrap/create-api-app';
import { IntakeConsumer, type IntakeOutcome } from '../apps/api/src/intake/intake.consumer';
import { intArg, printResult, progress, stringArg } from './support/bench-output';
import { summarizeCpuProfile, type Concern, type ProfileSummary } from './support/cpu-profile-summary';
import { loadHistory } from './support/history-generator';
import { round } from './support/stats';

/**
 * Issue 7, target 6: Kafka.
 *
 *  relay  — a SQLite event store filled with the realistic mixed history (support/history-generator.ts),
 *           then the production relay (createIntegrationRelay: IntegrationRelay + KafkaPublisher, its
 *           default batch size, the checkpoint in a SQLite read-model database migrated like the api's)
 *           publishes from position 0 to the head into fresh topics (a unique prefix per run, created by
 *           the publisher itself with the broker's default partition count — what production does).
 *           Measured: events/s from the first call until the checkpoint is at the head. Checked: the
 *           number of messages on the broker (sum of the topics' high watermarks) equals the number of
 *           events in published categories (accounts, ledgers, calendar… are never published).
 *  intake — N valid lead submissions from the ten member agencies (the message format of docs/kafka.md,
 *           half of them with an informant) are produced to a fresh intake topic first; then the real api
 *           (createApiApp: the same module wiring, ValidationPipe, CommandBus handlers, encrypting
 *           SQLite store with synchronous=FULL) starts and its IntakeConsumer drains the backlog.
 *           Measured: submissions/s from the first to the last message applied (events stored, offset
 *           committed). Checked: lead.registered events in the store = N, the group's committed offsets
 *           = the topic's high watermarks, the dead-letter topic is empty.
 *
 * Beside each figure, its ceiling on this machine in the same run:
 *  relay  — Kafka's own Java producer (ProducerPerformance via scripts/kafka.sh tool) sending as many
 *           records of the relay's average message size with the relay's settings (acks=all, idempotent,
 *           one request in flight) to a topic with the same partitions: what the broker takes at most;
 *  intake — raw better-sqlite3 one-row transactions with synchronous=FULL (WAL) in the same temp folder:
 *           the rate of one durable transaction per command, which every submission needs at least once
 *           (plus, for one with an informant, the insert of its data key into keys.sqlite).
 *
 *   npm run bench:kafka -- [--part relay|intake|both] [--events 200000] [--submissions 20000]
 *                          [--brokers 127.0.0.1:9092] [--embedded-projector] [--keep-topics]
 *                          [--no-ceiling] [--profile] [--store sqlite|postgres] [--pg-url postgres://…/test]
 *
 * --store postgres runs the intake's api on PostgreSQL (event store, data keys, read models in fresh
 * schemas of the --pg-url database, dropped afterwards) instead of the embedded SQLite default.
 *
 * --profile records a CPU profile of the measured phase (inspector) and adds where the time went; it slows
 * the phase down, so its figure is not the one to quote.
 *
 * By default the api runs as in the distributed profile (COORD_EMBEDDED_PROJECTOR=false: projections and
 * the relay live in the projector process), so the figure is the api's intake alone; --embedded-projector
 * runs them in the same process (on 2 cores they compete with the intake for CPU). The api logs at
 * production's level (info) into a file in the temp folder.
 *
 * Needs a broker: `bash scripts/kafka.sh start`.
 */

const part = stringArg('part', 'both');
if (!['relay', 'intake', 'both'].includes(part)) throw new RangeError('--part must be relay, intake or both');
const eventsWanted = intArg('events', 200_000);
const submissions = intArg('submissions', 20_000);
const brokers = stringArg('brokers', process.env.COORD_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const embeddedProjector = process.argv.includes('--embedded-projector');
const keepTopics = process.argv.includes('--keep-topics');
const ceilings = !process.argv.includes('--no-ceiling');
const intakeStore = stringArg('store', 'sqlite');
if (!['sqlite', 'postgres'].includes(intakeStore)) throw new RangeError('--store must be sqlite or postgres');
const pgUrl = stringArg('pg-url', process.env.COORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const profiling = process.argv.includes('--profile');

const TARGET = { relayEventsPerSecond: 20_000, intakeSubmissionsPerSecond: 2_000 };
const ADMIN_PASSWORD = 'bench-admin-password';

const kafka = new Kafka({ clientId: 'bench-kafka', brokers, logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 200 } });

/** Sum of the high watermarks of `topics` (fresh topics: = messages written). */
async function messagesOn(admin: Admin, topics: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic);
    out[topic] = offsets.reduce((n, p) => n + Number(p.high), 0);
  }
  return out;
}

async function deleteTopics(admin: Admin, prefix: string): Promise<void> {
  if (keepTopics) return;
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 30_000 }).catch((e: unknown) => progress(`could not delete topics ${mine.join(', ')}: ${String(e)}`));
}

/**
 * CPU time (ms, user + system) the local broker started by scripts/kafka.sh has used so far, from /proc;
 * undefined for another broker. The relay and the broker share this machine's cores.
 */
function brokerCpuMs(): number | undefined {
  try {
    if (brokers.join(',') !== '127.0.0.1:9092') return undefined;
    const pid = readFileSync(join(__dirname, '..', '.kafka', 'kafka-9092.pid'), 'utf8').trim();
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the stat line (11 and 12 after "pid (comm) "), in clock ticks
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Runs `work` under the inspector's CPU profiler when --profile is given; returns its summary. */
async function profiled<T>(work: () => Promise<T>, concerns: readonly Concern[], dir: string): Promise<{ result: T; profile?: ProfileSummary }> {
  if (!profiling) return { result: await work() };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const result = await work();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const file = join(dir, 'phase.cpuprofile');
  writeFileSync(file, JSON.stringify(profile));
  return { result, profile: summarizeCpuProfile(file, concerns, 15) };
}

const inUrl = (part: string) => (f: { url: string }) => f.url.includes(part);
const named = (...names: string[]) => (f: { functionName: string }) => names.includes(f.functionName);

// ── relay ─────────────────────────────────────────────────────────────────────────────────────────────

async function relayPart(admin: Admin): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-kafka-relay-'));
  const prefix = `bench-relay-${randomUUID().slice(0, 8)}.`;
  // the config the api/projector would load for this folder: SQLite store and read models in it
  const config = loadConfig({ COORD_DATA_DIR: dir, COORD_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn' });
  const store: EventStore = await openEventStore(config);
  const dataSource = await openReadModels(config);
  try {
    progress(`relay: loading ${eventsWanted} events of the mixed history into ${dir}`);
    const loaded = await loadHistory(store, { events: eventsWanted, onProgress: (n) => progress(`relay: ${n} events loaded`) });
    const head = await store.headPosition();
    // what the relay should publish: every event of a published category, per topic
    const db = new Database(config.eventStore.kind === 'sqlite' ? config.eventStore.file : '', { readonly: true });
    const expected: Record<string, number> = Object.fromEntries(OUTBOUND_TOPICS.map((t) => [prefixed(prefix, t), 0]));
    let unpublished = 0;
    for (const r of db.prepare<[], { stream_id: string; n: number }>('SELECT stream_id, count(*) AS n FROM events GROUP BY stream_id').all()) {
      const topic = TOPIC_BY_CATEGORY[streamCategory(r.stream_id)];
      if (topic) expected[prefixed(prefix, topic)] = (expected[prefixed(prefix, topic)] ?? 0) + r.n;
      else unpublished += r.n;
    }
    db.close();
    const toPublish = Object.values(expected).reduce((a, b) => a + b, 0);
    progress(`relay: ${loaded.events} events (head ${head}), ${toPublish} to publish, ${unpublished} never published; relaying to ${prefix}*`);

    // the relay's average message (key, value, headers), for the ceiling run with records of that size
    let sampleBytes = 0;
    let sampleCount = 0;
    for (const e of await store.readAll(0, 5000)) {
      const m = toIntegrationMessage(e);
      if (!m) continue;
      sampleCount++;
      sampleBytes += Buffer.byteLength(m.key) + Buffer.byteLength(m.value) + Object.entries(m.headers).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 0);
    }
    const averageMessageBytes = Math.round(sampleBytes / Math.max(1, sampleCount));

    // exactly the projector's wiring (apps/projector/src/main.ts), minus the lease: one process here
    const relay = createIntegrationRelay({ store, dataSource, kafka: { brokers, clientId: 'bench-relay', topicPrefix: prefix } });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const broker0 = brokerCpuMs();
    const { result: read, profile } = await profiled(() => relay.runUntilCaughtUp(), RELAY_CONCERNS, dir);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const broker1 = brokerCpuMs();
    const relayCpuMs = (cpu.user + cpu.system) / 1000;
    const brokerMs = broker0 !== undefined && broker1 !== undefined ? broker1 - broker0 : undefined;
    const checkpoint = await relay.checkpoint();
    await relay.close();

    const onBroker = await messagesOn(admin, Object.keys(expected));
    const partitions = (await admin.fetchTopicMetadata({ topics: Object.keys(expected) })).topics.map((t) => t.partitions.length);
    const brokerTotal = Object.values(onBroker).reduce((a, b) => a + b, 0);
    const countsMatch = Object.entries(expected).every(([t, n]) => onBroker[t] === n);
    const eventsPerSecond = read / (ms / 1000);
    progress(`relay: ${read} events read, ${relay.published} published in ${round(ms)} ms = ${round(eventsPerSecond)} events/s; broker holds ${brokerTotal}`);
    const ceiling = ceilings ? await producerCeiling(admin, prefix, toPublish, averageMessageBytes) : undefined;
    await deleteTopics(admin, prefix);
    return {
      events: loaded.events,
      head,
      eventTypes: Object.keys(loaded.counts.byType).length,
      publishedExpected: toPublish,
      neverPublished: unpublished,
      ms: round(ms),
      eventsPerSecond: round(eventsPerSecond),
      messagesPerSecond: round(relay.published / (ms / 1000)),
      // this process's CPU (user + system) per 1,000 events: the relay's own cost, less sensitive than the
      // rate to other load on the machine; 1,000,000 / (this × 1,000) would be its rate on a core of its own
      relayCpuMsPer1000Events: round(relayCpuMs / (read / 1000), 1),
      // the relay is one JavaScript thread: with a core of its own and the broker answering at once it
      // could not go faster than this
      relayThreadBoundEventsPerSecond: round(1_000_000 / (relayCpuMs / (read / 1000))),
      ...(brokerMs !== undefined
        ? {
            brokerCpuMsPer1000Events: round(brokerMs / (read / 1000), 1),
            // relay and broker together on this machine's cores, with perfect overlap and nothing else running
            machineBoundEventsPerSecond: round((cpus().length * 1_000_000) / ((relayCpuMs + brokerMs) / (read / 1000))),
          }
        : {}),
      checkpointAtHead: checkpoint === head,
      messagesOnBroker: onBroker,
      brokerCountMatches: countsMatch && relay.published === toPublish,
      partitionsPerTopic: Math.max(...partitions),
      averageMessageBytes,
      ...(ceiling ? { ceiling } : {}),
      ...(profile ? { profile } : {}),
    };
  } finally {
    await dataSource.destroy();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const RELAY_CONCERNS: Concern[] = [
  { name: 'log read (store readAll, row → event)', test: (f) => named('readAll', 'fromRow')(f) || inUrl('better-sqlite3')(f) },
  { name: 'mapping to messages (toIntegrationMessage)', test: named('toIntegrationMessage') },
  { name: 'kafkajs (encoding, protocol, socket)', test: inUrl('node_modules/kafkajs') },
  { name: 'checkpoint (typeorm)', test: (f) => named('saveCheckpoint')(f) || inUrl('node_modules/typeorm')(f) },
];

/**
 * Kafka's own producer (Java, ProducerPerformance) with the relay's settings and message size into a
 * fresh topic with the broker's default partitions: the most this broker takes on this machine now.
 */
async function producerCeiling(admin: Admin, prefix: string, records: number, recordBytes: number): Promise<Record<string, unknown> | undefined> {
  if (brokers.join(',') !== (process.env.COORD_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092')) return undefined;
  const topic = `${prefix}ceiling`;
  await ensureTopics(kafka, [topic]);
  try {
    const { stdout } = await promisify(execFile)(
      'bash',
      [
        join(__dirname, '..', 'scripts', 'kafka.sh'),
        'tool',
        'org.apache.kafka.tools.ProducerPerformance',
        '--topic', topic,
        '--num-records', String(records),
        '--record-size', String(recordBytes),
        '--throughput', '-1',
        '--producer-props', `bootstrap.servers=${brokers.join(',')}`, 'acks=all', 'enable.idempotence=true', 'max.in.flight.requests.per.connection=1',
      ],
      { timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
    );
    // last line: "N records sent, X records/sec (Y MB/sec), … avg latency …"
    const m = /(\d+) records sent, ([\d.]+) records\/sec/.exec(stdout.trim().split('\n').pop() ?? '');
    if (!m) return { error: 'no ProducerPerformance summary line' };
    progress(`relay ceiling: Kafka's Java producer sent ${m[1]} records of ${recordBytes} bytes at ${m[2]} records/s`);
    return { tool: 'org.apache.kafka.tools.ProducerPerformance (acks=all, idempotent, 1 in flight)', records: Number(m[1]), recordBytes, recordsPerSecond: round(Number(m[2])) };
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

// ── intake ────────────────────────────────────────────────────────────────────────────────────────────

const SUBJECT_UNITS = ['县交通运输局', '县住房和城乡建设局', '县自然资源局', '县水利局', '县教育局', '城关镇人民政府'];
const SOURCES = ['petition', 'audit-finding', 'special-inspection', 'member-report', 'inspection-tour'];

/** One lead submission as an agency system sends it (docs/kafka.md): body = the HTTP body of POST /api/leads. */
function submission(i: number, today: string): { agency: string; value: string } {
  const agency = SEED_AGENCIES[i % SEED_AGENCIES.length]!.code;
  const body: Record<string, unknown> = {
    source: SOURCES[i % SOURCES.length],
    reportingAgency: agency,
    subject: { name: `干部${i % 997}`, post: '科长', unit: SUBJECT_UNITS[i % SUBJECT_UNITS.length], rank: '正科级' },
    allegation: `反映其在工程项目招投标中收受他人财物、为他人谋取利益，涉及金额约${(i % 90) + 10}万元，另有违规报销差旅费用问题。（第${i}件）`,
    category: '违反廉洁纪律',
    receivedOn: today,
    important: i % 3 === 0,
  };
  if (i % 2 === 1) body.informant = { name: `举报人${i}`, contact: `139${String(i).padStart(8, '0')}` };
  return { agency, value: JSON.stringify({ kind: 'lead', agency, body }) };
}

async function intakePart(admin: Admin): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-kafka-intake-'));
  const run = randomUUID().slice(0, 8);
  const prefix = `bench-intake-${run}.`;
  const intakeTopic = prefixed(prefix, TOPICS.intake);
  const dlqTopic = prefixed(prefix, TOPICS.intakeDeadLetter);
  try {
    // the topics as the consumer would create them (ensureTopics, broker default partitions), made first so
    // the backlog can be produced before the api starts
    await ensureTopics(kafka, [intakeTopic, dlqTopic]);
    const { partitions } = (await admin.fetchTopicMetadata({ topics: [intakeTopic] })).topics[0]!;
    const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const today = shanghaiDateOf(new Date());
    progress(`intake: producing ${submissions} lead submissions to ${intakeTopic} (${partitions.length} partitions)`);
    const CHUNK = 1000;
    for (let from = 0; from < submissions; from += CHUNK) {
      const messages = [];
      for (let i = from; i < Math.min(submissions, from + CHUNK); i++) {
        const s = submission(i, today);
        messages.push({ key: `bench-${run}-${s.agency}-${i}`, value: s.value, headers: { 'correlation-id': `bench-${run}-${i}` } });
      }
      await producer.send({ topic: intakeTopic, acks: -1, messages });
    }
    await producer.disconnect();

    // --store postgres: events, data keys and read models in fresh schemas of the test database
    const pgSchemas = intakeStore === 'postgres' ? { events: `bench_kafka_${run}_events`, read: `bench_kafka_${run}_read` } : undefined;
    const config = loadConfig({
      COORD_DATA_DIR: dir,
      COORD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'info',
      ...(pgSchemas ? { COORD_EVENT_STORE: 'postgres', COORD_PG_URL: pgUrl, COORD_PG_EVENTS_SCHEMA: pgSchemas.events, COORD_PG_READ_SCHEMA: pgSchemas.read } : {}),
      COORD_EMBEDDED_PROJECTOR: embeddedProjector ? 'true' : 'false',
      COORD_KAFKA_BROKERS: brokers.join(','),
      COORD_KAFKA_TOPIC_PREFIX: prefix,
      COORD_KAFKA_CLIENT_ID: 'bench-intake',
    });
    const logFile = join(dir, 'api.log');
    const app = await createApiApp(config, { logDestination: pino.destination({ dest: logFile, sync: false }) });
    const consumer = app.get(IntakeConsumer);
    const times: number[] = [];
    const notApplied: IntakeOutcome[] = [];
    let done: () => void = () => undefined;
    const allDone = new Promise<void>((resolve) => (done = resolve));
    consumer.outcomes.add((o) => {
      if (o.status === 'applied' && !o.replayed) times.push(performance.now());
      else notApplied.push(o);
      if (times.length + notApplied.length >= submissions) done();
    });
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    let joined = started;
    const ticker = setInterval(() => progress(`intake: ${times.length} applied`), 5000);
    // give up only when nothing is applied for a minute (a stuck consumer), never because the run is slow
    const STALL_MS = 60_000;
    const stalled = new Promise<void>((resolve) => {
      let seen = -1;
      const check = setInterval(() => {
        const now = times.length + notApplied.length;
        if (now === seen && now < submissions) {
          progress(`intake: nothing applied for ${STALL_MS / 1000} s; giving up at ${now}`);
          clearInterval(check);
          resolve();
        }
        seen = now;
      }, STALL_MS);
      void allDone.then(() => clearInterval(check));
    });
    const { profile } = await profiled(
      async () => {
        await app.init();
        await consumer.ready;
        joined = performance.now();
        progress(`intake: api started, consumer joined after ${round(joined - started)} ms; draining`);
        await Promise.race([allDone, stalled]);
      },
      INTAKE_CONCERNS,
      dir,
    );
    clearInterval(ticker);
    const last = performance.now();
    const cpu = process.cpuUsage(cpu0);

    const store = app.get<EventStore>(EVENT_STORE);
    const head = await store.headPosition();
    await app.close();
    let stored: number;
    if (pgSchemas) {
      const pg = new Client({ connectionString: pgUrl });
      await pg.connect();
      try {
        stored = Number((await pg.query<{ n: string }>(`SELECT count(*) AS n FROM "${pgSchemas.events}".events WHERE type = 'lead.registered'`)).rows[0]!.n);
        await pg.query(`DROP SCHEMA IF EXISTS "${pgSchemas.events}" CASCADE`);
        await pg.query(`DROP SCHEMA IF EXISTS "${pgSchemas.read}" CASCADE`);
      } finally {
        await pg.end();
      }
    } else {
      const db = new Database(config.eventStore.kind === 'sqlite' ? config.eventStore.file : '', { readonly: true });
      stored = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM events WHERE type = 'lead.registered'").get()!.n;
      db.close();
    }
    const committed = (await admin.fetchOffsets({ groupId: config.kafka!.intakeGroupId, topics: [intakeTopic] }))[0]!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    const high = (await messagesOn(admin, [intakeTopic]))[intakeTopic]!;
    const dlq = (await messagesOn(admin, [dlqTopic]))[dlqTopic]!;

    const first = times[0] ?? last;
    const lastApplied = times[times.length - 1] ?? last;
    const rate = times.length > 1 ? (times.length - 1) / ((lastApplied - first) / 1000) : 0;
    progress(`intake: ${times.length} applied in ${round(lastApplied - first)} ms = ${round(rate)} submissions/s; store holds ${stored} lead.registered; committed ${committed}/${high}; dlq ${dlq}`);
    // the ceiling is the SQLite one; for --store postgres see bench:pg-append (pgbench one-row inserts)
    const ceiling = ceilings && !pgSchemas ? durableTransactionsPerSecond(dir) : undefined;
    await admin.deleteGroups([config.kafka!.intakeGroupId]).catch(() => undefined);
    await deleteTopics(admin, prefix);
    return {
      submissions,
      partitions: partitions.length,
      profile: embeddedProjector ? 'embedded projector and relay in the api' : 'api only (distributed profile)',
      store: intakeStore === 'postgres' ? 'PostgreSQL (events, data keys and read models)' : 'SQLite, synchronous=FULL (embedded default)',
      applied: times.length,
      notApplied: notApplied.length,
      firstToLastMs: round(lastApplied - first),
      submissionsPerSecond: round(rate),
      fromJoinSubmissionsPerSecond: round(times.length / ((lastApplied - joined) / 1000)),
      // the api process's CPU per submission, api start included (a few seconds of module loading)
      apiCpuMsPerSubmission: round((cpu.user + cpu.system) / 1000 / Math.max(1, times.length), 2),
      leadRegisteredInStore: stored,
      storeHead: head,
      offsetsCommitted: committed,
      offsetsHigh: high,
      deadLettered: dlq,
      verified: stored === submissions && committed === high && high === submissions && dlq === 0,
      ...(ceiling ? { ceiling } : {}),
      ...(profile ? { profile } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const INTAKE_CONCERNS: Concern[] = [
  { name: 'validation (ValidationPipe: class-transformer, class-validator)', test: (f) => inUrl('node_modules/class-validator')(f) || inUrl('node_modules/class-transformer')(f) },
  { name: 'command handler (read, fold, decide)', test: inUrl('event-store/src/command-handler') },
  { name: 'event store append (SQLite transaction, hash chain)', test: named('appendMulti', 'appendInTransaction') },
  { name: 'event store reads (readStream)', test: named('readStream') },
  { name: 'confidential part: data key insert (keys.sqlite)', test: named('insertIfAbsent') },
  { name: 'confidential part: sealing', test: inUrl('event-store/src/encryption') },
  { name: 'kafkajs (fetch, commit, protocol)', test: inUrl('node_modules/kafkajs') },
  { name: 'logging (pino)', test: inUrl('node_modules/pino') },
  { name: 'api start (module loading, Nest wiring)', test: (f) => inUrl('node_modules/@nestjs/core')(f) || named('wrapSafe', 'transformSync')(f) },
];

/**
 * Raw better-sqlite3 one-row transactions, WAL, synchronous=FULL, for 2 s in `dir`: the rate of one durable
 * transaction per command on this disk now (issue 7's reference: about 7,000/s on an idle machine).
 */
function durableTransactionsPerSecond(dir: string): Record<string, unknown> {
  const db = new Database(join(dir, 'fsync-ceiling.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const one = db.transaction((v: string) => insert.run(v));
    const payload = 'x'.repeat(800);
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 2000) {
      one(payload);
      n++;
    }
    const perSecond = n / ((performance.now() - t0) / 1000);
    progress(`intake ceiling: raw better-sqlite3 one-row transactions (WAL, FULL): ${round(perSecond)}/s`);
    return { what: 'raw better-sqlite3 one-row transactions, WAL, synchronous=FULL', transactionsPerSecond: round(perSecond) };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const relay = part === 'intake' ? undefined : await relayPart(admin);
    const intake = part === 'relay' ? undefined : await intakePart(admin);
    const met = {
      ...(relay ? { relay: (relay.eventsPerSecond as number) >= TARGET.relayEventsPerSecond && relay.brokerCountMatches === true && relay.checkpointAtHead === true } : {}),
      ...(intake ? { intake: (intake.submissionsPerSecond as number) >= TARGET.intakeSubmissionsPerSecond && intake.verified === true } : {}),
    };
    printResult('kafka', {
      brokers,
      sizes: { events: eventsWanted, submissions },
      target: TARGET,
      ...(relay ? { relay } : {}),
      ...(intake ? { intake } : {}),
      met: Object.values(met).every(Boolean),
      metBy: met,
    });
  } finally {
    await admin.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
