import type Database from 'better-sqlite3';
import { chainPage, parseStoredJson } from './chain-upgrade';
import type { Checkpoint, ChainRow, IntegrityLog } from './integrity-log';

interface RawChainRow {
  position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: string;
  confidential: string | null;
  metadata: string;
  occurred_at: string;
  recorded_at: string;
  hash: string | null;
  prev_position: number | null;
  prev_hash: string | null;
}

interface RawCheckpoint {
  position: number;
  global_hash: string;
  at: string;
  key_id: string;
  signature: string;
}

const CHAIN_QUERY = `
  SELECT e.position, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.data, e.confidential,
         e.metadata, e.occurred_at, e.recorded_at, e.hash, p.position AS prev_position, p.hash AS prev_hash
    FROM events e
    LEFT JOIN events p ON p.stream_id = e.stream_id AND p.stream_version = e.stream_version - 1
   WHERE e.position > ? ORDER BY e.position LIMIT ?`;

/** DDL of the schema-version-2 step: the checkpoints table (the `hash` column exists since version 1). */
export const SQLITE_CHECKPOINTS_DDL = `
  CREATE TABLE IF NOT EXISTS checkpoints (
    position    INTEGER PRIMARY KEY,
    global_hash TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    key_id      TEXT    NOT NULL,
    signature   TEXT    NOT NULL
  );`;

function toChainRow(r: RawChainRow): ChainRow {
  return {
    position: r.position,
    eventId: r.event_id,
    streamId: r.stream_id,
    streamVersion: r.stream_version,
    type: r.type,
    schemaVersion: r.schema_version,
    data: parseStoredJson(r.data),
    confidential: parseStoredJson(r.confidential),
    metadata: parseStoredJson(r.metadata),
    recordedAt: r.recorded_at,
    occurredAtColumn: r.occurred_at,
    hash: r.hash,
    prevInStream: r.prev_position === null ? null : { position: r.prev_position, hash: r.prev_hash },
  };
}

const toCheckpoint = (r: RawCheckpoint): Checkpoint => ({ position: r.position, globalHash: r.global_hash, at: r.at, keyId: r.key_id, signature: r.signature });

/**
 * Chains the events an older store wrote without hashes. Runs inside the migration's IMMEDIATE
 * transaction (no append can interleave), page by page so memory stays bounded.
 */
export function chainExistingSqliteEvents(db: Database.Database): number {
  const read = db.prepare<[number, number], RawChainRow>(CHAIN_QUERY);
  const write = db.prepare<[string, number]>('UPDATE events SET hash = ? WHERE position = ?');
  let after = 0;
  let prevGlobal: string | null = null;
  let count = 0;
  for (;;) {
    const rows = read.all(after, 1000).map(toChainRow);
    if (rows.length === 0) return count;
    const page = chainPage(rows, prevGlobal);
    for (const [position, h] of page.updates) write.run(h, position);
    prevGlobal = page.prevGlobal;
    after = (rows[rows.length - 1] as ChainRow).position;
    count += rows.length;
  }
}

export class SqliteIntegrityLog implements IntegrityLog {
  private readonly stmts;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      chain: db.prepare<[number, number], RawChainRow>(CHAIN_QUERY),
      head: db.prepare<[], { position: number; hash: string | null }>('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1'),
      save: db.prepare('INSERT INTO checkpoints (position, global_hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?) ON CONFLICT(position) DO NOTHING'),
      checkpoints: db.prepare<[number, number], RawCheckpoint>('SELECT * FROM checkpoints WHERE position > ? ORDER BY position LIMIT ?'),
      last: db.prepare<[], RawCheckpoint>('SELECT * FROM checkpoints ORDER BY position DESC LIMIT 1'),
      headMismatch: db.prepare<[], { stream_id: string; recorded: number | null; actual: number | null; position: number | null }>(`
        WITH m AS (SELECT stream_id, MAX(stream_version) AS v, MAX(position) AS p FROM events GROUP BY stream_id)
        SELECT s.stream_id, s.version AS recorded, m.v AS actual, m.p AS position
          FROM streams s LEFT JOIN m ON m.stream_id = s.stream_id WHERE m.v IS NULL OR m.v <> s.version
        UNION ALL
        SELECT m.stream_id, NULL, m.v, m.p FROM m LEFT JOIN streams s ON s.stream_id = m.stream_id WHERE s.stream_id IS NULL
        ORDER BY position LIMIT 1`),
    };
  }

  async readChain(after: number, limit: number): Promise<ChainRow[]> {
    return this.stmts.chain.all(after, limit).map(toChainRow);
  }

  async chainHead(): Promise<{ position: number; hash: string | null } | null> {
    return this.stmts.head.get() ?? null;
  }

  async saveCheckpoint(cp: Checkpoint): Promise<boolean> {
    return this.stmts.save.run(cp.position, cp.globalHash, cp.at, cp.keyId, cp.signature).changes === 1;
  }

  async readCheckpoints(after: number, limit: number): Promise<Checkpoint[]> {
    return this.stmts.checkpoints.all(after, limit).map(toCheckpoint);
  }

  async lastCheckpoint(): Promise<Checkpoint | null> {
    const r = this.stmts.last.get();
    return r ? toCheckpoint(r) : null;
  }

  async streamHeadMismatch() {
    const r = this.stmts.headMismatch.get();
    return r ? { streamId: r.stream_id, recordedVersion: r.recorded, eventsVersion: r.actual, position: r.position } : null;
  }
}
