import { createHash, randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { shanghaiDateOf, type Actor } from '@coord/domain';
import { InputProblem } from './problem-details';

/**
 * Everything a command needs from the HTTP request besides its body: who, when, which command
 * (idempotency), and the version the client last saw (If-Match).
 */
export interface HttpCommandMeta {
  commandId: string;
  correlationId: string;
  idempotencyKeyGiven: boolean;
  ifMatch?: number;
  ctx: { actor: Actor; at: string; today: string };
}

/** A name-based UUID (RFC 4122 version 5 layout over SHA-1): the same inputs always give the same id. */
export function nameBasedUuid(name: string): string {
  const h = createHash('sha1').update('coord:').update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Ids of things a command creates (a lead, a transfer) follow from the command id, so a repeat finds them. */
export const derivedId = (meta: HttpCommandMeta, purpose: string): string =>
  meta.idempotencyKeyGiven ? nameBasedUuid(`${meta.commandId}/${purpose}`) : randomUUID();

export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!m) throw new InputProblem(400, 'invalid-if-match', 'If-Match 必须是记录版本号，如 "3"', [{ field: 'If-Match', message: '格式不正确' }]);
  return Number(m[1]);
}

const IDEMPOTENCY_KEY = /^[\w.:-]{8,128}$/;

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  url: string;
  actor?: Actor;
}

export function commandMetaOf(request: RequestLike, now: Date = new Date()): HttpCommandMeta {
  if (!request.actor) throw new Error('command without an authenticated actor');
  const header = (name: string) => {
    const v = request.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const key = header('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new InputProblem(400, 'invalid-idempotency-key', 'Idempotency-Key 须为 8–128 位字母、数字或 ._:-', [{ field: 'Idempotency-Key', message: '格式不正确' }]);
  }
  const path = request.url.split('?')[0];
  // The key is scoped to the user and the exact resource path, so two users (or two leads) never collide.
  const commandId = key ? nameBasedUuid(`${request.actor.userId}|${request.method} ${path}|${key}`) : randomUUID();
  const correlation = header('x-correlation-id');
  return {
    commandId,
    correlationId: correlation && /^[\w.:-]{1,128}$/.test(correlation) ? correlation : commandId,
    idempotencyKeyGiven: key !== undefined,
    ifMatch: parseIfMatch(header('if-match')),
    ctx: { actor: request.actor, at: now.toISOString(), today: shanghaiDateOf(now) },
  };
}

export const CommandMeta = createParamDecorator((_: unknown, ctx: ExecutionContext): HttpCommandMeta =>
  commandMetaOf(ctx.switchToHttp().getRequest<RequestLike>()),
);
