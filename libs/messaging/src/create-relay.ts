import type { EventStore, StoredEvent } from '@coord/event-store';
import type { DataSource } from 'typeorm';
import { InProcessPublisher, type IntegrationPublisher } from './integration-publisher';
import { IntegrationRelay } from './integration-relay';
import type { KafkaConnection, MessagingLogger } from './kafka-client';
import { KafkaPublisher } from './kafka-publisher';

/** Kafka configured → KafkaPublisher; Kafka off (the embedded default) → InProcessPublisher. */
export function createIntegrationPublisher(kafka: KafkaConnection | undefined, logger?: MessagingLogger): IntegrationPublisher {
  return kafka ? new KafkaPublisher({ ...kafka, logger }) : new InProcessPublisher();
}

/** The relay as the projector (distributed profile) and the api (embedded profile) run it. */
export function createIntegrationRelay(options: {
  store: EventStore;
  dataSource: DataSource;
  kafka?: KafkaConnection;
  logger?: MessagingLogger;
  transform?: (e: StoredEvent) => StoredEvent;
  isActive?: () => boolean;
}): IntegrationRelay {
  return new IntegrationRelay({
    store: options.store,
    dataSource: options.dataSource,
    publisher: createIntegrationPublisher(options.kafka, options.logger),
    topicPrefix: options.kafka?.topicPrefix,
    transform: options.transform,
    logger: options.logger,
    isActive: options.isActive,
  });
}

/** Adapts a Nest-style logger (message strings) to the structured MessagingLogger. */
export function messagingLoggerFrom(logger: { log(message: string): void; warn(message: string): void; error(message: string): void }): MessagingLogger {
  return {
    info: (facts, msg) => logger.log(`${msg} ${JSON.stringify(facts)}`),
    warn: (facts, msg) => logger.warn(`${msg} ${JSON.stringify(facts)}`),
    error: (facts, msg) => logger.error(`${msg} ${JSON.stringify(facts)}`),
  };
}
