import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { PostgresEventStore } from '@coord/event-store';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { intArg, printResult, progress, stringArg } from './support/bench-output';
import { leadRegistered } from './support/append-event';
import { percentile, round } from './support/stats';

/**
 * Issue 7, target 1: PostgreSQL append, one event per command to a NEW stream, expected version checked,
 * durable (synchronous_commit as the server has it, on by default), N concurrent writers in one process.
 * Three contenders on ONE fresh database, in one run, cells interleaved:
 *  - ours: PostgresEventStore with group commit (the production default), expectedVersion 0;
 *  - Emmett: @event-driven-io/emmett-postgresql 0.42, expectedStreamVersion 0n (its "stream does not
 *    exist" position, checked in its emt_append_to_stream function), same event;
 *  - pgbench: one autocommitted INSERT of a comparable row per transaction: the ceiling for one durable
 *    transaction per command (PostgreSQL itself already shares WAL flushes between concurrent commits).
 *
 *   npm run bench:pg-append -- [--seconds 10] [--writers 1,8] [--rounds 5] [--references plain,shaped|none]
 *                              [--pg-url postgres://postgres@127.0.0.1:5432] [--database bench_pg_append] [--keep]
 *
 * Each cell runs `--seconds` in total, split into `--rounds` slices; the slices of all cells alternate
 * (ours, Emmett, pgbench, then the reverse order) so slow drift (checkpoints, autovacuum, the neighbours
 * on a shared machine, table growth) does not favour whoever runs first.
 */

const seconds = intArg('seconds', 10);
// many short slices, alternating, rather than one long run per cell: on a shared machine the fsync
// latency drifts with the neighbours' I/O, and every contender should see the same mix of it
const rounds = Math.max(1, intArg('rounds', 5));
const writerCounts = stringArg('writers', '1,8')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isSafeInteger(n) && n > 0);
const database = stringArg('database', 'bench_pg_append');
const keep = process.argv.includes('--keep');
/** the server (any database path in --pg-url is replaced: the benchmark creates its own database) */
const urlOf = (db: string) => {
  const u = new URL(stringArg('pg-url', 'postgres://postgres@127.0.0.1:5432'));
  u.pathname = `/${db}`;
  return u.toString();
};
const dbUrl = urlOf(database);
const OUR_SCHEMA = 'bench_ours';
const PGBENCH_TABLE = 'bench_pgbench_rows';

type System = 'ours' | 'emmett' | 'pgbench' | 'plain' | 'shaped';
/**
 * Two references beside the contenders, to explain the figures rather than to be targets:
 *  - plain: our store with speculation off (group commit with the two-round-trip batch), the store as it
 *    was before speculative batches: what they buy, in the same run;
 *  - shaped: pgbench running our store's own statements on its schema, one append per transaction
 *    (BEGIN; the append lock; the events row at head + 1; the streams row; COMMIT) with the same JSON: what
 *    the storage layout and the lock cost without any of our code and without batching.
 */
const references = stringArg('references', 'plain,shaped')
  .split(',')
  .map((x) => x.trim())
  .filter((x): x is 'plain' | 'shaped' => x === 'plain' || x === 'shaped');
const PLAIN_SCHEMA = 'bench_ours_plain';
const SHAPED_SCHEMA = 'bench_shaped';

interface Slice {
  appends: number;
  ms: number;
  latenciesMs: number[];
  transactions?: number;
  writtenCalls?: number;
  speculated?: number;
  missedSpeculations?: number;
}

/** N async writers appending for `ms` milliseconds; every append's latency kept. */
async function runWriters(writers: number, ms: number, appendOne: () => Promise<unknown>): Promise<Slice> {
  const latenciesMs: number[] = [];
  const start = performance.now();
  const deadline = start + ms;
  let appends = 0;
  const writer = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await appendOne();
      latenciesMs.push(performance.now() - t0);
      appends++;
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  return { appends, ms: performance.now() - start, latenciesMs };
}

