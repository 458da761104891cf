import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import type { HttpHardeningConfig } from '@coord/platform';
import { corsOriginRefused, PROBLEM_CONTENT_TYPE, rateLimited, toProblem } from './problem-details';
import { refuseTooDeep } from './validation';

/**
 * Browser-facing headers, CORS and rate limits (docs/security-hardening.md). Installed by createApiApp
 * before Nest registers its routes (app.init), because the rate-limit plugin attaches its hook to each
 * route as the route is added. Every refusal raised here is an InputProblem built in problem-details.ts,
 * so it reaches the client through the one problem+json mapping like any other error.
 */
export async function installHttpHardening(app: NestFastifyApplication, config: HttpHardeningConfig): Promise<void> {
  // @nestjs/platform-fastify bundles its own copy of fastify's types; the plugins are typed against the
  // top-level one (the same major, the same runtime object)
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;

  await fastify.register(fastifyHelmet, {
    // 'self' covers the web console's bundled scripts and styles and the Swagger UI's files under
    // /api/docs. Styles also need 'unsafe-inline': the Swagger UI page carries <style> blocks and Ant
    // Design injects its CSS-in-JS <style> elements at run time. Scripts stay 'self' only — inline script
    // is where an injected payload would run, and neither the console nor the docs need it.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // upgrading to https on a plain-http deployment would break every script and style load
        ...(config.hsts ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS pins browsers to https for a year: only meaningful, and only safe, when served over TLS
    strictTransportSecurity: config.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });

  // Every parsed body, whether or not its route validates one: the Idempotency-Key digest and the
  // validation pipe both walk bodies recursively, and ten thousand nested arrays overflow the stack.
  fastify.addHook('preValidation', async (request: FastifyRequest) => refuseTooDeep(request.body));

  // CORS is closed unless origins are listed. A preflight from an unlisted origin, and a state-changing
  // request carrying an unlisted foreign Origin, are refused with a 403 problem; reads from elsewhere get
  // no Access-Control-Allow-Origin, so the browser withholds the answer from the foreign page.
  const allowed = new Set(config.corsOrigins);
  // Answered here rather than thrown: the CORS plugin's own OPTIONS route was added before Nest installed
  // its error handler, so a thrown refusal would bypass the problem mapping. toProblem() still builds it.
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    // (an async hook returns nothing to go on, and returns the reply only once it has sent it)
    if (origin === undefined || allowed.has(origin) || isSameOrigin(origin, request.headers.host)) return undefined;
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!preflight && SAFE_METHODS.has(request.method)) return undefined;
    const problem = { ...toProblem(corsOriginRefused()), instance: request.url.split('?')[0] };
    return reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  });
  if (allowed.size > 0) {
    await fastify.register(fastifyCors, {
      origin: [...allowed],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-correlation-id'],
      exposedHeaders: ['etag', 'location', 'retry-after', 'x-correlation-id', 'content-disposition'],
      maxAge: 600,
    });
  }

  // One store, two keys: the client address (before the body is even read) and, once the guard has
  // authenticated the request, the user. The per-user limit keeps one account from exhausting the api
  // from many addresses; the per-address limit bounds anonymous traffic (login attempts, bad tokens).
  const { perAddress, perUser, windowMs } = config.rateLimit;
  await fastify.register(fastifyRateLimit, {
    global: perAddress > 0,
    max: perAddress > 0 ? perAddress : 1,
    timeWindow: windowMs,
    hook: 'onRequest',
    keyGenerator: (request) => `address:${request.ip}`,
    // orchestrator probes and scrapes come often and from one address; they must never be throttled
    allowList: (request) => /^\/(health|metrics)(\/|\?|$)/.test(request.url),
    errorResponseBuilder: (_request, context) => rateLimited(Math.max(1, Math.ceil(context.ttl / 1000))),
  });
  if (perUser > 0) {
    const check = fastify.createRateLimit({
      max: perUser,
      timeWindow: windowMs,
      keyGenerator: (request) => `user:${(request as RequestWithActor).actor?.userId ?? ''}`,
    });
    app.useGlobalInterceptors(
      new PerUserRateLimitInterceptor(async (request) => {
        const limit = await check(request);
        return limit.isAllowed ? { isExceeded: false, ttl: 0 } : { isExceeded: limit.isExceeded, ttl: limit.ttl };
      }),
    );
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The page was served by this very host (the web console, the Swagger UI): not a cross-origin call. */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

interface RequestWithActor extends FastifyRequest {
  actor?: { userId: string };
}

type Check = (request: FastifyRequest) => Promise<{ isExceeded: boolean; ttl: number }>;

/** Runs after the auth guard (interceptors follow guards), when the request's user is known. */
class PerUserRateLimitInterceptor implements NestInterceptor {
  constructor(private readonly check: Check) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    if (request.actor?.userId) {
      const limit = await this.check(request);
      if (limit.isExceeded) {
        const seconds = Math.max(1, Math.ceil(limit.ttl / 1000));
        void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(seconds));
        throw rateLimited(seconds);
      }
    }
    return next.handle();
  }
}
