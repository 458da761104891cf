import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request a log line belongs to. The api enters it for every HTTP request (onRequest hook) and the
 * pino logger mixes `correlationId` into every line written while the request is being handled — also
 * from code that has no idea it is serving a request (the command handler, the runner's waitFor).
 */
export interface RequestContext {
  correlationId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

const CORRELATION_ID = /^[\w.:-]{1,128}$/;

/** A client-supplied X-Correlation-Id is kept only if it is a plain token (it ends up in logs and events). */
export function acceptableCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID.test(value);
}
