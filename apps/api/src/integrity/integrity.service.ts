import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  loadCheckpointKeys,
  openIntegrityLog,
  PeriodicCheckpointer,
  verifyIntegrity,
  type CheckpointSigner,
  type IntegrityLog,
  type IntegrityReport,
  type TrustedKeys,
} from '@coord/event-store';
import { APP_CONFIG, type AppConfig } from '@coord/platform';

/**
 * The hash chain seen from the api: periodic signed checkpoints (every N events, polled) and the
 * on-request verification behind GET /api/integrity. It opens the store's integrity log on its own
 * connection, below every decorator around the EventStore port, so it hashes what is really stored.
 * KurrentDB has no hash chain (docs/security-integrity.md): the service then stays idle.
 */
@Injectable()
export class IntegrityService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('integrity');
  private opened?: { log: IntegrityLog; close(): Promise<void> };
  private signer?: CheckpointSigner;
  private trusted?: TrustedKeys;
  private checkpointer?: PeriodicCheckpointer;
  /** one walk at a time: concurrent requests share it (a walk reads the whole log) */
  private walking?: Promise<IntegrityReport>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get available(): boolean {
    return this.config.eventStore.kind !== 'kurrentdb';
  }

  async onModuleInit(): Promise<void> {
    if (!this.available) return;
    const keys = loadCheckpointKeys(this.config.integrity, { create: true });
    this.signer = keys.signer;
    this.trusted = keys.trusted;
    this.opened = await openIntegrityLog(this.config.eventStore);
    const { checkpointEvery, checkpointPollMs } = this.config.integrity;
    if (this.signer && checkpointEvery > 0 && checkpointPollMs > 0) {
      this.checkpointer = new PeriodicCheckpointer(this.opened.log, this.signer, checkpointEvery, checkpointPollMs, (e) =>
        this.logger.error(`checkpoint failed: ${e instanceof Error ? e.message : String(e)}`),
      );
      this.checkpointer.start();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer?.stop();
    await this.opened?.close();
  }

  /** The key auditors pin outside this system to check checkpoints independently. */
  publicKey(): { keyId: string; pem: string } | null {
    return this.signer ? { keyId: this.signer.keyId, pem: this.signer.publicKeyPem } : null;
  }

  async verify(): Promise<IntegrityReport> {
    if (!this.opened || !this.trusted) throw new Error('integrity log not open');
    const log = this.opened.log;
    const trustedKeys = this.trusted;
    this.walking ??= verifyIntegrity(log, { trustedKeys }).finally(() => {
      this.walking = undefined;
    });
    const report = await this.walking;
    this.logger.log(`verified: intact=${report.intact} upTo=${report.verifiedUpTo}${report.firstBroken ? ` broken=${report.firstBroken.kind}@${report.firstBroken.position}` : ''}`);
    return report;
  }
}
