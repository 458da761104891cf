import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@coord/event-store';
import { intArg, printResult, progress, stringArg } from './support/bench-output';
import { leadRegistered } from './support/append-event';
import { percentile, round } from './support/stats';

/**
 * Issue 7, target 2: SQLite append, one event per call to a NEW stream with its expected version (0),
 * against raw better-sqlite3 one-row transactions (WAL, a prepared INSERT of a comparable row, each in its
 * own transaction), at synchronous=FULL (the store's default: durable before acknowledging) and NORMAL
 * (its option), on files in a temporary directory (not :memory:: the fsync is what FULL costs).
 *
 *   npm run bench:sqlite-append -- [--seconds 10] [--rounds 5] [--settings FULL,NORMAL] [--writers 1,8] [--dir /tmp]
 *
 * Each cell runs `--seconds` in total, split into `--rounds` slices that alternate between raw and ours
 * (raw first in even rounds, ours first in odd ones), so drift on a shared machine hits both alike.
 * `--writers`: N async writers in one process, each awaiting its append before the next (as N concurrent
 * HTTP requests would). raw and shaped are synchronous one-transaction-per-call, so their rate does not
 * depend on N (the callers are serialized by the event loop); the store group-commits the appends its
 * writers have in flight together (one transaction, one fsync), so with N > 1 it may exceed raw.
 * A third cell, "shaped", runs the store's own statements and rows without its JavaScript, so the report
 * can say how much of the gap to raw is the storage layout and how much the code.
 */

const seconds = intArg('seconds', 10);
const rounds = Math.max(1, intArg('rounds', 5));
const settings = stringArg('settings', 'FULL,NORMAL')
  .split(',')
  .map((s) => s.trim().toUpperCase())
  .filter((s): s is 'FULL' | 'NORMAL' => s === 'FULL' || s === 'NORMAL');
const parentDir = stringArg('dir', tmpdir());
const writerCounts = stringArg('writers', '1,8')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isSafeInteger(n) && n > 0);

interface Slice {
  appends: number;
  ms: number;
  latenciesMs: number[];
  /** ours only: append transactions committed during the slice */
  transactions?: number;
}

/**
 * `writers` callers each calling `appendOne` back to back for `ms` milliseconds (awaiting it when it
 * returns a promise). One writer with a synchronous function never yields, as before.
 */
async function runFor(ms: number, appendOne: () => unknown, writers = 1): Promise<Slice> {
  const latenciesMs: number[] = [];
  const start = performance.now();
  const deadline = start + ms;
  let appends = 0;
  let end = start;
  const writer = async () => {
    let now = performance.now();
    while (now < deadline) {
      const r = appendOne();
      if (r instanceof Promise) await r;
      const t = performance.now();
      latenciesMs.push(t - now);
      now = t;
      appends++;
    }
    end = Math.max(end, now);
  };
  await Promise.all(Array.from({ length: writers }, writer));
  return { appends, ms: end - start, latenciesMs };
}

