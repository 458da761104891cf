import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { DataSource } from 'typeorm';
import { ALL_PROJECTIONS, ProjectionRunner } from '@coord/read-models';
import { PostgresEventStore } from '@coord/event-store';
import { seedHistory } from '../../libs/read-models/src/testing/history.fixture';
import { newEvent } from '../../libs/read-models/src/testing/event-feed';
import {
  type Child,
  dumpProjections,
  ENTRY,
  eventually,
  freePort,
  getJson,
  minCheckpoint,
  openPgReadModels,
  PG_URL,
  PgSchemas,
  projectorEnv,
  rebuiltFromZero,
  spawnChild,
} from './support/processes';
import { expectEveryEventDelivered, metricValue, outboundSink, relayCheckpoint, type OutboundSink } from './support/kafka-delivery';

// bounds, not timing assertions: child processes compile and start slowly on a loaded 2-core machine
jest.setTimeout(240_000);

/**
 * Real projector processes (node, the TypeScript sources) against a PostgreSQL event store and PostgreSQL
 * read models in fresh schemas, with a realistic history of thousands of events (half the leads with an
 * informant in the confidential part), relaying to the real Kafka broker under a topic prefix of their
 * own, where a plain consumer plays the member agencies' systems. Nothing is mocked.
 */
