import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { PostgresEventStore } from '@coord/event-store';
import { type Child, dumpProjections, ENTRY, eventually, freePort, openPgReadModels, PG_URL, PgSchemas, projectorEnv, rebuiltFromZero, spawnChild } from './support/processes';

jest.setTimeout(120_000);

const ADMIN_PASSWORD = 'distributed-admin-password';
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const leadBody = (i: number, informant?: { name: string; contact: string }) => ({
  source: 'audit-finding',
  reportingAgency: 'audit-bureau',
  subject: { name: `副本干部${i}`, post: '局长', unit: '县住建局' },
  allegation: '在工程招投标中收受好处费',
  receivedOn: today(),
  important: i % 2 === 0,
  ...(informant ? { informant } : {}),
});

/**
 * The distributed profile for real: two api processes (COORD_EMBEDDED_PROJECTOR=false, different ports,
 * different data folders, one JWT secret) and one projector process, all on a PostgreSQL event store and
 * PostgreSQL read models. Every request goes over HTTP to the child processes.
 */
describe('two api replicas and a projector on PostgreSQL', () => {
  const schemas = new PgSchemas();
  const children: Child[] = [];
  const dirs: string[] = [];
  const eventsSchema = schemas.name('rep_ev');
  const readSchema = schemas.name('rep_rm');
  let apis: string[] = [];
  let projector: Child;
  const replicas: Child[] = [];
  let env: (extra: Record<string, string | number>) => Record<string, string>;

  beforeAll(async () => {
    env = (extra) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'coord-rep-'));
      dirs.push(dataDir);
      return projectorEnv({ eventsSchema, readSchema, dataDir, port: 0, COORD_ADMIN_PASSWORD: ADMIN_PASSWORD, COORD_EMBEDDED_PROJECTOR: 'false', COORD_PROJECTION_POLL_MS: 50, ...extra });
    };
    projector = spawnChild('projector', ENTRY.projector, env({ COORD_PROJECTOR_PORT: await freePort() }));
    children.push(projector);
    const ports = [await freePort(), await freePort()];
    apis = ports.map((p) => `http://127.0.0.1:${p}`);
    // One after the other: the first seeds the group and the admin account.
    for (const [i, port] of ports.entries()) {
      const api = spawnChild(`api-${i + 1}`, ENTRY.api, env({ PORT: port }));
      children.push(api);
      replicas.push(api);
      await eventually(`api ${i + 1} ready`, async () => ((await fetch(`${apis[i]}/health/ready`)).status === 200 ? true : undefined), 40_000, [api, projector], 200);
    }
  });
  afterAll(async () => {
    for (const c of children) await c.kill('SIGKILL');
    await schemas.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('serves commands and reads on both replicas, numbers ledgers gaplessly under concurrency, and rebuilds while reads continue', async () => {
    const [a, b] = apis;
    const login = await request(a).post('/api/auth/login').send({ username: 'admin', password: ADMIN_PASSWORD }).expect(200);
    const auth = { authorization: `Bearer ${login.body.accessToken as string}` };
    // a token from one replica is accepted by the other (shared secret, stateless auth)
    await request(b).get('/api/leads').set(auth).expect(200);

    // concurrent registrations on both replicas
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        request(i % 2 ? b : a)
          .post('/api/leads')
          .set(auth)
          .set('x-correlation-id', `dist-test-${i}`)
          .send(leadBody(i, i === 3 ? { name: '举报人副本', contact: '13911112222' } : undefined))
          .expect(201),
      ),
    );
    expect(results[5].headers['x-correlation-id']).toBe('dist-test-5');
    const numbers = results.map((r) => r.body.ledgerNo as string);
    expect(new Set(numbers).size).toBe(24);
    const seqs = numbers.map((n) => Number(/(\d+)$/.exec(n)![1])).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 24 }, (_, i) => seqs[0] + i)); // gapless
    const last = Math.max(...results.map((r) => r.body.position as number));

    // read-your-writes on either replica once the projector (another process) has caught up
    for (const api of [b, a]) {
      const list = await request(api).get(`/api/leads?minPosition=${last}&limit=100`).set(auth).expect(200);
      expect(list.body.total).toBe(24);
    }

    // operations endpoints
    for (const api of apis) {
      expect((await request(api).get('/health/live').expect(200)).body.status).toBe('ok');
      const ready = await request(api).get('/health').expect(200);
      expect(Object.keys(ready.body.details)).toEqual(expect.arrayContaining(['eventStore', 'readModels']));
    }
    const metricsA = (await request(a).get('/metrics').expect(200)).text;
    expect(metricsA).toMatch(/^coord_event_store_append_duration_seconds_count\{operation="appendMulti",outcome="ok"\} [1-9]/m);
    expect(metricsA).toMatch(/^coord_projection_lag_events\{projection="lead-register"\} 0$/m);
    expect(metricsA).toMatch(/^coord_projection_runner_active 0$/m); // the api replica does not project
    expect(metricsA).toMatch(/^coord_process_resident_memory_bytes /m);
    const projectorPort = Number(projector.output().match(/on :(\d+)/)?.[1]);
    const metricsP = await (await fetch(`http://127.0.0.1:${projectorPort}/metrics`)).text();
    expect(metricsP).toMatch(/^coord_projection_runner_active 1$/m);
    expect(metricsP).toMatch(/^coord_projection_lag_seconds\{projection="lead-register"\} 0$/m);

    // rebuild (the npm script's entry point, a separate process) while both replicas keep answering
    const rebuild = spawnChild('rebuild', ENTRY.rebuild, env({ COORD_PROJECTION_BATCH_SIZE: 5 }));
    children.push(rebuild);
    let reads = 0;
    while (rebuild.proc.exitCode === null) {
      const list = await request(reads % 2 ? b : a).get('/api/leads?limit=1').set(auth).expect(200);
      expect(list.body.total).toBe(24); // never an empty (or half-built) table
      reads += 1;
    }
    expect(await rebuild.exited).toBe(0);
    expect(rebuild.output()).toContain('shadow read models swapped in');
    expect(reads).toBeGreaterThan(3);

    // the live projector carries on after the swap
    const after = await request(b).post('/api/leads').set(auth).send(leadBody(99)).expect(201);
    expect((await request(a).get(`/api/leads?minPosition=${after.body.position}`).set(auth).expect(200)).body.total).toBe(25);

    const store = await PostgresEventStore.connect({ connectionString: PG_URL, schema: eventsSchema });
    const live = await openPgReadModels(readSchema);
    expect(await dumpProjections(live)).toEqual(await rebuiltFromZero(store, schemas.name('rep_ref')));
    await live.destroy();
    await store.close();

    // logs: correlation ids on the request's lines, never the informant, a token or a body
    const logs = replicas.map((r) => r.output()).join('\n');
    expect(logs).toMatch(/"correlationId":"dist-test-\d+".*POST \/api\/leads 201/);
    expect(logs).not.toContain('举报人副本');
    expect(logs).not.toContain('13911112222');
    expect(logs).not.toContain(login.body.accessToken as string);
  });
});
