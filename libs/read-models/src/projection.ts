import type { CoordinationEvent, CoordinationEventType } from '@coord/domain';
import type { ActorRef, StoredEvent } from '@coord/event-store';

/**
 * What a projection sees of an event. Deliberately WITHOUT `confidential`: the informant's identity (and
 * any other confidential payload) must be structurally unable to reach a read model, so the only way to
 * build one is `toProjectedEvent`, which copies the public fields one by one and never spreads.
 */
export interface ProjectedEvent<D = unknown> {
  readonly type: string;
  readonly data: D;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly position: number;
  /** business time (ISO instant) */
  readonly occurredAt: string;
  /** system time the store committed it (ISO instant) */
  readonly recordedAt: string;
  readonly actor: ActorRef;
}

export function toProjectedEvent(e: StoredEvent): ProjectedEvent {
  return {
    type: e.type,
    data: e.data,
    streamId: e.streamId,
    streamVersion: e.streamVersion,
    position: e.position,
    occurredAt: e.metadata.occurredAt,
    recordedAt: e.recordedAt,
    actor: e.metadata.actor,
  };
}

export type EventDataOf<T extends CoordinationEventType> = Extract<CoordinationEvent, { type: T }>['data'];

/** The catalogue's events as a discriminated union, so `switch (e.type)` narrows `e.data`. */
export type KnownProjectedEvent = {
  [T in CoordinationEventType]: ProjectedEvent<EventDataOf<T>> & { readonly type: T };
}[CoordinationEventType];

/**
 * Narrow an event whose type the projection declared in `handles`. The runner only passes handled types,
 * and the store only holds catalogue types (after upcasting), so this is a view, not a conversion.
 */
export const known = (e: ProjectedEvent): KnownProjectedEvent => e as KnownProjectedEvent;

/** Per key: the new row, or null to delete it. Keys absent from the map are unchanged. */
export type RowChanges<Row> = ReadonlyMap<string, Row | null>;

/**
 * A row projection: a pure function of (the rows an event touches, the event).
 *
 * Why `apply` takes all the event's rows at once instead of one (row, event, key): some events must read
 * one row to write another — e.g. a transfer opens a "transfer-acknowledgement" obligation whose ledger
 * number lives on the lead's row, or a progress report archives the running "case-progress" clock under a
 * new key and restarts it. Every key is still declared up front by `keys(event)` (so the runner can load
 * them in one `IN` query per batch), and `apply` stays pure: same rows + same event → same changes.
 * `perKey` adapts the simpler one-row form.
 *
 * Rows are plain objects shaped like the TypeORM entity; every column property must be present (null,
 * never undefined) so that a rebuild writes byte-identical tables. `apply` must not mutate its inputs.
 */
export interface RowProjection<Row extends object = object> {
  /** stable name: the checkpoint key */
  readonly name: string;
  /** the TypeORM entity class (its metadata gives the table and column names) */
  readonly entity: new () => Row;
  /** the entity's single-column primary key property (checked against the metadata); keys() returns its values */
  readonly primaryKey: string;
  readonly handles: readonly CoordinationEventType[];
  keys(event: ProjectedEvent): readonly string[];
  apply(rows: ReadonlyMap<string, Row>, event: ProjectedEvent): RowChanges<Row> | undefined;
}

/** Adapter for projections whose every key is updated independently of the others. */
export function perKey<Row>(
  keysOf: (event: ProjectedEvent) => readonly string[],
  fn: (row: Row | undefined, event: ProjectedEvent, key: string) => Row | null | undefined,
): (rows: ReadonlyMap<string, Row>, event: ProjectedEvent) => RowChanges<Row> | undefined {
  return (rows, event) => {
    let changes: Map<string, Row | null> | undefined;
    for (const key of keysOf(event)) {
      const next = fn(rows.get(key), event, key);
      if (next !== undefined) (changes ??= new Map()).set(key, next);
    }
    return changes;
  };
}

/**
 * Apply events to a row cache in order and record what changed. Shared by the runner (batch in memory,
 * then one transaction) and by specs / in-memory replays, so both run exactly the same code.
 * `cache` holds the current rows (missing = no row); `dirty` collects the final state of every changed key.
 * `scratch`: a map to reuse for the rows handed to `apply` (cleared first) — a replay of millions of events
 * then allocates no map per event; `apply` never keeps its input, so reusing it is safe.
 */
export function applyToCache<Row extends object>(
  projection: RowProjection<Row>,
  cache: Map<string, Row>,
  event: ProjectedEvent,
  keys: readonly string[],
  dirty: Map<string, Row | null>,
  scratch?: Map<string, Row>,
): void {
  const rows = scratch ?? new Map<string, Row>();
  rows.clear();
  for (const key of keys) {
    const row = cache.get(key);
    if (row !== undefined) rows.set(key, row);
  }
  const changes = projection.apply(rows, event);
  if (!changes) return;
  for (const [key, next] of changes) {
    if (!keys.includes(key)) {
      // Writing an undeclared key would make the result depend on whether the row happened to be cached.
      throw new Error(`projection ${projection.name} wrote key ${key} not declared by keys() for ${event.type}`);
    }
    if (next === null) cache.delete(key);
    else cache.set(key, next);
    dirty.set(key, next);
  }
}

/** Replay events from nothing in memory; rows sorted by primary key. For specs and diagnostics. */
export function projectInMemory<Row extends object>(projection: RowProjection<Row>, events: readonly ProjectedEvent[]): Row[] {
  const cache = new Map<string, Row>();
  const handled = new Set<string>(projection.handles);
  const dirty = new Map<string, Row | null>();
  for (const e of events) if (handled.has(e.type)) applyToCache(projection, cache, e, projection.keys(e), dirty);
  return [...cache.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}