function sqliteVersion(): unknown {
  const db = new Database(':memory:');
  try {
    return db.prepare('SELECT sqlite_version()').pluck().get();
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  if (settings.length === 0) throw new RangeError('--settings needs FULL and/or NORMAL');
  if (writerCounts.length === 0) throw new RangeError('--writers needs at least one positive count, e.g. 1,8');
  const dir = mkdtempSync(join(parentDir, 'bench-sqlite-append-'));
  const open: { close(): unknown }[] = [];
  try {
    const sample = leadRegistered().event;
    const rowJson = JSON.stringify({ eventId: sample.eventId, type: sample.type, data: sample.data, metadata: sample.metadata, confidential: sample.confidential ?? null });
    const cells: Record<string, Record<string, unknown>> = {};
    const rate: Record<string, number> = {};
    const sliceMs = (seconds * 1000) / rounds;

    for (const synchronous of settings) {
      // raw: the ceiling for one durable transaction per command at this setting
      const db = new Database(join(dir, `raw-${synchronous}.sqlite`));
      open.push(db);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, data TEXT NOT NULL)');
      const insert = db.prepare('INSERT INTO t (stream_id, data) VALUES (?, ?)');
      // BEGIN IMMEDIATE, like the store: the write lock first (the same cost for one insert)
      const oneRowTx = db.transaction((streamId: string, data: string) => insert.run(streamId, data));
      let n = 0;
      // the same JSON as one of our events, a new stream id each time
      const appendRaw = () => oneRowTx.immediate(`lead-${++n}`, rowJson);

      // the store's own statements and rows, without its JavaScript (decisions, JSON, hash): what its
      // storage layout costs by itself. A reference to explain the gap, not a target
      const shapedFile = join(dir, `shaped-${synchronous}.sqlite`);
      await SqliteEventStore.open(shapedFile, { synchronous }).close(); // creates the store's schema
      const shaped = new Database(shapedFile);
      open.push(shaped);
      shaped.pragma('journal_mode = WAL');
      shaped.pragma(`synchronous = ${synchronous}`);
      const q = {
        head: shaped.prepare('SELECT s.version, e.hash FROM streams s LEFT JOIN events e ON e.stream_id = s.stream_id AND e.stream_version = s.version WHERE s.stream_id = ?'),
        find: shaped.prepare('SELECT stream_id, stream_version, position FROM events WHERE event_id = ?'),
        tail: shaped.prepare(
          "SELECT (SELECT seq FROM sqlite_sequence WHERE name = 'events') AS seq, l.position, l.hash FROM (SELECT 1) LEFT JOIN (SELECT position, hash FROM events ORDER BY position DESC LIMIT 1) l ON 1",
        ),
        insert: shaped.prepare(
          `INSERT INTO events (position, event_id, stream_id, stream_version, type, schema_version, data, confidential, metadata, occurred_at, recorded_at, hash)
           VALUES (?, ?, ?, ?, 'lead.registered', 1, ?, ?, ?, ?, ?, ?)`,
        ),
        upsert: shaped.prepare('INSERT INTO streams (stream_id, version) VALUES (?, 1) ON CONFLICT(stream_id) DO UPDATE SET version = excluded.version'),
      };
      const texts = { data: JSON.stringify(sample.data), metadata: JSON.stringify(sample.metadata), confidential: sample.confidential ? JSON.stringify(sample.confidential) : null };
      const hash = 'f'.repeat(64);
      const shapedTx = shaped.transaction((streamId: string, eventId: string) => {
        q.head.get(streamId);
        q.find.get(eventId);
        const t = q.tail.get() as { seq: number | null; position: number | null };
        const position = Math.max(t.seq ?? 0, t.position ?? 0) + 1;
        q.insert.run(position, eventId, streamId, 1, texts.data, texts.confidential, texts.metadata, sample.metadata.occurredAt, new Date().toISOString(), hash);
        q.upsert.run(streamId);
      });
      // random ids like the real ones: index pages are touched where a uuid falls, not at the end
      const appendShaped = () => shapedTx.immediate(`lead-${randomUUID()}`, randomUUID());

      const store = SqliteEventStore.open(join(dir, `ours-${synchronous}.sqlite`), { synchronous });
      open.push(store);
      const appendOurs = () => {
        const { streamId, event } = leadRegistered();
        return store.append(streamId, [event], 0);
      };

      progress(`synchronous=${synchronous}: warm-up`);
      await runFor(300, appendRaw);
      await runFor(300, appendShaped);
      await runFor(300, appendOurs);
      for (const writers of writerCounts) {
        const key = (who: string) => `${who} ${synchronous} w${writers}`;
        const slices = { raw: [] as Slice[], shaped: [] as Slice[], ours: [] as Slice[] };
        const fns = { raw: appendRaw, shaped: appendShaped, ours: appendOurs };
        const headBefore = await store.headPosition();
        for (let r = 0; r < rounds; r++) {
          const order = r % 2 === 0 ? (['raw', 'shaped', 'ours'] as const) : (['ours', 'shaped', 'raw'] as const);
          for (const who of order) {
            const txBefore = store.stats().transactions;
            const slice = await runFor(sliceMs, fns[who], writers);
            if (who === 'ours') slice.transactions = store.stats().transactions - txBefore;
            slices[who].push(slice);
            progress(`  ${writers} writer(s), round ${r + 1}/${rounds} ${who}: ${round((slice.appends / slice.ms) * 1000)} appends/s`);
          }
        }
        for (const [who, ss] of Object.entries(slices)) {
          const appends = ss.reduce((x, s) => x + s.appends, 0);
          const ms = ss.reduce((x, s) => x + s.ms, 0);
          const lat = ss.flatMap((s) => s.latenciesMs);
          const perSecond = round((appends / ms) * 1000);
          rate[key(who)] = perSecond;
          cells[key(who)] = {
            synchronous,
            writers,
            appendsPerSecond: perSecond,
            perRound: ss.map((s) => round((s.appends / s.ms) * 1000)),
            appends,
            seconds: round(ms / 1000, 1),
            latencyMs: { p50: round(percentile(lat, 50), 3), p99: round(percentile(lat, 99), 3) },
          };
        }
        // the store holds exactly what it acknowledged in these slices, in how many transactions
        const acknowledged = slices.ours.reduce((x, s) => x + s.appends, 0);
        const transactions = slices.ours.reduce((x, s) => x + (s.transactions ?? 0), 0);
        Object.assign(cells[key('ours')] as Record<string, unknown>, {
          eventsWritten: (await store.headPosition()) - headBefore,
          acknowledgedInMeasuredSlices: acknowledged,
          transactions,
          appendsPerTransaction: round(acknowledged / Math.max(1, transactions), 2),
        });
      }
      await store.close();
      db.close();
      shaped.close();
    }

    const ratios: Record<string, number> = {};
    const targets: Record<string, { ratio: number; atLeast: number; met: boolean }> = {};
    for (const s of settings) {
      for (const w of writerCounts) {
        const k = (who: string) => rate[`${who} ${s} w${w}`] ?? NaN;
        const x = round(k('ours') / k('raw'), 2);
        ratios[`ours/raw ${s} w${w}`] = x;
        ratios[`shaped/raw ${s} w${w}`] = round(k('shaped') / k('raw'), 2);
        ratios[`ours/shaped ${s} w${w}`] = round(k('ours') / k('shaped'), 2);
        targets[`ours ≥ 70% of raw better-sqlite3, synchronous=${s}, ${w} writer(s)`] = { ratio: x, atLeast: 0.7, met: x >= 0.7 };
      }
    }
    printResult('sqlite-append', {
      sizes: { secondsPerCell: seconds, rounds, settings, writers: writerCounts },
      betterSqlite3: (JSON.parse(readFileSync(join(__dirname, '..', 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version,
      sqlite: sqliteVersion(),
      event: { type: 'lead.registered', jsonBytes: Buffer.byteLength(rowJson), sealedConfidential: 'every other event' },
      unit: 'appends/s (one event, new stream, expected version 0, files in a temp dir, WAL; raw/shaped: one transaction per call; ours: group commit of the calls in flight)',
      cells,
      ratios,
      target: targets,
      met: Object.values(targets).every((t) => t.met),
      notes: [
        'raw: BEGIN IMMEDIATE; INSERT INTO t (id INTEGER PRIMARY KEY, stream_id TEXT, data TEXT) with the same JSON; COMMIT',
        'ours: SqliteEventStore.append(new stream, [event], 0): version check, idempotency lookup, hash chain link, two rows (events with 3 indexes, streams), the stored event parsed back',
        "shaped: the store's statements and rows on its schema, values precomputed, without its JavaScript: the cost of the storage layout alone (events: rowid + 2 unique indexes on random keys + AUTOINCREMENT sequence; streams: rowid + primary-key index); shaped/raw and ours/shaped split the gap into layout and code",
      ],
    });
  } finally {
    for (const o of open) {
      try {
        await o.close();
      } catch {
        // already closed
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  progress(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
