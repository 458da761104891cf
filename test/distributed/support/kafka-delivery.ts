import { isDeepStrictEqual } from 'node:util';
import { streamCategory } from '@coord/domain';
import type { EventStore, StoredEvent } from '@coord/event-store';
import { ensureTopics, OUTBOUND_TOPICS, TOPIC_BY_CATEGORY } from '@coord/messaging';
import type { DataSource } from 'typeorm';
import { collect, testKafka, TEST_KAFKA_BROKERS, uniquePrefix, type Received } from '../../../libs/messaging/src/testing/kafka-test-kit';
import { type Child, eventually, getJson } from './processes';

/**
 * The agencies' side of the integration contract, for the real-process tests: a plain kafkajs consumer
 * (its own group, from the beginning) on the outbound topics under a topic prefix no other run shares,
 * collecting everything the child projectors' relays deliver while they are killed and replaced.
 */
export interface OutboundSink {
  prefix: string;
  /** what the child processes need to relay to this broker under this prefix */
  env: Record<string, string>;
  /** every message received so far, in arrival order (per partition: offset order) */
  received: Received[];
  /** disconnect the consumer only (the topics stay, e.g. for a new sink on the same prefix) */
  stop(): Promise<void>;
  /** disconnect the consumer and delete the prefixed topics (the shared broker keeps no test topics) */
  close(): Promise<void>;
}

/** A new consumer group on `prefix` (default: a fresh one), reading its outbound topics from the beginning. */
export async function outboundSink(label: string, brokers: string[] = TEST_KAFKA_BROKERS, prefix = uniquePrefix(label)): Promise<OutboundSink> {
  const kafka = testKafka(brokers);
  const topics = OUTBOUND_TOPICS.map((t) => `${prefix}${t}`);
  // created up front exactly as the relay's publisher would (broker defaults), so the consumer can
  // subscribe before the first projector starts: the broker has topic auto-creation off
  await ensureTopics(kafka, topics);
  const { received, consumer } = await collect(kafka, topics);
  return {
    prefix,
    env: { COORD_KAFKA_BROKERS: brokers.join(','), COORD_KAFKA_TOPIC_PREFIX: prefix, COORD_KAFKA_CLIENT_ID: `dist-${label}` },
    received,
    stop: () => consumer.disconnect(),
    async close() {
      await consumer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.deleteTopics({ topics });
      } finally {
        await admin.disconnect();
      }
    },
  };
}

/** The relay's checkpoint row in a read-model schema (0 before its first batch). */
export async function relayCheckpoint(db: DataSource, readSchema: string): Promise<number> {
  const rows = (await db.query(`SELECT "position" FROM "${readSchema}"."relay_checkpoints" WHERE "name" = 'integration-relay'`)) as { position: string }[];
  return rows.length ? Number(rows[0].position) : 0;
}

/** The sum of a Prometheus metric's samples on a projector's /metrics; undefined when it is not exported. */
export async function metricValue(port: number, name: string): Promise<number | undefined> {
  const text = (await getJson(`http://127.0.0.1:${port}/metrics`)).body as string;
  const samples = [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))];
  return samples.length ? samples.reduce((n, m) => n + Number(m[1]), 0) : undefined;
}

const isPublished = (e: StoredEvent): boolean => TOPIC_BY_CATEGORY[streamCategory(e.streamId)] !== undefined;

async function readLog(store: EventStore): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (;;) {
    const page = await store.readAll(all.length ? all[all.length - 1].position : 0, 2000);
    if (page.length === 0) return all;
    all.push(...page);
  }
}

/** Every string inside an event's confidential part (the informant's name, contact…). */
function confidentialStrings(e: StoredEvent): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(e.confidential);
  return out;
}

export interface DeliveryStats {
  events: number;
  messages: number;
  duplicates: number;
}

