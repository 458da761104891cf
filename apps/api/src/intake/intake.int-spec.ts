import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { collect, testKafka, TEST_KAFKA_BROKERS, uniquePrefix, waitFor } from '@coord/messaging/testing/kafka-test-kit';
import { leadBody, startTestApp, type TestApp } from '../../../../test/support/test-app';
import { IntakeConsumer, type IntakeOutcome } from './intake.consumer';
import { REDACTED } from './intake-message';

/**
 * The intake consumer inside the real api (embedded profile, SQLite) against the real broker: messages
 * go in on the intake topic, leads come out in the event store, bad messages land in the dead-letter topic.
 * All test messages go to partition 0, so their order is the order sent.
 */
describe('Kafka intake (real broker, real api)', () => {
  const prefix = uniquePrefix('intake');
  const intakeTopic = `${prefix}coord.intake.v1`;
  const dlqTopic = `${prefix}coord.intake.dlq.v1`;
  let t: TestApp;
  let store: EventStore;
  let consumer: IntakeConsumer;
  let producer: Producer;
  let dlq: Awaited<ReturnType<typeof collect>>;
  const outcomes: IntakeOutcome[] = [];

  beforeAll(async () => {
    t = await startTestApp(undefined, { COORD_KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), COORD_KAFKA_TOPIC_PREFIX: prefix, COORD_KAFKA_CLIENT_ID: 'intake-test' });
    store = t.app.get(EVENT_STORE);
    consumer = t.app.get(IntakeConsumer);
    consumer.outcomes.add((o) => outcomes.push(o));
    await consumer.ready;
    producer = testKafka().producer({ allowAutoTopicCreation: false });
    await producer.connect();
    dlq = await collect(testKafka(), [dlqTopic]);
  }, 60_000);

  afterAll(async () => {
    await dlq?.consumer.disconnect();
    await producer?.disconnect();
    await t?.destroy();
  });

  const send = (key: string | null, value: string) => producer.send({ topic: intakeTopic, acks: -1, messages: [{ key, value, partition: 0 }] });
  const leadMessage = (allegation: string, over: Record<string, unknown> = {}, body: Record<string, unknown> = {}) =>
    JSON.stringify({ kind: 'lead', agency: 'audit-bureau', body: leadBody({ allegation, ...body }), ...over });
  const registered = async (allegation: string) =>
    (await store.readAll(0, 100_000)).filter((e) => e.type === 'lead.registered' && (e.data as { allegation: string }).allegation === allegation);
  const afterOutcomes = (n: number) => waitFor(() => outcomes.length >= n, 30_000, `${n} intake outcomes`);

  it('given a valid lead delivered twice with the same key, then it is registered once, as the agency, with its informant kept confidential', async () => {
    const marker = `intake-lead-${randomUUID()}`;
    const key = `audit-${randomUUID()}`;
    const start = outcomes.length;
    await send(key, leadMessage(marker, {}, { informant: { name: '李举报', contact: '13700000000' } }));
    await send(key, leadMessage(marker, {}, { informant: { name: '李举报', contact: '13700000000' } }));
    await afterOutcomes(start + 2);

    expect(outcomes.slice(start).map((o) => (o.status === 'applied' ? o.replayed : o.status))).toEqual([false, true]);
    const events = await registered(marker);
    expect(events).toHaveLength(1);
    expect(events[0].metadata.actor).toMatchObject({ role: 'agency', agency: 'audit-bureau', userId: 'intake:audit-bureau' });
    expect(events[0].data).toMatchObject({ reportingAgency: 'audit-bureau', hasInformant: true, ledgerNo: expect.stringMatching(/\d/) });
    expect(JSON.stringify(events[0].data)).not.toContain('李举报');
    // the log holds only ciphertext (envelope encryption); the lead's own stream decrypts it for the
    // code entitled to it
    expect(JSON.stringify(events[0].confidential)).not.toContain('李举报');
    const [own] = await store.readStream(events[0].streamId);
    expect(own?.confidential).toMatchObject({ informant: { name: '李举报' } });
  }, 60_000);

  it('given a run of valid messages, when they are applied, then each is stored once and the group has committed up to the last of them', async () => {
    const start = outcomes.length;
    const markers = Array.from({ length: 30 }, () => `intake-run-${randomUUID()}`);
    await producer.send({ topic: intakeTopic, acks: -1, messages: markers.map((m) => ({ key: `run-${randomUUID()}`, value: leadMessage(m), partition: 0 })) });
    await afterOutcomes(start + markers.length);

    expect(outcomes.slice(start).every((o) => o.status === 'applied' && !o.replayed)).toBe(true);
    const stored = (await store.readAll(0, 100_000)).filter((e) => e.type === 'lead.registered').map((e) => (e.data as { allegation: string }).allegation);
    for (const m of markers) expect(stored.filter((a) => a === m)).toHaveLength(1);
    // offsets are committed in groups after the events are stored; an outcome is reported once its offset is committed
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId: `${prefix}coord-intake`, topics: [intakeTopic] });
      const [end] = (await admin.fetchTopicOffsets(intakeTopic)).filter((p) => p.partition === 0);
      expect(committed!.partitions.find((p) => p.partition === 0)?.offset).toBe(end!.high);
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('given malformed messages between valid ones, then each bad one is dead-lettered with its reason (informant redacted) and the consumer goes on', async () => {
    const before = `intake-before-${randomUUID()}`;
    const after = `intake-after-${randomUUID()}`;
    const start = outcomes.length;
    const dlqStart = dlq.received.length;
    const keys = { json: `bad-json-${randomUUID()}`, field: `bad-field-${randomUUID()}`, agency: `bad-agency-${randomUUID()}`, report: `bad-report-${randomUUID()}` };

    await send(`ok-${randomUUID()}`, leadMessage(before));
    await send(keys.json, '{"kind":"lead", not json');
    await send(keys.field, leadMessage('x', {}, { secretNote: 'unknown field', informant: { name: '赵举报', contact: '13600000000' } }));
    await send(keys.agency, JSON.stringify({ kind: 'lead', agency: 'no-such-agency', body: leadBody({ reportingAgency: 'no-such-agency' }) }));
    await send(keys.report, JSON.stringify({ kind: 'progress-report', agency: 'audit-bureau', caseId: randomUUID(), body: { stage: 'nonsense', summary: 's', reportedOn: '2026-01-01' } }));
    await send(null, leadMessage('no key'));
    await send(`ok-${randomUUID()}`, leadMessage(after));
    await afterOutcomes(start + 7);
    await dlq.until((r) => r.length >= dlqStart + 5);

    expect(outcomes.slice(start).map((o) => (o.status === 'applied' ? 'applied' : o.code))).toEqual([
      'applied',
      'malformed-json',
      'validation-failed',
      'unknown-agency',
      'validation-failed',
      'malformed-intake-message',
      'applied',
    ]);
    expect(await registered(before)).toHaveLength(1);
    expect(await registered(after)).toHaveLength(1);

    const byKey = new Map(dlq.received.slice(dlqStart).map((m) => [m.key, m]));
    const json = byKey.get(keys.json)!;
    expect(json.headers['dlq-code']).toBe('malformed-json');
    expect(json.value).toBe('{"kind":"lead", not json');
    expect(json.headers['original-topic']).toBe(intakeTopic);

    const field = byKey.get(keys.field)!;
    expect(field.headers['dlq-code']).toBe('validation-failed');
    expect(JSON.parse(field.headers['dlq-errors'])).toEqual([{ field: 'body.secretNote', message: '不允许的字段' }]);
    expect(field.value).not.toContain('赵举报');
    expect(field.value).not.toContain('13600000000');
    expect(JSON.parse(field.value!).body.informant).toBe(REDACTED);

    const agency = byKey.get(keys.agency)!;
    expect(agency.headers['dlq-code']).toBe('unknown-agency');
    expect(JSON.parse(agency.headers['dlq-errors'])).toEqual([{ field: 'agency', message: expect.any(String) }]);

    const report = byKey.get(keys.report)!;
    expect(JSON.parse(report.headers['dlq-errors'])).toEqual([{ field: 'body.stage', message: '取值不在允许范围内' }]);
    expect(dlq.received.slice(dlqStart).some((m) => m.key === null && m.headers['dlq-code'] === 'malformed-intake-message')).toBe(true);
  }, 60_000);
});
