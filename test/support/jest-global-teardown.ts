import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Stops the Kafka broker only if this jest run's globalSetup started it (see jest-global-setup.ts). */
export default function globalTeardown(): void {
  if (process.env.COORD_TEST_KAFKA_STARTED_BY_JEST !== '1') return;
  execFileSync('bash', [join(__dirname, '..', '..', 'scripts', 'kafka.sh'), 'stop'], { stdio: ['ignore', 'ignore', 'inherit'] });
  delete process.env.COORD_TEST_KAFKA_STARTED_BY_JEST;
}
