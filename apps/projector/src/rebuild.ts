import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createPinoLogger, loadConfig, openInfrastructure, PinoNestLogger } from '@coord/platform';

/**
 * `npm run projections:rebuild`: clears every read model and replays the whole event log into it, with
 * the same configuration (COORD_DATA_DIR etc.) as `npm start`. Stop the api first in the embedded
 * profile: its in-process runner would otherwise write to the same tables.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  Logger.overrideLogger(new PinoNestLogger(createPinoLogger(config.logLevel)));
  const logger = new Logger('rebuild');
  const infra = await openInfrastructure(config, logger);
  const started = process.hrtime.bigint();
  const head = await infra.store.headPosition();
  await infra.runner.rebuild();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  logger.log(`rebuilt all read models up to position ${await infra.runner.checkpoint()} (log head ${head}) in ${seconds.toFixed(2)} s`);
  await infra.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
