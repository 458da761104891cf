import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { IntegrationMessage } from './integration-message';
import type { IntegrationPublisher } from './integration-publisher';
import { createKafka, prefixed, type KafkaConnection, type MessagingLogger } from './kafka-client';
import { OUTBOUND_TOPICS } from './topics';

export interface KafkaTopicSettings {
  /** -1 = the broker's num.partitions */
  numPartitions?: number;
  /** -1 = the broker's default.replication.factor */
  replicationFactor?: number;
}

/** Creates the topics that do not exist yet (an existing topic is left exactly as the operator set it). */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], settings: KafkaTopicSettings = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: settings.numPartitions ?? -1, replicationFactor: settings.replicationFactor ?? -1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

export interface KafkaPublisherOptions extends KafkaConnection, KafkaTopicSettings {
  logger?: MessagingLogger;
}

/**
 * Publishes to Kafka with an idempotent producer (acks = all, one request in flight, so a retried
 * request can neither duplicate nor reorder within a partition) and the Java client's murmur2
 * partitioner, so agencies' Java consumers and tools agree on key → partition. The outbound topics
 * are created at start when missing (auto-creation stays off on the broker).
 *
 * After a failed send the producer is thrown away and a new one (new producer id) is made for the
 * next attempt: the relay resends the whole batch, which may duplicate messages — that is the
 * documented at-least-once contract — but never loses one.
 */
export class KafkaPublisher implements IntegrationPublisher {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer?: Producer;
  private topicsReady = false;

  constructor(private readonly options: KafkaPublisherOptions) {
    this.kafka = createKafka(options, options.logger);
  }

  async start(): Promise<void> {
    if (!this.topicsReady) {
      await ensureTopics(
        this.kafka,
        OUTBOUND_TOPICS.map((t) => prefixed(this.options.topicPrefix, t)),
        this.options,
      );
      this.topicsReady = true;
    }
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 3, initialRetryTime: 250, maxRetryTime: 3000 },
      });
      await producer.connect();
      this.producer = producer;
    }
  }

  async publish(messages: readonly IntegrationMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      await this.start();
      // Requests holding at most TOPIC_BYTES per topic, sent one after the other, each awaited: a relay
      // batch of thousands of events could otherwise put more than the broker's message.max.bytes (1 MiB
      // by default, a limit on each partition's record batch) into one partition and be refused forever.
      // Sequential sends on the one producer (one request in flight) keep the given order per partition
      // across the requests, and publish still resolves only when every message is acknowledged.
      for (const chunk of chunksOf(messages, TOPIC_BYTES)) {
        // the messages themselves go to kafkajs (it reads key, value and headers; `topic` is ignored there)
        const byTopic = new Map<string, IntegrationMessage[]>();
        for (const m of chunk) {
          const list = byTopic.get(m.topic);
          if (list) list.push(m);
          else byTopic.set(m.topic, [m]);
        }
        // one request: kafkajs groups it per partition and keeps the given order within each partition
        await this.producer!.sendBatch({ acks: -1, timeout: 30_000, topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })) });
      }
    } catch (err) {
      await this.dropProducer();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.dropProducer();
  }

  private async dropProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}

/**
 * Payload bytes (keys, values, headers) of one topic per produce request: 7/8 of the broker's default
 * message.max.bytes (1 MiB), leaving room for the record framing (about 20 bytes a record) even if every
 * message of the topic lands on one partition. The limit is per topic, not per request: the broker checks
 * each partition's record batch, and the request itself may be far larger (socket.request.max.bytes,
 * 100 MiB by default), so messages of different topics share one request — fewer, larger requests, each
 * one acks=all round trip. An operator who lowers message.max.bytes below this must raise it again.
 */
const TOPIC_BYTES = 896 * 1024;

/**
 * Consecutive runs of messages in which the keys, values and headers of each topic add up to at most
 * `limit` bytes (≥ 1 message each run).
 */
export function* chunksOf(messages: readonly IntegrationMessage[], limit: number): Generator<readonly IntegrationMessage[]> {
  let start = 0;
  let bytes = new Map<string, number>();
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as IntegrationMessage;
    let size = Buffer.byteLength(m.key) + Buffer.byteLength(m.value);
    for (const k in m.headers) size += k.length + Buffer.byteLength(m.headers[k] as string);
    const topicBytes = bytes.get(m.topic) ?? 0;
    if (i > start && topicBytes + size > limit) {
      yield messages.slice(start, i);
      start = i;
      bytes = new Map();
    }
    bytes.set(m.topic, (bytes.get(m.topic) ?? 0) + size);
  }
  if (start < messages.length) yield messages.slice(start);
}
