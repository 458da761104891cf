import type { AppendStreamState, CurrentStreamState, ReadPosition } from '@kurrent/kurrentdb-client';
import type { EventMetadata, ExpectedVersion, NewEvent, StoredEvent } from '../event-envelope';

/**
 * Pure mapping between this product's event-store port and KurrentDB's model. Kept free of I/O (and of
 * runtime imports of the client: only its types) so every rule here is unit-tested on machines without a
 * KurrentDB server (kurrentdb-mapping.spec.ts), while the adapter that uses them can only be proven by the
 * contract suite against a real server.
 *
 * ── Versions ─────────────────────────────────────────────────────────────────────────────────────────
 * Our stream versions are 1-based (the first event is version 1, an empty stream is version 0); KurrentDB
 * revisions are 0-based. version = revision + 1. Expected version 0 is KurrentDB's "no_stream", 'any' is
 * "any", n > 0 is revision n - 1.
 *
 * ── Positions ────────────────────────────────────────────────────────────────────────────────────────
 * Our global `position` is the event's COMMIT position in KurrentDB's transaction log (a byte offset,
 * bigint on the wire). Every event written through the gRPC append APIs is an implicitly committed
 * prepare record whose commit position equals its own log position, so it is unique per event and
 * increases in $all order. Converting to a JS number is exact only up to 2^53 - 1 (≈ 9 PB of log): we
 * refuse, loudly, anything beyond instead of rounding (a rounded checkpoint would skip or repeat events).
 * KurrentDB can only START a $all read at a record boundary; see KurrentDbEventStore.readAll for how a
 * number that is not one of our event positions is handled.
 *
 * ── Event encoding ───────────────────────────────────────────────────────────────────────────────────
 * data     → the KurrentDB event's JSON data, unchanged (what KurrentDB's UI and projections show)
 * metadata → the KurrentDB event's metadata, a FLAT object of string values, because KurrentDB 25.1's
 *            multi-stream append accepts nothing else (the server stores it as JSON and adds its own
 *            `$schema.*` keys, which we ignore on read):
 *              coord.schemaVersion  "3"
 *              coord.metadata       JSON of our EventMetadata (occurredAt, actor, correlation, causation)
 *              coord.confidential   JSON of `confidential`, only when present — its own key so the
 *                                   security issue can replace the value with ciphertext without touching
 *                                   anything else
 */

export const KURRENT_ANY = 'any' as const;
export const KURRENT_NO_STREAM = 'no_stream' as const;
export const KURRENT_START = 'start' as const;

export const META_SCHEMA_VERSION = 'coord.schemaVersion';
export const META_METADATA = 'coord.metadata';
export const META_CONFIDENTIAL = 'coord.confidential';

/**
 * Streams holding one "event id claimed" marker each (see KurrentDbEventStore: how event ids are made
 * unique across streams). Application stream ids may not start with it.
 */
export const EVENT_ID_MARKER_PREFIX = 'coord.event-id-';
export const EVENT_ID_MARKER_TYPE = 'coord.event-id-claimed';

// ── versions ────────────────────────────────────────────────────────────────────────────────────────

/** Our 1-based version of an event with KurrentDB revision `revision`. */
export function revisionToVersion(revision: bigint): number {
  if (revision < 0n) throw new RangeError(`a stream revision cannot be negative, got ${revision}`);
  return toSafeNumber(revision + 1n, 'stream version');
}

/** KurrentDB revision of our 1-based version `version` (>= 1). */
export function versionToRevision(version: number): bigint {
  if (!Number.isSafeInteger(version) || version < 1) throw new RangeError(`a stream version is an integer >= 1, got ${version}`);
  return BigInt(version - 1);
}

export function expectedVersionToState(expected: ExpectedVersion): AppendStreamState {
  if (expected === 'any') return KURRENT_ANY;
  if (!Number.isSafeInteger(expected) || expected < 0) throw new RangeError(`expectedVersion must be a non-negative integer or 'any', got ${String(expected)}`);
  return expected === 0 ? KURRENT_NO_STREAM : BigInt(expected - 1);
}

/**
 * Our version for a stream state KurrentDB reports in a conflict. Deleted (-5) and tombstoned (-6)
 * streams count as empty: this product never deletes streams, so seeing one is an operator's doing.
 */
export function currentStateToVersion(state: CurrentStreamState): number {
  if (state === KURRENT_NO_STREAM) return 0;
  return state < 0n ? 0 : revisionToVersion(state);
}

// ── positions ───────────────────────────────────────────────────────────────────────────────────────

/** Our numeric position of a commit position; refuses values a JS number cannot hold exactly. */
export function commitToPosition(commit: bigint): number {
  if (commit < 0n) throw new RangeError(`a commit position cannot be negative, got ${commit}`);
  return toSafeNumber(commit, 'commit position');
}

/** Where a $all read or subscription starts for "everything after `after`" (the start is inclusive there; callers drop `after` itself). */
export function afterToReadPosition(after: number): ReadPosition {
  if (!Number.isSafeInteger(after) || after < 0) throw new RangeError(`a position is a non-negative integer, got ${after}`);
  if (after === 0) return KURRENT_START;
  const p = BigInt(after);
  return { commit: p, prepare: p };
}

