import { eventHash } from './event-hash';
import type { ChainRow } from './integrity-log';

/**
 * One page of the one-time upgrade that chains events written before the hash chain existed (schema
 * version 1 stores, whose `hash` column is NULL). Pages are processed in position order; the stream
 * predecessor's hash comes from the row's join when it lies in an earlier (already updated) page, and
 * from this page's own results otherwise. Returns the hashes to write and the new global head hash.
 */
export function chainPage(rows: readonly ChainRow[], prevGlobal: string | null): { updates: [number, string][]; prevGlobal: string | null } {
  const local = new Map<string, string>();
  const key = (s: string, v: number) => `${v}\u0000${s}`;
  const updates: [number, string][] = [];
  for (const row of rows) {
    const prevStream = row.streamVersion > 1 ? (local.get(key(row.streamId, row.streamVersion - 1)) ?? row.prevInStream?.hash ?? null) : null;
    const h = eventHash(row, prevGlobal, prevStream);
    local.set(key(row.streamId, row.streamVersion), h);
    updates.push([row.position, h]);
    prevGlobal = h;
  }
  return { updates, prevGlobal };
}

/** Parses stored JSON text; text that is not JSON (hand-edited) becomes a marker that can never hash right. */
export function parseStoredJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { '\u0000unparseable': text };
  }
}
