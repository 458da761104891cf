import { Inject, Injectable, Logger, OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { groupDecider, SEED_AGENCIES, shanghaiDateOf, streams } from '@coord/domain';
import { CommandHandler, EVENT_STORE, type EventStore } from '@coord/event-store';
import { ProjectionRunner } from '@coord/read-models';
import { APP_CONFIG, type AppConfig } from '@coord/platform';
import { createProcessManagerRunners, type ProcessManagerRunner } from '@coord/platform';
import { AccountsService, SYSTEM_ACTOR } from '../auth/accounts.service';
import { EmbeddedRelayService } from '../intake/embedded-relay.service';
import { ReminderSchedulerService } from '../notifications/reminder-scheduler.service';

/**
 * First start: seed the ten member agencies and the admin account (both as events, both only once —
 * an existing stream is left alone), then start the embedded projector.
 */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('bootstrap');
  /** Set when a password was generated for the admin; main.ts prints it once to the terminal. */
  generatedAdminPassword?: string;
  /** embedded profile: the process managers (meeting decisions → supervision items) run in this process */
  private processManagers: ProcessManagerRunner[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly handler: CommandHandler,
    private readonly accounts: AccountsService,
    private readonly runner: ProjectionRunner,
    private readonly dataSource: DataSource,
    private readonly reminders: ReminderSchedulerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly relay: EmbeddedRelayService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seedGroup();
    const admin = await this.accounts.ensureAdmin(this.config.adminPassword);
    this.generatedAdminPassword = admin.generatedPassword;
    if (this.config.embeddedProjector) {
      await this.runner.runUntilCaughtUp();
      this.runner.start();
      // integration events: the relay follows the log from its own checkpoint (Kafka off → in process)
      this.relay.start();
      // 催办: the deadline scheduler runs where the projections run (docs/reminders.md)
      if (this.config.reminders.enabled) this.reminders.start();
      this.processManagers = createProcessManagerRunners({ store: this.store, handler: this.handler, dataSource: this.dataSource }, this.logger, undefined, () => this.runner.isActive());
      for (const pm of this.processManagers) pm.start();
    }
  }

  /** before the InfrastructureModule closes the store and the read-model database */
  async beforeApplicationShutdown(): Promise<void> {
    for (const pm of this.processManagers) await pm.stop();
  }

  private async seedGroup(): Promise<void> {
    if ((await this.store.streamVersion(streams.group())) > 0) return;
    const now = new Date();
    const ctx = { actor: SYSTEM_ACTOR, at: now.toISOString(), today: shanghaiDateOf(now) };
    await this.handler.handle(
      groupDecider,
      streams.group(),
      { type: 'SeedGroup', establishedOn: this.config.groupEstablishedOn, members: SEED_AGENCIES.map((a) => ({ agency: a.code, name: a.name, groupRole: a.groupRole })), ctx },
      // a fixed command id: two processes starting at once seed the group once
      { commandId: '6f1c1f7e-5e2b-5c3a-9d4e-000000000001', idempotencyKeyGiven: true, ctx },
    );
    this.logger.log(`seeded ${SEED_AGENCIES.length} member agencies`);
  }
}
