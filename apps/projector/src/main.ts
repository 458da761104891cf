import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DeadlineScheduler } from '@coord/platform';
import { ConfigError, createPinoLogger, loadConfig, openInfrastructure, PinoNestLogger } from '@coord/platform';
import { createProcessManagerRunners } from '@coord/platform';
import { createIntegrationRelay, instrumentRelay, messagingLoggerFrom } from '@coord/messaging';

import { startProjectorHttp } from './projector-http';

/**
 * The projector process of the distributed profile: runs the projections against the configured store
 * and read-model database, with no HTTP API but /health and /metrics (projector-http.ts). (In the
 * embedded default the api process runs the same runner in-process instead.)
 *
 * Several projector processes may run at once: the projection lease lets exactly one apply events, the
 * others stand by and take over when it dies (advisory lock on PostgreSQL: at once; lease row on SQLite:
 * after COORD_PROJECTION_LEASE_TTL_MS). A SIGKILL mid-batch loses nothing: rows and checkpoint commit in
 * one transaction, so the uncommitted batch is simply read again by whoever runs next.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  Logger.overrideLogger(new PinoNestLogger(createPinoLogger(config.logLevel)));
  const logger = new Logger('projector');
  const infra = await openInfrastructure(config, logger);
  infra.runner.start();
  // 催办: the durable deadline scheduler (docs/reminders.md). Every projector process may tick: a rung fired by
  // two at once is appended once (deterministic command id + the stream's version check)
  const reminders = new DeadlineScheduler({ store: infra.store, handler: infra.handler, dataSource: infra.dataSource, clocks: config.clocks, reminders: config.reminders, logger });
  if (config.reminders.enabled) reminders.start();
  // process managers (meeting decisions → supervision items) follow the log with their own checkpoints;
  // their deterministic command ids make a second projector's attempt a replay, never a duplicate
  const processManagers = createProcessManagerRunners(infra, logger, undefined, () => infra.runner.isActive());
  for (const pm of processManagers) pm.start();
  // the integration relay (libs/messaging): its own checkpoint, Kafka when COORD_KAFKA_BROKERS is set,
  // else in process. A second projector's relay may duplicate a batch (at-least-once), never skip one.
  // Only the lease holder relays and reacts (isActive): standby projectors idle instead of repeating
  // their work; a takeover resumes from the shared checkpoints.
  const relay = createIntegrationRelay({
    store: infra.store,
    dataSource: infra.dataSource,
    kafka: config.kafka,
    logger: messagingLoggerFrom(new Logger('relay')),
    isActive: () => infra.runner.isActive(),
  });
  instrumentRelay(relay);
  // Kafka is this process's job (relaying): while the broker is unreachable the projector is not ready
  infra.readiness.register('kafka', async () => {
    if (relay.lastError) throw new Error(`relay retrying: ${relay.lastError}`);
    return { publisher: relay.publisherKind, ...(await relay.lag()) };
  });
  relay.start();
  const server = await startProjectorHttp(infra, config.projectorPort, config.host);
  logger.log(`projector running (lease holder ${infra.runner.leaseHolder}); /health and /metrics on :${config.projectorPort}`);
  const shutdown = async () => {
    server.close();
    await reminders.stop();
    for (const pm of processManagers) await pm.stop();
    await relay.close();
    await infra.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? `configuration error: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
