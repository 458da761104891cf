import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createPinoLogger, dropShadowReadModels, loadConfig, openInfrastructure, openShadowReadModels, PinoNestLogger } from '@coord/platform';
import { ALL_PROJECTIONS, rebuildViaShadow } from '@coord/read-models';

/**
 * `npm run projections:rebuild`: replays the whole event log into a shadow copy of the read models
 * (a `<schema>_rebuild` PostgreSQL schema or a `read-models.rebuild.sqlite` file) and swaps it in with one
 * transaction, with the same configuration (COORD_DATA_DIR, COORD_PG_URL …) as the api and projector.
 *
 * Safe while everything keeps running: readers see the old rows until the swap commits and the new ones
 * after it (never an empty table), and the live projector — embedded or separate — notices the moved
 * checkpoint and continues from the rebuilt position (see rebuildViaShadow for the trade-offs).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  Logger.overrideLogger(new PinoNestLogger(createPinoLogger(config.logLevel)));
  const logger = new Logger('rebuild');
  const infra = await openInfrastructure(config, logger);
  const started = process.hrtime.bigint();
  const head = await infra.store.headPosition();
  const shadow = await openShadowReadModels(config);
  try {
    const result = await rebuildViaShadow({
      store: infra.store,
      live: infra.dataSource,
      shadow: shadow.dataSource,
      shadowFile: shadow.file,
      projections: ALL_PROJECTIONS,
      batchSize: config.projections.batchSize,
      logger: { info: (facts, msg) => logger.log(`${msg} ${JSON.stringify(facts)}`), error: (facts, msg) => logger.error(`${msg} ${JSON.stringify(facts)}`) },
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    logger.log(`rebuilt all read models up to position ${result.position} (${result.events} events; log head at start ${head}) in ${seconds.toFixed(2)} s`);
  } finally {
    if (shadow.dataSource.isInitialized) await shadow.dataSource.destroy();
    await dropShadowReadModels(config);
    await infra.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