function toSafeNumber(n: bigint, what: string): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${what} ${n} is beyond 2^53 - 1 and cannot be represented exactly as a number; this adapter refuses it rather than rounding`);
  }
  return Number(n);
}

// ── stream names ────────────────────────────────────────────────────────────────────────────────────

/**
 * Stream names live under an optional namespace prefix, so several deployments (or every contract test)
 * can share one KurrentDB without seeing each other's events. '' (the default) stores names unchanged.
 */
export class StreamNames {
  /** server-side stream-name regex for $all reads: this namespace, no markers, no system streams */
  readonly allFilterRegex: string;

  constructor(readonly namespace: string) {
    if (namespace.startsWith('$')) throw new RangeError('a KurrentDB namespace cannot start with "$" (reserved for system streams)');
    if (/\s/.test(namespace)) throw new RangeError('a KurrentDB namespace cannot contain whitespace');
    // .NET regex (the server's); lookahead is supported there and in JS, which the unit spec relies on
    this.allFilterRegex = `^${escapeRegex(namespace)}(?!\\$|${escapeRegex(EVENT_ID_MARKER_PREFIX)})`;
  }

  /** KurrentDB stream name of an application stream id; refuses ids that would be taken for system or marker streams. */
  data(streamId: string): string {
    if (streamId.startsWith('$')) throw new RangeError(`stream id ${streamId} starts with "$", reserved for KurrentDB system streams`);
    if (streamId.startsWith(EVENT_ID_MARKER_PREFIX)) throw new RangeError(`stream id ${streamId} starts with "${EVENT_ID_MARKER_PREFIX}", reserved for event-id markers`);
    return this.namespace + streamId;
  }

  marker(eventId: string): string {
    return `${this.namespace}${EVENT_ID_MARKER_PREFIX}${eventId}`;
  }

  /** The application stream id of a KurrentDB stream name, or undefined for anything that is not ours (other namespace, marker, system). */
  fromServer(streamName: string): string | undefined {
    if (!streamName.startsWith(this.namespace)) return undefined;
    const id = streamName.slice(this.namespace.length);
    if (id.startsWith('$') || id.startsWith(EVENT_ID_MARKER_PREFIX) || id === '') return undefined;
    return id;
  }
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`);
}

// ── events ──────────────────────────────────────────────────────────────────────────────────────────

/** What the adapter hands to jsonEvent(): data as-is, metadata as a flat string map. */
export interface EncodedEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, string>;
}

export function encodeEvent(e: NewEvent): EncodedEvent {
  if (e.type.startsWith('$')) throw new RangeError(`event type ${e.type} starts with "$", reserved for KurrentDB system events`);
  const metadata: Record<string, string> = {
    [META_SCHEMA_VERSION]: String(e.schemaVersion),
    [META_METADATA]: JSON.stringify(e.metadata),
  };
  if (e.confidential != null) metadata[META_CONFIDENTIAL] = JSON.stringify(e.confidential);
  return { id: e.eventId, type: e.type, data: e.data ?? null, metadata };
}

/** The fields of a KurrentDB recorded event the decoder needs (structurally a subset of the client's RecordedEvent). */
export interface RecordedLike {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  isJson: boolean;
  created: Date;
  position?: { commit: bigint; prepare: bigint };
}

export class ForeignEventError extends Error {
  constructor(streamName: string, revision: bigint, reason: string) {
    super(`event ${revision} of KurrentDB stream ${streamName} was not written by this product's adapter: ${reason}`);
    this.name = 'ForeignEventError';
  }
}

/**
 * Our StoredEvent from a recorded KurrentDB event. `streamId` is the application stream id (namespace
 * stripped by the caller). Throws ForeignEventError for an event lacking our metadata instead of
 * inventing defaults: a projection fed a made-up envelope is worse than a stopped one.
 */
export function decodeEvent(r: RecordedLike, streamId: string): StoredEvent {
  const meta = parseMaybeBytes(r.metadata);
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw new ForeignEventError(r.streamId, r.revision, 'no JSON metadata');
  const m = meta as Record<string, unknown>;
  const schemaVersion = Number(m[META_SCHEMA_VERSION]);
  if (typeof m[META_SCHEMA_VERSION] !== 'string' || !Number.isSafeInteger(schemaVersion)) {
    throw new ForeignEventError(r.streamId, r.revision, `missing ${META_SCHEMA_VERSION}`);
  }
  if (typeof m[META_METADATA] !== 'string') throw new ForeignEventError(r.streamId, r.revision, `missing ${META_METADATA}`);
  if (!r.position) throw new Error(`KurrentDB returned event ${r.revision} of ${r.streamId} without its log position; KurrentDB 22.6 or later is required`);
  const s: StoredEvent = {
    eventId: r.id,
    type: r.type,
    schemaVersion,
    data: r.isJson ? r.data : parseMaybeBytes(r.data),
    metadata: JSON.parse(m[META_METADATA]) as EventMetadata,
    streamId,
    streamVersion: revisionToVersion(r.revision),
    position: commitToPosition(r.position.commit),
    recordedAt: r.created.toISOString(),
  };
  if (typeof m[META_CONFIDENTIAL] === 'string') s.confidential = JSON.parse(m[META_CONFIDENTIAL]) as Record<string, unknown>;
  return s;
}

/** The client parses JSON it can; bytes reach us only when it could not (or the content type was binary). */
function parseMaybeBytes(v: unknown): unknown {
  if (v instanceof Uint8Array) {
    const text = Buffer.from(v).toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  return v;
}

/** The marker's data: which stream and version claimed the event id. */
export interface EventIdClaim {
  streamId: string;
  streamVersion: number;
}

export function decodeClaim(data: unknown): EventIdClaim {
  const d = parseMaybeBytes(data) as Partial<EventIdClaim> | null | undefined;
  if (!d || typeof d.streamId !== 'string' || !Number.isSafeInteger(d.streamVersion)) {
    throw new Error('malformed event-id marker (expected {streamId, streamVersion})');
  }
  return { streamId: d.streamId, streamVersion: d.streamVersion as number };
}
