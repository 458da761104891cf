import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { acceptableCorrelationId, requestContext } from '@coord/platform';

const START = Symbol('coordRequestStart');
const CORRELATION = Symbol('coordCorrelationId');
type Tracked = FastifyRequest & { [START]?: bigint; [CORRELATION]?: string };

/**
 * Correlation ids and one access-log line per request.
 *
 * - The client's `X-Correlation-Id` (if a plain token) or a fresh UUID becomes the request's correlation
 *   id: echoed in the response header, mixed into every log line of the request (AsyncLocalStorage +
 *   pino mixin) and — because it is written back to the request header that commandMetaOf reads — stored
 *   as the correlation id of the events the request appends, so a log line leads to its events.
 * - The access line names the method, the ROUTE PATTERN (`/api/leads/:id`, never the URL: no ids, no
 *   query string with search terms), the status and the duration. Never a body, a header value or a
 *   token: the informant and other confidential fields cannot reach a log line through here.
 */
export function installRequestLogging(fastify: FastifyInstance): void {
  const logger = new Logger('http');
  fastify.addHook('onRequest', (request: Tracked, reply, done) => {
    const given = request.headers['x-correlation-id'];
    const correlationId = acceptableCorrelationId(given) ? given : randomUUID();
    request.headers['x-correlation-id'] = correlationId;
    request[START] = process.hrtime.bigint();
    request[CORRELATION] = correlationId;
    void reply.header('x-correlation-id', correlationId);
    requestContext.run({ correlationId }, done);
  });
  fastify.addHook('onResponse', (request: Tracked, reply, done) => {
    const ms = request[START] === undefined ? 0 : Number(process.hrtime.bigint() - request[START]) / 1e6;
    const route = request.routeOptions?.url ?? 'unmatched';
    requestContext.run({ correlationId: request[CORRELATION] ?? 'none' }, () => logger.log(`${request.method} ${route} ${reply.statusCode} ${ms.toFixed(1)}ms`));
    done();
  });
}
