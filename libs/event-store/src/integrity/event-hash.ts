import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** Version of the hashed record's layout; written into every record so a future layout can coexist. */
export const HASH_FORMAT = 1;

/** The fields of one event that its hash covers, as a reader of the store sees them. */
export interface HashedFields {
  eventId: string;
  streamId: string;
  streamVersion: number;
  position: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  /** exactly as stored (ciphertext envelope once the confidentiality work encrypts it); null when absent */
  confidential: unknown;
  metadata: unknown;
  /** ISO-8601 with milliseconds and 'Z', as the port returns it */
  recordedAt: string;
}

/**
 * hash = lower-case hex SHA-256 of the UTF-8 bytes of canonicalJson({
 *   format: 1, prevGlobalHash, prevStreamHash, eventId, streamId, streamVersion, position, type,
 *   schemaVersion, data, confidential, metadata, recordedAt })
 * prevGlobalHash: hash of the event at position - 1 (null for position 1);
 * prevStreamHash: hash of the event at streamVersion - 1 of the same stream (null for version 1).
 * See docs/security-integrity.md for the exact rules an auditor re-implements.
 */
export function eventHash(e: HashedFields, prevGlobalHash: string | null, prevStreamHash: string | null): string {
  const record = {
    format: HASH_FORMAT,
    prevGlobalHash,
    prevStreamHash,
    eventId: e.eventId,
    streamId: e.streamId,
    streamVersion: e.streamVersion,
    position: e.position,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data ?? null,
    confidential: e.confidential ?? null,
    metadata: e.metadata,
    recordedAt: e.recordedAt,
  };
  return createHash('sha256').update(canonicalJson(record), 'utf8').digest('hex');
}

/**
 * Chains a run of new events in append order. `prevGlobal` is the hash of the event just below the
 * first one; `streamHead(streamId)` returns the hash of a stream's last event (or null for a new stream)
 * and is updated as the run proceeds, so a batch touching one stream twice chains correctly.
 */
export class ChainBuilder {
  private readonly heads = new Map<string, string | null>();

  constructor(
    private prevGlobal: string | null,
    private readonly streamHead: (streamId: string) => string | null,
  ) {}

  next(e: HashedFields): string {
    const prevStream = this.heads.has(e.streamId) ? (this.heads.get(e.streamId) as string | null) : this.streamHead(e.streamId);
    const h = eventHash(e, this.prevGlobal, prevStream);
    this.prevGlobal = h;
    this.heads.set(e.streamId, h);
    return h;
  }
}
