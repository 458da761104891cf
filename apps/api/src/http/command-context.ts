import { createHash, randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { shanghaiDateOf, type Actor } from '@coord/domain';
import { uuidV5 } from '@coord/event-store';
import { InputProblem } from './problem-details';

/**
 * Everything a command needs from the HTTP request besides its body: who, when, which command
 * (idempotency), and the version the client last saw (If-Match).
 */
export interface HttpCommandMeta {
  commandId: string;
  correlationId: string;
  idempotencyKeyGiven: boolean;
  commandHash?: string;
  ifMatch?: number;
  ctx: { actor: Actor; at: string; today: string };
}

/** A name-based UUID (version 5): the same inputs always give the same id. */
export const nameBasedUuid = (name: string): string => uuidV5(name);

/**
 * A digest of what the client asked for: method, path and body with keys sorted (so key order does not
 * matter). An Idempotency-Key repeated with a different body is then refused instead of being answered
 * with the first result.
 */
export function requestDigest(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n`).update(canonicalJson(body)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
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

export const IDEMPOTENCY_KEY = /^[\w.:-]{8,128}$/;

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  url: string;
  body?: unknown;
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
    ...(key !== undefined ? { commandHash: requestDigest(request.method, path, request.body ?? null) } : {}),
    ifMatch: parseIfMatch(header('if-match')),
    ctx: { actor: request.actor, at: now.toISOString(), today: shanghaiDateOf(now) },
  };
}

export const CommandMeta = createParamDecorator((_: unknown, ctx: ExecutionContext): HttpCommandMeta =>
  commandMetaOf(ctx.switchToHttp().getRequest<RequestLike>()),
);
