import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * globalSetup of the `int` jest project: the real services the integration specs run against, so that
 * `npm ci && npm test` is self-sufficient on a project machine.
 *  - PostgreSQL: scripts/ensure-postgres.sh (starts the local cluster if it is stopped);
 *  - Kafka: scripts/kafka.sh start, unless COORD_TEST_KAFKA_BROKERS points at a broker already or the
 *    local one is running. Only a broker started HERE is stopped by the teardown.
 * Environment set here reaches the test workers (they are forked afterwards).
 */
const ROOT = join(__dirname, '..', '..');

export default function globalSetup(): void {
  execFileSync('bash', [join(ROOT, 'scripts', 'ensure-postgres.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (process.env.COORD_TEST_KAFKA_BROKERS) return;
  const script = join(ROOT, 'scripts', 'kafka.sh');
  const running = spawnSync('bash', [script, 'status'], { stdio: 'ignore' }).status === 0;
  if (!running) {
    execFileSync('bash', [script, 'start'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
    process.env.COORD_TEST_KAFKA_STARTED_BY_JEST = '1';
  }
  process.env.COORD_TEST_KAFKA_BROKERS = `127.0.0.1:${process.env.COORD_KAFKA_PORT ?? '9092'}`;
}