/**
 * Waits until every published event in the log (re-read on each poll, so appends by the children's
 * deadline schedulers count too) has been delivered at least once, then checks the at-least-once
 * contract on a snapshot of what arrived:
 *  - each message names (event-id header) an event of the log of a published category, with its stream
 *    as key, the category's prefixed topic, its type / schema version / correlation id headers and a
 *    payload that is that event (data included) — and nothing from the confidential part;
 *  - a duplicate carries the same event id with the very same key, headers and payload;
 *  - per key, one partition, and the FIRST deliveries come in stream order with no gap (1, 2, 3…). A
 *    re-sent batch may repeat earlier versions after later ones (the relay died after the broker acked but
 *    before its checkpoint moved), so "never decreasing" would be wrong for at-least-once: a repeat must
 *    instead be of an id already delivered on that key.
 */
export async function expectEveryEventDelivered(store: EventStore, sink: OutboundSink, children: Child[] = [], timeoutMs = 30_000): Promise<DeliveryStats> {
  const { snapshot, published } = await eventually(
    'every published event delivered',
    async () => {
      const snapshot = sink.received.slice(); // before reading the log: whatever it holds was appended earlier
      const published = (await readLog(store)).filter(isPublished);
      const seen = new Set(snapshot.map((m) => m.headers['event-id']));
      return published.every((e) => seen.has(e.eventId)) ? { snapshot, published } : undefined;
    },
    timeoutMs,
    children,
    200,
  ).catch(async (e: Error) => {
    const published = (await readLog(store)).filter(isPublished);
    const seen = new Set(sink.received.map((m) => m.headers['event-id']));
    const missing = published.filter((ev) => !seen.has(ev.eventId));
    throw new Error(`${missing.length} of ${published.length} published events never delivered (first: ${missing.slice(0, 3).map((ev) => `${ev.position} ${ev.streamId}#${ev.streamVersion}`).join(', ')})\n${e.message}`);
  });

  const byId = new Map(published.map((e) => [e.eventId, e]));
  const secrets = [...new Set(published.flatMap(confidentialStrings))];
  const first = new Map<string, Received>();
  const perKey = new Map<string, { partition: number; versions: number[]; ids: Set<string> }>();
  for (const m of snapshot) {
    const id = m.headers['event-id'];
    const e = byId.get(id);
    if (!e) throw new Error(`message ${m.topic}/${m.partition}@${m.offset} names no published event of the log (event-id ${id})`);
    expect({ topic: m.topic, key: m.key, headers: m.headers }).toEqual({
      topic: `${sink.prefix}${TOPIC_BY_CATEGORY[streamCategory(e.streamId)]}`,
      key: e.streamId,
      headers: { 'event-id': e.eventId, 'event-type': e.type, 'schema-version': String(e.schemaVersion), 'correlation-id': e.metadata.correlationId },
    });
    const payload = JSON.parse(m.value!) as Record<string, unknown>;
    expect(payload).toMatchObject({ eventId: e.eventId, type: e.type, streamId: e.streamId, streamVersion: e.streamVersion, position: e.position });
    expect(isDeepStrictEqual(payload.data, JSON.parse(JSON.stringify(e.data)))).toBe(true);
    expect(m.value).not.toMatch(/"(confidential|informant)"/);
    for (const s of secrets) if (m.value!.includes(s)) throw new Error(`message for ${e.streamId}#${e.streamVersion} contains confidential text`);

    const earlier = first.get(id);
    if (earlier) {
      // a duplicate: the same message again, never a different one under the same id
      expect({ topic: m.topic, key: m.key, headers: m.headers, value: m.value }).toEqual({ topic: earlier.topic, key: earlier.key, headers: earlier.headers, value: earlier.value });
    } else first.set(id, m);

    const k = perKey.get(e.streamId) ?? { partition: m.partition, versions: [], ids: new Set<string>() };
    perKey.set(e.streamId, k);
    expect(m.partition).toBe(k.partition);
    if (k.ids.has(id)) continue; // a repeat of what this key already delivered
    expect(e.streamVersion).toBe(k.versions.length + 1); // next in stream order, no gap
    k.versions.push(e.streamVersion);
    k.ids.add(id);
  }
  // sanity: the history did put informants into the confidential part of published events
  expect(secrets.length).toBeGreaterThan(0);
  return { events: published.length, messages: snapshot.length, duplicates: snapshot.length - first.size };
}
