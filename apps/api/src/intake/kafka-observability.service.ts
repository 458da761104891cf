import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Gauge, register } from 'prom-client';
import { APP_CONFIG, type AppConfig, type Infrastructure } from '@coord/platform';
import { INFRASTRUCTURE } from '../infrastructure/infrastructure.module';
import { EmbeddedRelayService } from './embedded-relay.service';
import { IntakeConsumer } from './intake.consumer';

/**
 * Kafka in the api's /metrics and /health/ready.
 *
 * Readiness reports the intake consumer and (embedded profile) the relay, but does not fail when the
 * broker is down: the api's job is commands, and commands succeed without Kafka (the relay catches up
 * later, intake messages wait on the broker). Taking every api replica out of rotation because Kafka is
 * down would turn a delivery delay into an outage. The projector, whose job is relaying, does fail its
 * readiness then (apps/projector/src/main.ts).
 */
@Injectable()
export class KafkaObservability implements OnApplicationBootstrap, OnModuleDestroy {
  private unregister?: () => void;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intake: IntakeConsumer,
    private readonly relay: EmbeddedRelayService,
  ) {}

  onApplicationBootstrap(): void {
    const intake = this.intake;
    if (!register.getSingleMetric('coord_intake_messages')) {
      new Gauge<'outcome'>({
        name: 'coord_intake_messages',
        help: 'Intake messages handled by this api process since it started, by outcome (applied, replayed, dead-lettered, retried)',
        labelNames: ['outcome'],
        collect() {
          this.set({ outcome: 'applied' }, intake.counts.applied);
          this.set({ outcome: 'replayed' }, intake.counts.replayed);
          this.set({ outcome: 'dead-lettered' }, intake.counts.deadLettered);
          this.set({ outcome: 'retried' }, intake.counts.retried);
        },
      });
    }
    if (!this.config.kafka) return;
    this.unregister = this.infra.readiness.register('kafka', async () => ({
      intakeConsumer: this.intake.enabled ? 'enabled' : 'disabled',
      intake: { ...this.intake.counts },
      ...(this.config.embeddedProjector ? { relay: this.relay.relay.lastError ? `retrying: ${this.relay.relay.lastError}` : 'ok' } : {}),
    }));
  }

  onModuleDestroy(): void {
    this.unregister?.();
  }
}
