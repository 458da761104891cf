import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { loadConfig, type AppConfig } from '@coord/platform';
import { createApiApp } from '../../apps/api/src/bootstrap/create-api-app';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  dataDir: string;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
  /** closes and removes the data folder */
  destroy(): Promise<void>;
}

/** The real api (embedded profile: SQLite store and read models, in-process projector) on a temp data folder. */
export async function startTestApp(
  dataDir = mkdtempSync(join(tmpdir(), 'coord-e2e-')),
  env: Record<string, string> = {},
  logDestination?: DestinationStream,
): Promise<TestApp> {
  const config = loadConfig({ COORD_DATA_DIR: dataDir, COORD_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'error', ...env });
  const app = await createApiApp(config, { logDestination });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const server = app.getHttpServer();
  return {
    app,
    config,
    dataDir,
    http: () => request(server),
    close: () => app.close(),
    async destroy() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function login(t: TestApp, username: string, password: string): Promise<string> {
  const res = await t.http().post('/api/auth/login').send({ username, password }).expect(200);
  return res.body.accessToken as string;
}

/** Creates a user through the API as the admin and returns its token. */
export async function userToken(t: TestApp, adminToken: string, username: string, role: string, agency?: string): Promise<string> {
  const password = `${username}-password-123`;
  await t
    .http()
    .post('/api/users')
    .set('authorization', `Bearer ${adminToken}`)
    .send({ username, password, role, ...(agency ? { agency } : {}) })
    .expect(201);
  return login(t, username, password);
}

/** A leadership account with its title (组长 'group-leader' signs 《案情专报》; 'deputy', 'reader' do not). */
export async function leaderToken(t: TestApp, adminToken: string, username: string, leadershipRole: 'group-leader' | 'deputy' | 'reader' = 'group-leader'): Promise<string> {
  const password = `${username}-password-123`;
  await t.http().post('/api/users').set('authorization', `Bearer ${adminToken}`).send({ username, password, role: 'leadership', leadershipRole }).expect(201);
  return login(t, username, password);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Asia/Shanghai today, and date arithmetic for building test dates relative to it. */
export function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const leadBody = (over: Record<string, unknown> = {}) => ({
  source: 'audit-finding',
  reportingAgency: 'audit-bureau',
  subject: { name: '王某某', post: '局长', unit: '县住建局' },
  allegation: '在工程招投标中收受好处费',
  receivedOn: shanghaiToday(),
  important: true,
  ...over,
});
