import type { StoredEvent } from './event-envelope';

/**
 * Schema evolution without rewriting history: stored events keep the shape they were written with, and
 * readers lift them to the current shape on the way out. A change to an event's data shape bumps its
 * version in EVENT_SCHEMA_VERSIONS (libs/domain) and adds one step here; old steps are never edited.
 */
export type Upcaster = (e: StoredEvent) => StoredEvent;

/** One step: lifts `data` written at schema version n to version n + 1. */
export type UpcastStep = (data: unknown) => unknown;

/** `{ [eventType]: { [fromVersion]: step } }` — e.g. `{ 'lead.registered': { 1: v1ToV2, 2: v2ToV3 } }`. */
export type UpcasterRegistry = Readonly<Record<string, Readonly<Record<number, UpcastStep>>>>;

/**
 * Builds an Upcaster that applies the registered steps one version at a time until the event reaches
 * its type's current version (the highest registered `fromVersion` + 1). Events of unregistered types,
 * or already current, are returned unchanged (same object: no copying on the hot read path).
 *
 * A gap in the chain (a step from 1 and one from 3, none from 2) is a programming error and throws on
 * creation, not on the first old event met in production.
 */
export function createUpcaster(registry: UpcasterRegistry): Upcaster {
  const targets = new Map<string, number>();
  for (const [type, steps] of Object.entries(registry)) {
    const froms = Object.keys(steps).map(Number).sort((a, b) => a - b);
    if (froms.length === 0) continue;
    for (let i = 1; i < froms.length; i++) {
      if (froms[i] !== (froms[i - 1] as number) + 1) {
        throw new Error(`upcaster chain for ${type} has a gap after version ${String(froms[i - 1])}`);
      }
    }
    targets.set(type, (froms[froms.length - 1] as number) + 1);
  }
  return (e) => {
    const target = targets.get(e.type);
    if (target === undefined || e.schemaVersion >= target) return e;
    const steps = registry[e.type] as Readonly<Record<number, UpcastStep>>;
    let data = e.data;
    for (let v = e.schemaVersion; v < target; v++) {
      const step = steps[v];
      if (!step) throw new Error(`no upcaster for ${e.type} from schema version ${v} (event ${e.eventId})`);
      data = step(data);
    }
    return { ...e, data, schemaVersion: target };
  };
}

/** Applies several upcasters in order (e.g. a shared registry plus a test's own). */
export const composeUpcasters =
  (...upcasters: Upcaster[]): Upcaster =>
  (e) =>
    upcasters.reduce((acc, u) => u(acc), e);
