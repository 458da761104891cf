import { Kafka, logLevel, type LogEntry } from 'kafkajs';

/** pino-compatible subset (facts object first, message second). */
export interface MessagingLogger {
  info(facts: object, msg: string): void;
  warn(facts: object, msg: string): void;
  error(facts: object, msg: string): void;
}

export interface KafkaConnection {
  brokers: readonly string[];
  clientId: string;
  /** prepended to every topic name; '' in production */
  topicPrefix?: string;
}

/**
 * A kafkajs client whose own log goes to our logger instead of the console. kafkajs logs connection
 * facts (broker, client id, error name and message), never message keys or values. Its INFO chatter
 * (group joins, producer ids) is dropped; WARN and ERROR keep only a few named fields.
 */
export function createKafka(connection: KafkaConnection, logger?: MessagingLogger, overrides: { connectionTimeout?: number; requestTimeout?: number } = {}): Kafka {
  return new Kafka({
    clientId: connection.clientId,
    brokers: [...connection.brokers],
    connectionTimeout: overrides.connectionTimeout ?? 3000,
    requestTimeout: overrides.requestTimeout ?? 30_000,
    // the relay and the intake consumer have their own retry loops with backoff; kafkajs's own retries
    // stay short so a broker outage surfaces to them (and to /health) within seconds
    retry: { retries: 3, initialRetryTime: 250, maxRetryTime: 3000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        if (!logger) return;
        const { message, broker, error, groupId, topic } = log as { message: string; broker?: string; error?: string; groupId?: string; topic?: string };
        const facts = { kafka: namespace, broker, error, groupId, topic };
        // kafkajs reports retriable protocol responses at ERROR; whether a failure matters is decided by
        // the relay's and the consumer's own retry loops, which log it themselves — so warn here
        if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn(facts, message);
      },
  });
}

export const prefixed = (prefix: string | undefined, topic: string): string => `${prefix ?? ''}${topic}`;
