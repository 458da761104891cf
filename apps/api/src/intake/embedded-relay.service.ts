import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { createIntegrationRelay, instrumentRelay, messagingLoggerFrom, type IntegrationRelay } from '@coord/messaging';
import { ProjectionRunner } from '@coord/read-models';
import { APP_CONFIG, type AppConfig } from '@coord/platform';
import { DataSource } from 'typeorm';

/**
 * The integration relay when the api runs the embedded profile (COORD_EMBEDDED_PROJECTOR=true): the
 * BootstrapService starts it next to the embedded projection runner. Kafka off → in-process publisher.
 * In the distributed profile the projector process runs the relay and this one is never started.
 */
@Injectable()
export class EmbeddedRelayService implements OnModuleDestroy {
  readonly relay: IntegrationRelay;

  private uninstrument?: () => void;

  constructor(@Inject(EVENT_STORE) store: EventStore, dataSource: DataSource, @Inject(APP_CONFIG) config: AppConfig, runner: ProjectionRunner) {
    this.relay = createIntegrationRelay({
      store,
      dataSource,
      kafka: config.kafka,
      logger: messagingLoggerFrom(new Logger('relay')),
      // relay only while this process's runner holds the projection lease (one relaying process at a time)
      isActive: () => runner.isActive(),
    });
  }

  start(): void {
    this.uninstrument = instrumentRelay(this.relay);
    this.relay.start();
  }

  // onModuleDestroy runs before any onApplicationShutdown: the relay stops before the store closes
  async onModuleDestroy(): Promise<void> {
    this.uninstrument?.();
    await this.relay.close();
  }
}
