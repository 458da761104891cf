import 'reflect-metadata';
import { createServer } from 'node:http';
import { Logger } from '@nestjs/common';
import { ConfigError, createPinoLogger, loadConfig, openInfrastructure, PinoNestLogger } from '@coord/platform';

/**
 * The projector process of the distributed profile: runs the projections against the configured store
 * and read-model database, with no HTTP API but /health. (In the embedded default the api process runs
 * the same runner in-process instead.)
 */
async function main(): Promise<void> {
  const config = loadConfig();
  Logger.overrideLogger(new PinoNestLogger(createPinoLogger(config.logLevel)));
  const logger = new Logger('projector');
  const infra = await openInfrastructure(config, logger);
  infra.runner.start();
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      Promise.all([infra.store.headPosition(), infra.runner.checkpoint()])
        .then(([head, checkpoint]) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', head, checkpoint, lag: head - checkpoint }));
        })
        .catch((e: Error) => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', message: e.message })));
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(config.projectorPort, config.host, () => logger.log(`projector running; health on :${config.projectorPort}/health`));
  const shutdown = async () => {
    server.close();
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
