import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { renderMetrics, type Infrastructure } from '@coord/platform';

/**
 * The projector's only HTTP surface, on COORD_PROJECTOR_PORT, all public (no data, no ids):
 *   GET /health/live   the process is up (200 while the event loop turns)
 *   GET /health/ready  store, read-model database and every registered check (Kafka…) answer; 503 if not
 *   GET /health        = /health/ready
 *   GET /metrics       Prometheus text: lag per projection, lease, applied events, append latency, process
 * A standby projector (lease held elsewhere) is ready: standing by is its job.
 */
export function startProjectorHttp(infra: Infrastructure, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    handle(infra, req, res).catch((e: Error) => send(res, 500, 'application/json', JSON.stringify({ status: 'error', message: e.message })));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

async function handle(infra: Infrastructure, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');
  if (path === '/health/live') {
    return send(res, 200, 'application/json', JSON.stringify({ status: 'ok', runner: runnerInfo(infra) }));
  }
  if (path === '/health' || path === '/health/ready') {
    const checks = await infra.readiness.run();
    const up = Object.values(checks).every((c) => c.status === 'up');
    const body = { status: up ? 'ok' : 'error', runner: runnerInfo(infra), checks };
    return send(res, up ? 200 : 503, 'application/json', JSON.stringify(body));
  }
  if (path === '/metrics') {
    const { contentType, body } = await renderMetrics();
    return send(res, 200, contentType, body);
  }
  send(res, 404, 'text/plain', 'not found');
}

function runnerInfo(infra: Infrastructure) {
  return { active: infra.runner.isActive(), holder: infra.runner.leaseHolder };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}
