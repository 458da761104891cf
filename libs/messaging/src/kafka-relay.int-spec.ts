import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type StoredEvent } from '@coord/event-store';
import { READ_MODEL_ENTITIES, READ_MODEL_MIGRATIONS } from '@coord/read-models';
import { openTestReadModels } from '@coord/read-models/testing/read-model-data-source';
import { DataSource } from 'typeorm';
import { IntegrationRelay } from './integration-relay';
import { KafkaPublisher } from './kafka-publisher';
import { appendLeadSteps, appendMixedHistory, INFORMANT } from './testing/relay-fixture';
import { collect, kafkaScript, testKafka, TEST_KAFKA_BROKERS, uniquePrefix, waitFor, type Received } from './testing/kafka-test-kit';

const PG_URL = process.env.COORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Per stream, the event ids in first-delivery order (duplicates of an id allowed later). */
function firstSeenByStream(received: Received[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of received) {
    const list = out.get(r.key!) ?? [];
    if (!list.includes(r.headers['event-id'])) list.push(r.headers['event-id']);
    out.set(r.key!, list);
  }
  return out;
}

function idsByStream(events: StoredEvent[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of events) {
    if (e.streamId.startsWith('account-')) continue;
    out.set(e.streamId, [...(out.get(e.streamId) ?? []), e.eventId]);
  }
  return out;
}

describe('IntegrationRelay → real Kafka broker', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'relay-kafka-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a mixed history, when the relay runs (checkpoint in PostgreSQL), then every published event arrives once per id, in stream order, keyed by stream, with its headers and no informant', async () => {
    const schema = `relay_test_${process.pid}_${Date.now()}`;
    const admin = await new DataSource({ type: 'postgres', url: PG_URL }).initialize();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    const pg = await new DataSource({ type: 'postgres', url: PG_URL, schema, entities: [...READ_MODEL_ENTITIES], migrations: [...READ_MODEL_MIGRATIONS], migrationsRun: true, logging: false }).initialize();
    const prefix = uniquePrefix('relay');
    const relay = new IntegrationRelay({ store, dataSource: pg, publisher: new KafkaPublisher({ brokers: TEST_KAFKA_BROKERS, clientId: 'relay-test', topicPrefix: prefix }), topicPrefix: prefix, batchSize: 5 });
    let sink: Awaited<ReturnType<typeof collect>> | undefined;
    try {
      await appendMixedHistory(store, 4);
      await appendLeadSteps(store, 6);
      // the publisher creates the topics at start: run first, then read them from the beginning
      await relay.runUntilCaughtUp();
      sink = await collect(testKafka(), [`${prefix}coord.leads.v1`, `${prefix}coord.cases.v1`]);
      const all = await store.readAll(0, 1000);
      const expected = idsByStream(all);
      const total = [...expected.values()].reduce((n, l) => n + l.length, 0);
      await sink.until((r) => new Set(r.map((m) => m.headers['event-id'])).size === total);

      expect(firstSeenByStream(sink.received)).toEqual(expected);
      const received = sink.received;
      const byId = new Map(all.map((e) => [e.eventId, e]));
      for (const m of received) {
        const e = byId.get(m.headers['event-id'])!;
        expect(m.key).toBe(e.streamId);
        expect(m.headers).toEqual({ 'event-id': e.eventId, 'event-type': e.type, 'schema-version': String(e.schemaVersion), 'correlation-id': e.metadata.correlationId });
        expect(m.topic).toBe(`${prefix}${e.streamId.startsWith('case-') ? 'coord.cases.v1' : 'coord.leads.v1'}`);
        expect(m.value).not.toContain(INFORMANT.name);
        expect(m.value).not.toContain(INFORMANT.contact);
        expect(JSON.parse(m.value!)).toMatchObject({ eventId: e.eventId, position: e.position, streamVersion: e.streamVersion });
      }
      // one stream, one partition: per-key order holds on the broker, not just in our grouping
      for (const key of expected.keys()) expect(new Set(received.filter((m) => m.key === key).map((m) => m.partition)).size).toBe(1);
      expect(await relay.checkpoint()).toBe(all[all.length - 1].position);
    } finally {
      await sink?.consumer.disconnect();
      await relay.close();
      await pg.destroy();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.destroy();
    }
  }, 60_000);

  it('given the broker is stopped while commands are appended, when it starts again, then the relay catches up with no gap', async () => {
    // a private broker on other ports: stopping it cannot disturb the other int-specs sharing the main one
    const env = { COORD_KAFKA_PORT: '19092', COORD_KAFKA_CONTROLLER_PORT: '19093' };
    const brokers = ['127.0.0.1:19092'];
    await kafkaScript('start', env);
    const ds = await openTestReadModels();
    const prefix = uniquePrefix('outage');
    const relay = new IntegrationRelay({
      store,
      dataSource: ds,
      publisher: new KafkaPublisher({ brokers, clientId: 'relay-outage-test', topicPrefix: prefix }),
      topicPrefix: prefix,
      batchSize: 10,
      pollIntervalMs: 100,
      maxBackoffMs: 1000,
    });
    try {
      relay.start();
      const before = await appendLeadSteps(store, 3);
      await waitFor(async () => (await relay.checkpoint()) === (await store.headPosition()), 20_000, 'relay before the outage');

      await kafkaScript('stop', env);
      // commands keep succeeding while the broker is down: the relay is decoupled from appends
      const during = [await appendLeadSteps(store, 4), await appendLeadSteps(store, 2)];
      await appendMixedHistory(store, 2);
      await waitFor(() => relay.lastError !== undefined, 20_000, 'the relay to notice the outage');
      const stuck = await relay.checkpoint();
      expect(stuck).toBeLessThan(await store.headPosition());

      await kafkaScript('start', env);
      await waitFor(async () => (await relay.checkpoint()) === (await store.headPosition()), 40_000, 'relay catch-up after the outage');

      const sink = await collect(testKafka(brokers), [`${prefix}coord.leads.v1`, `${prefix}coord.cases.v1`]);
      const all = await store.readAll(0, 1000);
      const expected = idsByStream(all);
      const total = [...expected.values()].reduce((n, l) => n + l.length, 0);
      try {
        await sink.until((r) => new Set(r.map((m) => m.headers['event-id'])).size === total);
        expect(firstSeenByStream(sink.received)).toEqual(expected);
        // duplicates (at-least-once) only ever repeat an id that was delivered
        for (const m of sink.received) expect(all.some((e) => e.eventId === m.headers['event-id'])).toBe(true);
        expect(expected.has(before) && during.every((s) => expected.has(s))).toBe(true);
      } finally {
        await sink.consumer.disconnect();
      }
    } finally {
      await relay.close();
      await ds.destroy();
      await kafkaScript('reset', env); // stop and drop its data: no test topics pile up across runs
    }
  }, 90_000);
});
