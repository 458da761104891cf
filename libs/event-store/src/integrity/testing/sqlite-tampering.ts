import Database from 'better-sqlite3';
import type { Tamperer } from './tampering.suite';

/** Raw surgery on a SQLite store file through its own better-sqlite3 connection. */
export function sqliteTamperer(file: string): Tamperer {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  const run = async (sql: string, ...params: unknown[]) => {
    db.prepare(sql).run(...params);
  };
  return {
    replaceInJson: (p, column, from, to) => run(`UPDATE events SET ${column} = replace(${column}, ?, ?) WHERE position = ?`, from, to, p),
    setColumn: (p, column, value) => run(`UPDATE events SET ${column} = ? WHERE position = ?`, value, p),
    deleteEvent: (p) => run('DELETE FROM events WHERE position = ?', p),
    movePosition: (from, to) => run('UPDATE events SET position = ? WHERE position = ?', to, from),
    shiftUp: async (above) => {
      await run('UPDATE events SET position = position + 1000000 WHERE position > ?', above);
      await run('UPDATE events SET position = position - 999999 WHERE position > 1000000');
    },
    insertEvent: (r) =>
      run(
        `INSERT INTO events (position, event_id, stream_id, stream_version, type, schema_version, data, confidential, metadata, occurred_at, recorded_at, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        r.position, r.eventId, r.streamId, r.streamVersion, r.type, r.schemaVersion, JSON.stringify(r.data),
        r.confidential === null ? null : JSON.stringify(r.confidential), JSON.stringify(r.metadata), r.occurredAt, r.recordedAt, r.hash,
      ),
    setStreamVersion: (s, v) => run('INSERT INTO streams (stream_id, version) VALUES (?, ?) ON CONFLICT(stream_id) DO UPDATE SET version = excluded.version', s, v),
    setCheckpointHash: (p, h) => run('UPDATE checkpoints SET global_hash = ? WHERE position = ?', h, p),
    close: async () => {
      db.close();
    },
  };
}
