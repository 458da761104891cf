import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { ALL_PROJECTIONS, ProjectionRunner, READ_MODEL_ENTITIES, READ_MODEL_MIGRATIONS } from '@coord/read-models';
import type { EventStore } from '@coord/event-store';

export const PG_URL = process.env.COORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROOT = resolve(__dirname, '../../..');
const REGISTER = join(__dirname, 'ts-register.js');

export const ENTRY = {
  api: join(ROOT, 'apps/api/src/main.ts'),
  projector: join(ROOT, 'apps/projector/src/main.ts'),
  rebuild: join(ROOT, 'apps/projector/src/rebuild.ts'),
};

export interface Child {
  name: string;
  proc: ChildProcess;
  /** everything it wrote (JSON log lines), for diagnostics and assertions */
  output: () => string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** A real node process running one of our entry points from the TypeScript sources (ts-register.js). */
export function spawnChild(name: string, entry: string, env: Record<string, string>): Child {
  // only what the app needs: the test runner's own COORD_* / KAFKA variables must not leak in
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'test' };
  const proc = spawn(process.execPath, ['-r', REGISTER, entry], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  return {
    name,
    proc,
    output: () => out,
    exited,
    async kill(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Ports handed out in this test process: never hand one out twice (see freePort). */
const handedOut = new Set<number>();

/**
 * A port nothing listens on now, and that this test process has not handed out before: the OS may give
 * the same just-closed port to two back-to-back calls, and two children told the same port race for it
 * (an api request then reaches the projector's small HTTP server and gets its 405).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((res, rej) => {
      const srv = createServer();
      srv.once('error', rej);
      srv.listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address() as { port: number };
        srv.close(() => res(p));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** Poll until `probe` returns a value (not undefined) or fail with the children's output. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, children: Child[] = [], everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    const crashed = children.find((c) => typeof c.proc.exitCode === 'number' && c.proc.exitCode !== 0);
    if (Date.now() > deadline || crashed) {
      const logs = children.map((c) => `--- ${c.name} (exit ${c.proc.exitCode ?? c.proc.signalCode})\n${c.output().slice(-3000)}`).join('\n');
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* text */
  }
  return { status: res.status, body };
}

/** Fresh, uniquely named schemas in the test database; dropped by `drop()`. */
export class PgSchemas {
  private readonly names: string[] = [];
  private admin?: DataSource;

  name(prefix: string): string {
    const n = `${prefix}_${process.pid}_${Date.now().toString(36)}_${this.names.length}`;
    this.names.push(n);
    return n;
  }

  async drop(): Promise<void> {
    this.admin ??= await new DataSource({ type: 'postgres', url: PG_URL }).initialize();
    for (const n of this.names) {
      await this.admin.query(`DROP SCHEMA IF EXISTS "${n}" CASCADE`);
      await this.admin.query(`DROP SCHEMA IF EXISTS "${n}_rebuild" CASCADE`);
    }
    await this.admin.destroy();
  }
}

/** PostgreSQL read models in `schema`, built by the real migrations (creating the schema if needed). */
export async function openPgReadModels(schema: string): Promise<DataSource> {
  const admin = await new DataSource({ type: 'postgres', url: PG_URL }).initialize();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await admin.destroy();
  const ds = await new DataSource({
    type: 'postgres',
    url: PG_URL,
    schema,
    entities: [...READ_MODEL_ENTITIES],
    migrations: [...READ_MODEL_MIGRATIONS],
    migrationsRun: true,
    logging: false,
  }).initialize();
  return ds;
}

/** The projections' tables (rows ordered by primary key) and their checkpoints: what "identical" compares. */
export async function dumpProjections(ds: DataSource): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const p of ALL_PROJECTIONS) {
    const m = ds.getMetadata(p.entity);
    if (out[m.tableName]) continue;
    out[m.tableName] = await ds.getRepository(p.entity).find({ order: { [p.primaryKey]: 'ASC' } as never });
  }
  const cps = (await ds.query(`SELECT "name", "position" FROM "${(ds.options as { schema: string }).schema}"."projection_checkpoints" ORDER BY "name"`)) as { name: string; position: string }[];
  out.projection_checkpoints = cps.filter((c) => ALL_PROJECTIONS.some((p) => p.name === c.name)).map((c) => ({ name: c.name, position: Number(c.position) }));
  return out;
}

/** Read models rebuilt from position 0 in a fresh schema, in this process: the reference. */
export async function rebuiltFromZero(store: EventStore, schema: string): Promise<Record<string, unknown[]>> {
  const ds = await openPgReadModels(schema);
  try {
    await new ProjectionRunner({ store, dataSource: ds, projections: ALL_PROJECTIONS }).runUntilCaughtUp();
    return await dumpProjections(ds);
  } finally {
    await ds.destroy();
  }
}

/** The lowest projection checkpoint in a read-model schema (0 before the first batch). */
export async function minCheckpoint(ds: DataSource, schema: string): Promise<number> {
  const rows = (await ds.query(`SELECT count(*)::int AS n, coalesce(min("position"), 0) AS p FROM "${schema}"."projection_checkpoints" WHERE "name" = ANY($1)`, [
    ALL_PROJECTIONS.map((p) => p.name),
  ])) as { n: number; p: string }[];
  return rows[0].n === ALL_PROJECTIONS.length ? Number(rows[0].p) : 0;
}

export function projectorEnv(over: { eventsSchema: string; readSchema: string; port: number; dataDir: string } & Record<string, string | number>): Record<string, string> {
  const { eventsSchema, readSchema, port, dataDir, ...rest } = over;
  return {
    COORD_EVENT_STORE: 'postgres',
    COORD_READ_MODELS: 'postgres',
    COORD_PG_URL: PG_URL,
    COORD_PG_EVENTS_SCHEMA: eventsSchema,
    COORD_PG_READ_SCHEMA: readSchema,
    COORD_PROJECTOR_PORT: String(port),
    COORD_DATA_DIR: dataDir,
    COORD_JWT_SECRET: 'distributed-test-secret-0123456789-0123456789',
    // one deployment, one master key: processes with their own data folders would each generate their own
    // and could not open the data keys another replica wrapped (envelope encryption of confidential parts)
    COORD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)])),
  };
}