async function pgbenchSlice(writers: number, secs: number, scriptFile: string, logDir: string): Promise<Slice> {
  const url = new URL(dbUrl);
  const prefix = join(logDir, `w${writers}-${Date.now()}`);
  const args = [
    '-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'),
    '-n', '-M', 'prepared', '-f', scriptFile,
    '-c', String(writers), '-j', String(writers >= 8 ? 2 : 1),
    '-T', String(secs),
    '-l', `--log-prefix=${prefix}`,
    database,
  ];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('pgbench', args, { env: { ...process.env, PGCLIENTENCODING: 'UTF8' } });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`pgbench exited ${code}:\n${text}`))));
  });
  const processed = /number of transactions actually processed: (\d+)/.exec(out);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  if (!processed || !tps) throw new Error(`cannot parse pgbench output:\n${out}`);
  const appends = Number(processed[1]);
  // per-transaction log lines: client_id transaction_no time_us script_no epoch epoch_us
  const latenciesMs: number[] = [];
  const base = prefix.slice(logDir.length + 1);
  for (const f of readdirSync(logDir).filter((n) => n.startsWith(`${base}.`))) {
    for (const line of readFileSync(join(logDir, f), 'utf8').split('\n')) {
      const us = Number(line.split(' ')[2]);
      if (line && Number.isFinite(us)) latenciesMs.push(us / 1000);
    }
    rmSync(join(logDir, f));
  }
  // tps as pgbench computes it (its timer excludes connection set-up), expressed as appends over time
  return { appends, ms: (appends / Number(tps[1])) * 1000, latenciesMs };
}

/**
 * The JSON as a literal in a pgbench script: pgbench reads every `:name` as a variable (letters, digits,
 * `_` and non-ASCII count as name characters), so a colon between key and value gets a space after it and
 * a colon inside a string value (times, Chinese text) is written as the JSON escape \u003a. Same jsonb value.
 */
function pgbenchLiteral(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i] as string;
    if (inString) {
      if (ch === '\\') {
        out += ch + (json[++i] ?? '');
        continue;
      }
      if (ch === '"') inString = false;
      out += ch === ':' ? '\\u003a' : ch;
    } else {
      if (ch === '"') inString = true;
      out += ch === ':' ? ': ' : ch;
    }
  }
  return out.replace(/'/g, "''");
}

