import { Client } from 'pg';
import type { Tamperer } from './tampering.suite';

/** Raw surgery on a PostgreSQL store schema through its own pg connection. */
export async function postgresTamperer(url: string, schema: string): Promise<Tamperer> {
  const c = new Client({ connectionString: url });
  await c.connect();
  const t = (n: string) => `"${schema}".${n}`;
  const run = async (sql: string, params: unknown[] = []) => {
    await c.query(sql, params);
  };
  return {
    // jsonb has no bytes to flip: the text form is edited and cast back, which is what a psql user would do
    replaceInJson: (p, column, from, to) => run(`UPDATE ${t('events')} SET ${column} = replace(${column}::text, $1, $2)::jsonb WHERE position = $3`, [from, to, p]),
    setColumn: (p, column, value) => run(`UPDATE ${t('events')} SET ${column} = $1 WHERE position = $2`, [value, p]),
    deleteEvent: (p) => run(`DELETE FROM ${t('events')} WHERE position = $1`, [p]),
    movePosition: (from, to) => run(`UPDATE ${t('events')} SET position = $1 WHERE position = $2`, [to, from]),
    shiftUp: async (above) => {
      await run(`UPDATE ${t('events')} SET position = position + 1000000 WHERE position > $1`, [above]);
      await run(`UPDATE ${t('events')} SET position = position - 999999 WHERE position > 1000000`);
    },
    insertEvent: (r) =>
      run(
        `INSERT INTO ${t('events')} (position, event_id, stream_id, stream_version, type, schema_version, data, confidential, metadata, occurred_at, recorded_at, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10, $11, $12)`,
        [r.position, r.eventId, r.streamId, r.streamVersion, r.type, r.schemaVersion, JSON.stringify(r.data),
          r.confidential === null ? null : JSON.stringify(r.confidential), JSON.stringify(r.metadata), r.occurredAt, r.recordedAt, r.hash],
      ),
    setStreamVersion: (s, v) => run(`INSERT INTO ${t('streams')} (stream_id, version) VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version`, [s, v]),
    setCheckpointHash: (p, h) => run(`UPDATE ${t('checkpoints')} SET global_hash = $1 WHERE position = $2`, [h, p]),
    close: () => c.end(),
  };
}
