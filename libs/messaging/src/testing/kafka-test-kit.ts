import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Consumer, type IHeaders } from 'kafkajs';

/** The broker the int project's globalSetup started (scripts/kafka.sh), or one the developer runs. */
export const TEST_KAFKA_BROKERS = (process.env.COORD_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** A topic prefix no other run shares: tests never see each other's messages. */
export const uniquePrefix = (label: string): string => `t-${label}-${randomUUID().slice(0, 8)}.`;

export const testKafka = (brokers = TEST_KAFKA_BROKERS): Kafka =>
  new Kafka({ clientId: 'coord-test', brokers, logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 200 } });

export interface Received {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

const headersOf = (h: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : v === undefined ? '' : v.toString()]));

/** Reads topics from the beginning into `received` (a real consumer in its own group). */
export async function collect(kafka: Kafka, topics: string[]): Promise<{ received: Received[]; consumer: Consumer; until(pred: (r: Received[]) => boolean, timeoutMs?: number): Promise<void> }> {
  const consumer = kafka.consumer({ groupId: `collector-${randomUUID()}`, sessionTimeout: 10_000, heartbeatInterval: 1000, maxWaitTimeInMs: 100 });
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      received.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers: headersOf(message.headers) });
    },
  });
  const until = async (pred: (r: Received[]) => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pred(received)) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms (${received.length} messages received)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { received, consumer, until };
}

/** scripts/kafka.sh with its environment (a second broker on other ports for outage tests). */
export async function kafkaScript(command: 'start' | 'stop' | 'status' | 'reset', env: Record<string, string> = {}): Promise<void> {
  const root = join(__dirname, '..', '..', '..', '..');
  await promisify(execFile)('bash', [join(root, 'scripts', 'kafka.sh'), command], { env: { ...process.env, ...env }, timeout: 120_000 });
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