describe('projector processes on PostgreSQL, relaying to Kafka', () => {
  const schemas = new PgSchemas();
  const children: Child[] = [];
  const sinks: OutboundSink[] = [];
  const stores: PostgresEventStore[] = [];
  let dataDir: string;
  let db: DataSource;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'coord-dist-'));
    db = await new DataSource({ type: 'postgres', url: PG_URL }).initialize();
  });
  afterAll(async () => {
    for (const c of children) await c.kill('SIGKILL');
    for (const s of sinks) await s.close();
    for (const s of stores) await s.close().catch(() => undefined); // a failed test left it open
    await db.destroy();
    await schemas.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function seeded(): Promise<{ store: PostgresEventStore; eventsSchema: string; readSchema: string; head: number }> {
    const eventsSchema = schemas.name('dist_ev');
    const readSchema = schemas.name('dist_rm');
    const store = await PostgresEventStore.connect({ connectionString: PG_URL, schema: eventsSchema });
    stores.push(store);
    const head = await seedHistory(store, 400);
    await openPgReadModels(readSchema).then((ds) => ds.destroy()); // migrated, empty
    return { store, eventsSchema, readSchema, head };
  }

  const moreLeads = async (store: PostgresEventStore, prefix: string, n: number): Promise<number> => {
    let last = 0;
    for (let i = 0; i < n; i++) {
      const leadId = `${prefix}${i}`;
      const data = { leadId, ledgerNo: `LC-2027-${prefix}${i}`, source: 'petition', reportingAgency: 'court', subject: { name: `新干部${i}`, post: '科员', unit: '县某局' }, allegation: '新问题', receivedOn: '2027-01-05', important: false, hasInformant: false } as const;
      last = (await store.append(`lead-${leadId}`, [newEvent('lead.registered', data)], 0)).lastPosition;
    }
    return last;
  };

  const sink = async (label: string): Promise<OutboundSink> => {
    const s = await outboundSink(label);
    sinks.push(s);
    return s;
  };

  it('given a projector SIGKILLed mid-batch three times, when a new one finishes, then the read models equal a rebuild from zero and every integration event reached Kafka', async () => {
    const [{ store, eventsSchema, readSchema, head }, agencies] = await Promise.all([seeded(), sink('kill')]);
    expect(head).toBeGreaterThan(2500);
    const env = projectorEnv({ eventsSchema, readSchema, port: await freePort(), dataDir, COORD_PROJECTION_BATCH_SIZE: 40, COORD_PROJECTION_POLL_MS: 50, ...agencies.env });
    let reached = 0;
    let relayed = 0;
    let target = head;
    const relayWorkLeftAtKill: boolean[] = [];
    for (let round = 1; round <= 3; round++) {
      const p = spawnChild(`projector-${round}`, ENTRY.projector, env);
      children.push(p);
      // let it commit a few more batches past where the previous one died, then kill it without warning
      const goal = reached + Math.floor(head / 6);
      reached = await eventually(`checkpoint > ${goal}`, async () => {
        const cp = await minCheckpoint(db, readSchema);
        return cp > goal ? cp : undefined;
      }, 90_000, [p], 20);
      // and its relay has had at least one batch acknowledged by the broker (so each of the three processes
      // dies while relaying too, not while still connecting)
      await eventually(`relay checkpoint > ${relayed}`, async () => ((await relayCheckpoint(db, readSchema)) > relayed ? true : undefined), 90_000, [p], 20);
      // writers keep appending meanwhile
      target = await moreLeads(store, `K${round}-`, 30);
      await p.kill('SIGKILL');
      const after = await minCheckpoint(db, readSchema);
      expect(after).toBeLessThan(target); // it died with work left: the kill landed in the middle of the run
      relayed = await relayCheckpoint(db, readSchema);
      relayWorkLeftAtKill.push(relayed < target);
    }
    const last = spawnChild('projector-final', ENTRY.projector, env);
    children.push(last);
    await eventually('caught up', async () => ((await minCheckpoint(db, readSchema)) >= target ? true : undefined), 90_000, [last]);
    // at-least-once across three unannounced deaths: everything in the log reached the broker, duplicates
    // only as exact repeats of a delivered event id, first deliveries in stream order, no informant
    expect(relayWorkLeftAtKill).toContain(true); // the relay batches are 500 events: at least one kill cut a relay run short
    await expectEveryEventDelivered(store, agencies, [last]);
    expect(await relayCheckpoint(db, readSchema)).toBeGreaterThanOrEqual(target);
    expect(await last.kill('SIGTERM')).toBe(0);

    const live = await openPgReadModels(readSchema);
    // anything the process itself appended (the deadline scheduler) after its last batch: apply it here, so
    // the comparison is against the same head; a lost or doubled event before that stays visible
    await new ProjectionRunner({ store, dataSource: live, projections: ALL_PROJECTIONS }).runUntilCaughtUp();
    const actual = await dumpProjections(live);
    await live.destroy();
    const expected = await rebuiltFromZero(store, schemas.name('dist_ref'));
    expect(actual.lead_register).toHaveLength(400 + 90);
    expect(actual).toEqual(expected);
    await store.close();
  });

  it('given two projectors at once, then only one applies and relays, the tables equal a rebuild, and the standby takes over (projections and relay) when the active one is SIGKILLed', async () => {
    const [{ store, eventsSchema, readSchema, head }, agencies] = await Promise.all([seeded(), sink('takeover')]);
    const ports = [await freePort(), await freePort()];
    const ps = ports.map((port, i) => spawnChild(`projector-${i === 0 ? 'a' : 'b'}`, ENTRY.projector, projectorEnv({ eventsSchema, readSchema, port, dataDir, COORD_PROJECTION_BATCH_SIZE: 200, COORD_PROJECTION_POLL_MS: 50, ...agencies.env })));
    children.push(...ps);
    const runnerOf = async (port: number) => ((await getJson(`http://127.0.0.1:${port}/health/live`)).body as { runner: { active: boolean } }).runner.active;
    const applied = async (port: number): Promise<number> => {
      const text = (await getJson(`http://127.0.0.1:${port}/metrics`)).body as string;
      return [...text.matchAll(/^coord_projection_applied_events_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    };
    await eventually('both up', async () => ((await Promise.all(ports.map(runnerOf))).length === 2 ? true : undefined), 30_000, ps);
    const caughtUp = async () => ((await minCheckpoint(db, readSchema)) === (await store.headPosition()) ? true : undefined);
    await eventually('caught up', async () => ((await minCheckpoint(db, readSchema)) >= head ? caughtUp() : undefined), 30_000, ps);
    const identicalToRebuild = async (live: DataSource) => {
      const ok = await eventually('identical to a rebuild', async () => {
        if (!(await caughtUp())) return undefined;
        return isDeepStrictEqual(await dumpProjections(live), await rebuiltFromZero(store, schemas.name('dist_ref'))) ? true : undefined;
      }, 15_000, ps, 250).catch(() => false);
      if (!ok) expect(await dumpProjections(live)).toEqual(await rebuiltFromZero(store, schemas.name('dist_ref')));
    };

    const active = await Promise.all(ports.map(runnerOf));
    expect(active.filter(Boolean)).toHaveLength(1);
    const a = active.indexOf(true);
    const b = 1 - a;
    expect(await applied(ports[a])).toBeGreaterThan(0);
    expect(await applied(ports[b])).toBe(0); // the standby never applied a single event
    const live = await openPgReadModels(readSchema);
    await identicalToRebuild(live);
    // only the lease holder relays: everything so far arrived exactly once (a standby relaying too would
    // have sent every batch a second time), and the standby's own counter never moved
    const beforeTakeover = await expectEveryEventDelivered(store, agencies, ps);
    expect(beforeTakeover.duplicates).toBe(0);
    expect(await metricValue(ports[b], 'coord_relay_published_messages')).toBe(0);
    expect(await metricValue(ports[a], 'coord_relay_published_messages')).toBeGreaterThanOrEqual(beforeTakeover.events);

    await ps[a].kill('SIGKILL');
    const target = await moreLeads(store, 'T', 50);
    await eventually('standby took over', async () => ((await runnerOf(ports[b])) ? true : undefined), 15_000, ps);
    await eventually('caught up after takeover', async () => ((await minCheckpoint(db, readSchema)) >= target ? true : undefined), 15_000, ps);
    expect(await applied(ports[b])).toBeGreaterThanOrEqual(50);
    await identicalToRebuild(live);
    // the new holder resumed the relay from the shared checkpoint: the 50 new leads (and nothing lost)
    const afterTakeover = await expectEveryEventDelivered(store, agencies, [ps[b]]);
    expect(afterTakeover.events).toBeGreaterThanOrEqual(beforeTakeover.events + 50);
    expect(await metricValue(ports[b], 'coord_relay_published_messages')).toBeGreaterThanOrEqual(50);
    await live.destroy();
    expect(await ps[b].kill('SIGTERM')).toBe(0);
    await store.close();
  });
});
