import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to the server, never to the single-page app: an unknown one stays a problem+json 404. */
const SERVER_PATHS = /^\/(api|health|metrics)(\/|$|\?)/;

/**
 * The built web console (`npm run build` → dist/web). Found by walking up from this file to the folder
 * holding package.json, so it works from the compiled api (dist/apps/api/…) and from the sources under
 * jest alike; the working directory and the environment play no part.
 */
export function webConsoleRoot(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const root = resolve(dir, 'dist', 'web');
      return existsSync(join(root, 'index.html')) ? root : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Serves the console at `/`: its files as they are, and index.html for any other GET outside /api,
 * /health and /metrics (client-side routes such as /leads/… survive a reload). Nothing is served when the
 * console was not built (an api-only build, the e2e tests): then `/` is the usual problem+json 404.
 */
export async function installWebConsole(app: NestFastifyApplication, root: string | undefined = webConsoleRoot()): Promise<boolean> {
  if (!root) return false;
  // wildcard: false — the files present at start (index.html, hashed assets) get their own routes, so
  // the catch-all below sees only the paths that are not files.
  // typed against the top-level fastify (Nest bundles its own copy of the types; same runtime object)
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  await fastify.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
  fastify.get('/*', (req: FastifyRequest, reply: FastifyReply) => {
    if (SERVER_PATHS.test(req.url) || /\.[a-z0-9]+$/i.test(req.url.split('?')[0])) {
      // an API path nobody routed, or a missing asset: Nest's not-found handler answers (problem+json)
      reply.callNotFound();
      return reply;
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  return true;
}
