import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommandHandler, EVENT_STORE, type EventStore } from '@coord/event-store';
import { APP_CONFIG, DeadlineScheduler, type AppConfig, type TickResult } from '@coord/platform';

/**
 * The deadline scheduler (催办) inside the api process. It only runs where the projections run — the
 * BootstrapService starts it in the embedded profile; in the distributed profile the projector process
 * runs it (apps/projector/src/main.ts). `tick(at)` is public so tests and operators can run a pass as of
 * a chosen instant without waiting for the real clock.
 */
@Injectable()
export class ReminderSchedulerService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('reminders');
  readonly scheduler: DeadlineScheduler;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    handler: CommandHandler,
    dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.scheduler = new DeadlineScheduler({ store, handler, dataSource, clocks: config.clocks, reminders: config.reminders, logger: this.logger });
  }

  start(): void {
    this.scheduler.start();
  }

  tick(at?: Date): Promise<TickResult> {
    return this.scheduler.tick(at);
  }

  /** before the InfrastructureModule closes the store and the read-model database under a tick in flight */
  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
  }
}
