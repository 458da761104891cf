import type { Pool, PoolClient } from 'pg';
import { chainPage } from './chain-upgrade';
import type { Checkpoint, ChainRow, IntegrityLog } from './integrity-log';

interface RawChainRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: unknown;
  confidential: unknown;
  metadata: unknown;
  occurred_at: Date;
  recorded_at: Date;
  hash: string | null;
  prev_position: string | null;
  prev_hash: string | null;
}

interface RawCheckpoint {
  position: string;
  global_hash: string;
  at: string;
  key_id: string;
  signature: string;
}

const chainQuery = (schema: string) => `
  SELECT e.position, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.data, e.confidential,
         e.metadata, e.occurred_at, e.recorded_at, e.hash, p.position AS prev_position, p.hash AS prev_hash
    FROM "${schema}".events e
    LEFT JOIN "${schema}".events p ON p.stream_id = e.stream_id AND p.stream_version = e.stream_version - 1
   WHERE e.position > $1 ORDER BY e.position LIMIT $2`;

/** DDL of the schema-version-2 step: the checkpoints table (`at` kept as the exact signed text). */
export const postgresCheckpointsDdl = (schema: string) => `
  CREATE TABLE IF NOT EXISTS "${schema}".checkpoints (
    position    BIGINT PRIMARY KEY,
    global_hash TEXT   NOT NULL,
    at          TEXT   NOT NULL,
    key_id      TEXT   NOT NULL,
    signature   TEXT   NOT NULL
  )`;

function toChainRow(r: RawChainRow): ChainRow {
  return {
    position: Number(r.position),
    eventId: r.event_id,
    streamId: r.stream_id,
    streamVersion: r.stream_version,
    type: r.type,
    schemaVersion: r.schema_version,
    // jsonb arrives parsed: the hash is computed over these values, not over the stored text
    data: r.data,
    confidential: r.confidential,
    metadata: r.metadata,
    // the port's recordedAt: milliseconds, as pg parses timestamptz into a Date
    recordedAt: r.recorded_at.toISOString(),
    occurredAtColumn: r.occurred_at.toISOString(),
    hash: r.hash,
    prevInStream: r.prev_position === null ? null : { position: Number(r.prev_position), hash: r.prev_hash },
  };
}

const toCheckpoint = (r: RawCheckpoint): Checkpoint => ({ position: Number(r.position), globalHash: r.global_hash, at: r.at, keyId: r.key_id, signature: r.signature });

/** Chains a version-1 store's events once; runs in the migration transaction, under the append lock. */
export async function chainExistingPostgresEvents(client: PoolClient, schema: string): Promise<number> {
  let after = 0;
  let prevGlobal: string | null = null;
  let count = 0;
  for (;;) {
    const r = await client.query<RawChainRow>(chainQuery(schema), [after, 1000]);
    const rows = r.rows.map(toChainRow);
    if (rows.length === 0) return count;
    const page = chainPage(rows, prevGlobal);
    await client.query(`UPDATE "${schema}".events e SET hash = u.h FROM unnest($1::bigint[], $2::text[]) AS u(p, h) WHERE e.position = u.p`, [
      page.updates.map(([p]) => p),
      page.updates.map(([, h]) => h),
    ]);
    prevGlobal = page.prevGlobal;
    after = (rows[rows.length - 1] as ChainRow).position;
    count += rows.length;
  }
}

export class PostgresIntegrityLog implements IntegrityLog {
  private readonly sql;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    const t = (n: string) => `"${schema}".${n}`;
    this.sql = {
      chain: chainQuery(schema),
      head: `SELECT position, hash FROM ${t('events')} ORDER BY position DESC LIMIT 1`,
      save: `INSERT INTO ${t('checkpoints')} (position, global_hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (position) DO NOTHING`,
      checkpoints: `SELECT * FROM ${t('checkpoints')} WHERE position > $1 ORDER BY position LIMIT $2`,
      last: `SELECT * FROM ${t('checkpoints')} ORDER BY position DESC LIMIT 1`,
      headMismatch: `
        WITH m AS (SELECT stream_id, MAX(stream_version) AS v, MAX(position) AS p FROM ${t('events')} GROUP BY stream_id)
        SELECT * FROM (
          SELECT s.stream_id, s.version AS recorded, m.v AS actual, m.p AS position
            FROM ${t('streams')} s LEFT JOIN m ON m.stream_id = s.stream_id WHERE m.v IS NULL OR m.v <> s.version
          UNION ALL
          SELECT m.stream_id, NULL, m.v, m.p FROM m LEFT JOIN ${t('streams')} s ON s.stream_id = m.stream_id WHERE s.stream_id IS NULL
        ) x ORDER BY position NULLS FIRST LIMIT 1`,
    };
  }

  async readChain(after: number, limit: number): Promise<ChainRow[]> {
    const r = await this.pool.query<RawChainRow>(this.sql.chain, [after, limit]);
    return r.rows.map(toChainRow);
  }

  async chainHead(): Promise<{ position: number; hash: string | null } | null> {
    const r = await this.pool.query<{ position: string; hash: string | null }>(this.sql.head);
    const row = r.rows[0];
    return row ? { position: Number(row.position), hash: row.hash } : null;
  }

  async saveCheckpoint(cp: Checkpoint): Promise<boolean> {
    const r = await this.pool.query(this.sql.save, [cp.position, cp.globalHash, cp.at, cp.keyId, cp.signature]);
    return r.rowCount === 1;
  }

  async readCheckpoints(after: number, limit: number): Promise<Checkpoint[]> {
    const r = await this.pool.query<RawCheckpoint>(this.sql.checkpoints, [after, limit]);
    return r.rows.map(toCheckpoint);
  }

  async lastCheckpoint(): Promise<Checkpoint | null> {
    const r = await this.pool.query<RawCheckpoint>(this.sql.last);
    return r.rows[0] ? toCheckpoint(r.rows[0]) : null;
  }

  async streamHeadMismatch() {
    const r = await this.pool.query<{ stream_id: string; recorded: number | null; actual: number | null; position: string | null }>(this.sql.headMismatch);
    const row = r.rows[0];
    return row
      ? { streamId: row.stream_id, recordedVersion: row.recorded, eventsVersion: row.actual, position: row.position === null ? null : Number(row.position) }
      : null;
  }
}
