import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { loadConfig, type AppConfig } from '@coord/platform';
import { createApiApp } from '../../../apps/api/src/bootstrap/create-api-app';
import { ADMIN_PASSWORD } from '../../support/test-app';

export interface RouteInfo {
  method: string;
  /** Fastify's pattern, e.g. /api/leads/:id/transfers */
  url: string;
}

export interface FuzzApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** every route the running Fastify instance registered, as it registered them */
  routes: RouteInfo[];
  http: () => ReturnType<typeof request>;
  destroy(): Promise<void>;
}

/**
 * The real api, like startTestApp, but the route table is taken from Fastify's own onRoute hook while the
 * app registers its routes, so the fuzz suite covers every route that exists — a new endpoint is fuzzed
 * without anyone adding it to a list.
 */
export async function startFuzzApp(logDestination: DestinationStream, env: Record<string, string> = {}): Promise<FuzzApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'coord-fuzz-'));
  const config = loadConfig({
    COORD_DATA_DIR: dataDir,
    COORD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: 'error',
    // the scheduler never ticks on its own: nothing but the fuzzed requests writes to the store
    COORD_REMINDER_TICK_MS: '0',
    ...env,
  });
  const app = await createApiApp(config, { logDestination });
  const routes: RouteInfo[] = [];
  // Nest registers its routes in init(): the hook sees every one of them
  app.getHttpAdapter().getInstance().addHook('onRoute', (r) => {
    for (const method of ([] as string[]).concat(r.method)) routes.push({ method, url: r.url });
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const server = app.getHttpServer();
  return {
    app,
    config,
    routes,
    http: () => request(server),
    async destroy() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
