import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createIntegrationRelay, messagingLoggerFrom } from '@coord/messaging';
import { createPinoLogger, loadConfig, openInfrastructure, PinoNestLogger } from '@coord/platform';

/**
 * `npm run relay:replay -- --from <position>`: moves the integration relay's checkpoint so that every
 * event after <position> is published again by whichever process relays (a member agency lost its copy,
 * a topic was recreated). Consumers deduplicate by the event-id header, so a replay is safe. Without
 * --from it only prints the relay's lag (`npm run relay:replay -- --status`).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const fromIndex = args.indexOf('--from');
  const statusOnly = args.includes('--status') || fromIndex < 0;
  const position = fromIndex >= 0 ? Number(args[fromIndex + 1]) : NaN;
  if (!statusOnly && (!Number.isSafeInteger(position) || position < 0)) {
    throw new Error('usage: npm run relay:replay -- --from <non-negative position> | --status');
  }
  const config = loadConfig();
  Logger.overrideLogger(new PinoNestLogger(createPinoLogger(config.logLevel)));
  const logger = new Logger('relay-replay');
  const infra = await openInfrastructure(config, logger);
  const relay = createIntegrationRelay({ store: infra.store, dataSource: infra.dataSource, kafka: config.kafka, logger: messagingLoggerFrom(logger) });
  try {
    if (!statusOnly) {
      const head = await infra.store.headPosition();
      if (position > head) throw new Error(`position ${position} is beyond the head of the log (${head})`);
      await relay.resetTo(position);
    }
    const lag = await relay.lag();
    process.stdout.write(`${JSON.stringify({ relay: relay.name, ...lag })}\n`);
  } finally {
    await relay.close();
    await infra.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
