import type { EventStore } from '../event-store.port';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import type { IntegrityLog } from './integrity-log';

/** A store that exposes its hash chain (SQLite, PostgreSQL; not KurrentDB, see docs/security-integrity.md). */
export interface HasIntegrityLog {
  integrityLog(): IntegrityLog;
}

export function integrityLogOf(store: EventStore | HasIntegrityLog): IntegrityLog | undefined {
  const s = store as Partial<HasIntegrityLog>;
  return typeof s.integrityLog === 'function' ? s.integrityLog() : undefined;
}

export type IntegrityStoreLocation =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema: string }
  | { kind: 'kurrentdb' };

/**
 * Opens the store's integrity log on its OWN connection (a second SQLite handle on the file, a small
 * PostgreSQL pool), below any decorator the application wraps around the EventStore port — the chain
 * covers the rows exactly as stored. Opening runs the adapter's schema setup, so a version-1 store is
 * upgraded (chained) here if nothing opened it before.
 */
export async function openIntegrityLog(location: IntegrityStoreLocation): Promise<{ log: IntegrityLog; close(): Promise<void> }> {
  if (location.kind === 'kurrentdb') {
    throw new Error('the hash chain is not available on KurrentDB (docs/security-integrity.md: KurrentDB)');
  }
  const store =
    location.kind === 'sqlite'
      ? SqliteEventStore.open(location.file)
      : await PostgresEventStore.connect({ connectionString: location.url, schema: location.schema, poolSize: 2 });
  return { log: store.integrityLog(), close: () => store.close() };
}
