import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ALL_PROJECTIONS, ProjectionRunner } from '@coord/read-models';
import { PostgresEventStore } from '@coord/event-store';
import { seedHistory } from '../../libs/read-models/src/testing/history.fixture';
import { newEvent } from '../../libs/read-models/src/testing/event-feed';
import { kafkaScript } from '../../libs/messaging/src/testing/kafka-test-kit';
import { type Child, dumpProjections, ENTRY, eventually, freePort, getJson, minCheckpoint, openPgReadModels, PG_URL, PgSchemas, projectorEnv, rebuiltFromZero, spawnChild } from './support/processes';
import { expectEveryEventDelivered, metricValue, outboundSink, relayCheckpoint, type OutboundSink } from './support/kafka-delivery';

jest.setTimeout(90_000);

/**
 * A private broker on other ports (scripts/kafka.sh with COORD_KAFKA_PORT): stopping it cannot disturb the
 * other int-specs sharing the main one. Not 19092 either — the relay outage spec
 * (libs/messaging/src/kafka-relay.int-spec.ts) owns that one and may run in a parallel jest worker.
 */
const PRIVATE_BROKER = { COORD_KAFKA_PORT: '19192', COORD_KAFKA_CONTROLLER_PORT: '19193' };
const BROKERS = [`127.0.0.1:${PRIVATE_BROKER.COORD_KAFKA_PORT}`];

interface Ready {
  status: 'ok' | 'error';
  checks: Record<string, { status: 'up' | 'down'; details: Record<string, unknown> }>;
}

/**
 * A real projector process (PostgreSQL store and read models) relaying to a real broker that is stopped
 * for a while and started again: the operator's view (/health/ready, /metrics) and the agencies' view
 * (every integration event delivered, in stream order, duplicates only as exact repeats). Nothing is mocked.
 */
describe('a projector process while its Kafka broker is stopped for a while', () => {
  const schemas = new PgSchemas();
  const children: Child[] = [];
  const sinks: OutboundSink[] = [];
  let dataDir: string;
  let db: DataSource;
  let store: PostgresEventStore | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'coord-outage-'));
    db = await new DataSource({ type: 'postgres', url: PG_URL }).initialize();
    await kafkaScript('start', PRIVATE_BROKER);
  });
  afterAll(async () => {
    for (const c of children) await c.kill('SIGKILL');
    for (const s of sinks) await s.stop().catch(() => undefined);
    await store?.close();
    await db.destroy();
    await schemas.drop();
    rmSync(dataDir, { recursive: true, force: true });
    await kafkaScript('reset', PRIVATE_BROKER); // stop it and drop its data: no test topics pile up
  });

  const moreLeads = async (s: PostgresEventStore, prefix: string, n: number): Promise<number> => {
    let last = 0;
    for (let i = 0; i < n; i++) {
      const leadId = `${prefix}${i}`;
      const data = { leadId, ledgerNo: `LC-2027-${prefix}${i}`, source: 'petition', reportingAgency: 'court', subject: { name: `新干部${i}`, post: '科员', unit: '县某局' }, allegation: '新问题', receivedOn: '2027-01-05', important: false, hasInformant: true } as const;
      last = (await s.append(`lead-${leadId}`, [newEvent('lead.registered', data, { informant: { name: `停机期间举报人${i}`, contact: '13911112222' } })], 0)).lastPosition;
    }
    return last;
  };

  it('given the broker stopped, then appends and projections go on while /health/ready reports kafka down, and once it is back the relay catches up with no gap and the read models equal a rebuild', async () => {
    const eventsSchema = schemas.name('outage_ev');
    const readSchema = schemas.name('outage_rm');
    store = await PostgresEventStore.connect({ connectionString: PG_URL, schema: eventsSchema });
    const head = await seedHistory(store, 120);
    await openPgReadModels(readSchema).then((ds) => ds.destroy());
    const agencies = await outboundSink('outage', BROKERS);
    sinks.push(agencies);
    const port = await freePort();
    const p = spawnChild('projector', ENTRY.projector, projectorEnv({ eventsSchema, readSchema, port, dataDir, COORD_PROJECTION_BATCH_SIZE: 200, COORD_PROJECTION_POLL_MS: 50, ...agencies.env }));
    children.push(p);
    const ready = async () => {
      const { status, body } = await getJson(`http://127.0.0.1:${port}/health/ready`);
      return { status, body: body as Ready };
    };

    const up = await eventually('ready, kafka up, relay caught up', async () => {
      const r = await ready();
      return r.status === 200 && r.body.checks.kafka?.status === 'up' && (await relayCheckpoint(db, readSchema)) >= head ? r.body : undefined;
    }, 30_000, [p]);
    expect(up.checks.kafka.details).toMatchObject({ publisher: 'kafka' });
    const before = await expectEveryEventDelivered(store, agencies, [p]);
    await agencies.stop(); // this consumer would only retry against the stopped broker; a new one reads it all later

    await kafkaScript('stop', PRIVATE_BROKER);
    // writers are not coupled to the broker (no dual writes): appends succeed while it is down. (They also
    // give the relay something to send: an IDLE relay does not notice a stopped broker — its readiness is
    // "the last batch was acknowledged", and kafkajs finds out only on a send — so "kafka down" is only
    // reported once there is work; see the report on issue 3.)
    const during = await moreLeads(store, 'O', 40);
    const down = await eventually('kafka reported down', async () => {
      const r = await ready();
      return r.status === 503 && r.body.checks.kafka?.status === 'down' ? r.body : undefined;
    }, 30_000, [p], 200);
    expect(down.checks.eventStore.status).toBe('up');
    expect(down.checks.readModels.status).toBe('up');
    expect(String(down.checks.kafka.details.message)).toMatch(/^relay retrying/);
    expect(await metricValue(port, 'coord_relay_healthy')).toBe(0);
    // the projections do not wait for the broker either
    await eventually('projections caught up during the outage', async () => ((await minCheckpoint(db, readSchema)) >= during ? true : undefined), 30_000, [p]);
    const stuck = await relayCheckpoint(db, readSchema);
    expect(stuck).toBeLessThan(during);
    expect(stuck).toBeGreaterThanOrEqual(head);

    await kafkaScript('start', PRIVATE_BROKER);
    await eventually('ready again and relayed past the outage', async () => {
      const r = await ready();
      return r.status === 200 && r.body.checks.kafka?.status === 'up' && (await relayCheckpoint(db, readSchema)) >= during ? true : undefined;
    }, 45_000, [p], 200);
    expect(await metricValue(port, 'coord_relay_healthy')).toBe(1);
    // the agencies' view: a new consumer group reads the topics from the beginning
    const after = await outboundSink('outage-after', BROKERS, agencies.prefix);
    sinks.push(after);
    const stats = await expectEveryEventDelivered(store, after, [p]);
    expect(stats.events).toBeGreaterThanOrEqual(before.events + 40);
    expect(await p.kill('SIGTERM')).toBe(0);

    // anything the deadline scheduler appended after the last batch: applied here, as in projector-processes
    const live = await openPgReadModels(readSchema);
    await new ProjectionRunner({ store, dataSource: live, projections: ALL_PROJECTIONS }).runUntilCaughtUp();
    const actual = await dumpProjections(live);
    await live.destroy();
    expect(actual).toEqual(await rebuiltFromZero(store, schemas.name('outage_ref')));
  });
});