async function admin<T>(sql: string): Promise<T[]> {
  const c = new Client({ connectionString: urlOf('postgres') });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  if (writerCounts.length === 0) throw new RangeError('--writers needs at least one positive count, e.g. 1,8');
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new RangeError(`invalid --database ${database}`);
  const sliceMs = (seconds * 1000) / rounds;
  if (!Number.isInteger(sliceMs / 1000)) throw new RangeError('--seconds must be a multiple of --rounds (pgbench -T takes whole seconds)');

  progress(`fresh database ${database}`);
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${database}`);
  const logDir = mkdtempSync(join(tmpdir(), 'bench-pg-append-'));
  let ours: PostgresEventStore | undefined;
  let plain: PostgresEventStore | undefined;
  let emmett: ReturnType<typeof getPostgreSQLEventStore> | undefined;
  try {
    const setup = new Client({ connectionString: dbUrl });
    await setup.connect();
    // the row pgbench inserts carries the same JSON as one of our events (data, metadata, sealed part)
    const sample = leadRegistered().event;
    const rowJson = JSON.stringify({ eventId: sample.eventId, type: sample.type, data: sample.data, metadata: sample.metadata, confidential: sample.confidential ?? null });
    await setup.query(`CREATE TABLE ${PGBENCH_TABLE} (id bigserial PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL)`);
    const scriptFile = join(logDir, 'insert.sql');
    writeFileSync(
      scriptFile,
      `\\set n random(1, 9000000000000000)\nINSERT INTO ${PGBENCH_TABLE} (stream_id, data) VALUES ('lead-' || :n, '${pgbenchLiteral(rowJson)}'::jsonb);\n`,
    );
    const settings = await setup.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'server_version')",
    );
    await setup.end();

    ours = await PostgresEventStore.connect({ connectionString: dbUrl, schema: OUR_SCHEMA });
    plain = references.includes('plain') ? await PostgresEventStore.connect({ connectionString: dbUrl, schema: PLAIN_SCHEMA, speculate: false }) : undefined;
    emmett = getPostgreSQLEventStore(dbUrl);
    const oursStore = ours;
    const plainStore = plain;
    let shapedScript: string | undefined;
    if (references.includes('shaped')) {
      const shaped = await PostgresEventStore.connect({ connectionString: dbUrl, schema: SHAPED_SCHEMA, poolSize: 2 });
      const { classId, objId } = shaped.appendLockKey;
      await shaped.close();
      const lit = (v: unknown) => `'${pgbenchLiteral(JSON.stringify(v))}'::jsonb`;
      shapedScript = join(logDir, 'shaped.sql');
      writeFileSync(
        shapedScript,
        [
          '\\set n random(1, 9000000000000000)',
          'BEGIN;',
          `SELECT pg_advisory_xact_lock(${classId}, ${objId});`,
          `INSERT INTO ${SHAPED_SCHEMA}.events (position, event_id, stream_id, stream_version, type, schema_version, data, confidential, metadata, occurred_at, hash, recorded_at)` +
            ` SELECT COALESCE(max(position), 0) + 1, 'e-' || :n, 'lead-' || :n, 1, 'lead.registered', 1, ${lit(sample.data)}, ${sample.confidential ? lit(sample.confidential) : 'NULL'},` +
            ` ${lit(sample.metadata)}, now(), '${'f'.repeat(64)}', clock_timestamp() FROM ${SHAPED_SCHEMA}.events;`,
          `INSERT INTO ${SHAPED_SCHEMA}.streams (stream_id, version) VALUES ('lead-' || :n, 1);`,
          'END;',
          '',
        ].join('\n'),
      );
    }
    const emmettStore = emmett;
    const appendOurs = () => {
      const { streamId, event } = leadRegistered();
      return oursStore.append(streamId, [event], 0);
    };
    const appendPlain = () => {
      const { streamId, event } = leadRegistered();
      return (plainStore as PostgresEventStore).append(streamId, [event], 0);
    };
    const appendEmmett = () => {
      const { streamId, event } = leadRegistered();
      // Emmett has no separate confidential column: the sealed part rides in its metadata, so it stores the same bytes
      const metadata = { ...event.metadata, eventId: event.eventId, schemaVersion: event.schemaVersion, confidential: event.confidential ?? null };
      return emmettStore.appendToStream(streamId, [{ type: event.type, data: event.data as Record<string, unknown>, metadata }], { expectedStreamVersion: 0n });
    };

    // warm-up, not measured: schema creation (Emmett creates its own on first use), prepared statements, connections
    progress('warm-up');
    for (const w of writerCounts) {
      await runWriters(w, 500, appendOurs);
      await runWriters(w, 500, appendEmmett);
      if (plainStore) await runWriters(w, 500, appendPlain);
    }
    const systems: System[] = ['ours', 'emmett', 'pgbench', ...(plainStore ? (['plain'] as const) : []), ...(shapedScript ? (['shaped'] as const) : [])];

    const slices = new Map<string, Slice[]>();
    const keyOf = (s: System, w: number) => `${s}/${w}`;
    for (let r = 0; r < rounds; r++) {
      for (const w of writerCounts) {
        const order: System[] = r % 2 === 0 ? systems : [...systems].reverse();
        for (const system of order) {
          progress(`round ${r + 1}/${rounds}: ${system}, ${w} writer(s), ${sliceMs / 1000} s`);
          let slice: Slice;
          if (system === 'ours' || system === 'plain') {
            const store = system === 'ours' ? oursStore : (plainStore as PostgresEventStore);
            const before = store.stats();
            slice = await runWriters(w, sliceMs, system === 'ours' ? appendOurs : appendPlain);
            const after = store.stats();
            slice.transactions = after.transactions - before.transactions;
            slice.writtenCalls = after.writtenCalls - before.writtenCalls;
            slice.speculated = after.speculated - before.speculated;
            slice.missedSpeculations = after.missedSpeculations - before.missedSpeculations;
          } else if (system === 'emmett') {
            slice = await runWriters(w, sliceMs, appendEmmett);
          } else {
            slice = await pgbenchSlice(w, sliceMs / 1000, system === 'shaped' ? (shapedScript as string) : scriptFile, logDir);
          }
          progress(`  ${round((slice.appends / slice.ms) * 1000)} appends/s`);
          const k = keyOf(system, w);
          slices.set(k, [...(slices.get(k) ?? []), slice]);
        }
      }
    }

    const cells: Record<string, Record<string, unknown>> = {};
    const rate: Record<string, number> = {};
    for (const w of writerCounts) {
      for (const system of systems) {
        const ss = slices.get(keyOf(system, w)) ?? [];
        const appends = ss.reduce((n, s) => n + s.appends, 0);
        const ms = ss.reduce((n, s) => n + s.ms, 0);
        const lat = ss.flatMap((s) => s.latenciesMs);
        const perSecond = round((appends / ms) * 1000);
        rate[keyOf(system, w)] = perSecond;
        const cell: Record<string, unknown> = {
          writers: w,
          appendsPerSecond: perSecond,
          perRound: ss.map((s) => round((s.appends / s.ms) * 1000)),
          appends,
          seconds: round(ms / 1000, 1),
          latencyMs: { p50: round(percentile(lat, 50), 2), p99: round(percentile(lat, 99), 2) },
        };
        if (system === 'ours' || system === 'plain') {
          const transactions = ss.reduce((n, s) => n + (s.transactions ?? 0), 0);
          const writtenCalls = ss.reduce((n, s) => n + (s.writtenCalls ?? 0), 0);
          const sum = (f: (s: Slice) => number | undefined) => ss.reduce((n, s) => n + (f(s) ?? 0), 0);
          cell.batches = {
            transactions,
            writtenCalls,
            meanBatchSize: round(writtenCalls / Math.max(1, transactions), 2),
            // decided in advance, one round trip each (PostgresEventStore's class comment); misses were re-run
            speculated: sum((s) => s.speculated),
            missedSpeculations: sum((s) => s.missedSpeculations),
          };
        }
        cells[`${system} ${w}w`] = cell;
      }
    }

    // the log must hold exactly what was acknowledged: a benchmark that lost appends would be meaningless
    const check = new Client({ connectionString: dbUrl });
    await check.connect();
    const counted = await check.query<{ ours: string; emmett: string; plain?: string }>(
      `SELECT (SELECT count(*) FROM ${OUR_SCHEMA}.events) AS ours, (SELECT count(*) FROM emt_messages) AS emmett` +
        (plainStore ? `, (SELECT count(*) FROM ${PLAIN_SCHEMA}.events) AS plain` : ''),
    );
    await check.end();
    const oursHead = await oursStore.headPosition();

    const ratio = (a: string, b: string) => round((rate[a] ?? NaN) / (rate[b] ?? NaN), 2);
    const ratios: Record<string, number> = {};
    const targets: Record<string, { ratio: number; atLeast: number; met: boolean }> = {};
    for (const w of writerCounts) {
      ratios[`ours/emmett ${w}w`] = ratio(keyOf('ours', w), keyOf('emmett', w));
      ratios[`ours/pgbench ${w}w`] = ratio(keyOf('ours', w), keyOf('pgbench', w));
      if (plainStore) ratios[`ours/plain ${w}w`] = ratio(keyOf('ours', w), keyOf('plain', w));
      if (shapedScript) {
        ratios[`shaped/pgbench ${w}w`] = ratio(keyOf('shaped', w), keyOf('pgbench', w));
        ratios[`ours/shaped ${w}w`] = ratio(keyOf('ours', w), keyOf('shaped', w));
      }
      // issue 7: ≥3× Emmett with 8 writers, ≥2× with 1 writer; ≥60% of pgbench at the same writer count
      const vsEmmett = w >= 8 ? 3 : w === 1 ? 2 : undefined;
      if (vsEmmett !== undefined) {
        const x = ratios[`ours/emmett ${w}w`] as number;
        targets[`ours ≥ ${vsEmmett}× Emmett, ${w} writer(s)`] = { ratio: x, atLeast: vsEmmett, met: x >= vsEmmett };
      }
      const y = ratios[`ours/pgbench ${w}w`] as number;
      targets[`ours ≥ 60% of pgbench, ${w} writer(s) (pgbench -c ${w})`] = { ratio: y, atLeast: 0.6, met: y >= 0.6 };
    }

    printResult('pg-append', {
      sizes: { secondsPerCell: seconds, rounds, writers: writerCounts, database },
      postgres: Object.fromEntries(settings.rows.map((r) => [r.name, r.setting])),
      event: { type: 'lead.registered', jsonBytes: Buffer.byteLength(rowJson), sealedConfidential: 'every other event' },
      unit: 'appends/s (one event, new stream, expected version checked, one command per append)',
      cells,
      ratios,
      target: targets,
      met: Object.values(targets).every((t) => t.met),
      sanity: {
        oursRows: Number(counted.rows[0]?.ours),
        oursHead,
        emmettRows: Number(counted.rows[0]?.emmett),
        ...(plainStore ? { plainRows: Number(counted.rows[0]?.plain), plainHead: await plainStore.headPosition() } : {}),
      },
      notes: [
        'pgbench: -M prepared, one autocommitted INSERT per transaction into (id bigserial pk, stream_id text, data jsonb) with the same JSON; -c 1 -j 1 and -c 8 -j 2',
        'ours writes two rows per event (events: 3 unique indexes; streams: 1) and a SHA-256 hash chain link; Emmett writes two rows per event too',
        'counts include the warm-up appends; latency is per append call from the writer’s view',
        'plain and shaped are references, not targets: plain = our store without speculative batches; shaped = pgbench running our statements on our schema, one append per transaction (see the comment at the top of bench/pg-append.bench.ts)',
      ],
    });
  } finally {
    await ours?.close().catch(() => undefined);
    await plain?.close().catch(() => undefined);
    await emmett?.close().catch(() => undefined);
    rmSync(logDir, { recursive: true, force: true });
    if (!keep) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  }
}

main().catch((e: unknown) => {
  progress(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
