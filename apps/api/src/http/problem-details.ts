import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '@coord/domain';
import { IdempotencyConflictError, IdempotencyKeyReusedError, WrongExpectedVersionError } from '@coord/event-store';

/**
 * RFC 9457 problem details. This file is the ONE place where errors become what a client sees: the Nest
 * exception filter (which Nest also routes Fastify's own request errors through) calls toProblem().
 */
export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Raised by the validation pipe and by services for input that is well-formed but unacceptable. */
export class InputProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'InputProblem';
  }
}

/** Too many requests from one address or one user (http-hardening.ts sets Retry-After before raising it). */
export const rateLimited = (retryAfterSeconds: number): InputProblem =>
  new InputProblem(429, 'rate-limited', `请求过于频繁，请 ${retryAfterSeconds} 秒后再试`);

/** A browser preflight from an origin that COORD_CORS_ORIGINS does not list. */
export const corsOriginRefused = (): InputProblem => new InputProblem(403, 'cors-origin-refused', '不允许来自该来源的跨域请求');

const DOMAIN_STATUS: Record<DomainErrorKind, number> = {
  conflict: HttpStatus.CONFLICT,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
};

const TITLES: Record<number, string> = {
  400: '请求无效',
  401: '未登录或登录已失效',
  403: '无权执行此操作',
  404: '未找到',
  405: '不支持的请求方法',
  409: '操作与当前状态冲突',
  410: '已不存在（已销毁）',
  412: '前置条件不满足',
  413: '请求体过大',
  415: '不支持的内容类型',
  422: '请求内容不符合业务规则',
  428: '缺少前置条件',
  429: '请求过于频繁',
  503: '服务暂不可用',
  500: '服务器内部错误',
};

const problem = (status: number, code: string, detail?: string, errors?: FieldError[]): Problem => ({
  type: `urn:coord:problem:${code}`,
  title: TITLES[status] ?? 'Error',
  status,
  code,
  ...(detail ? { detail } : {}),
  ...(errors && errors.length ? { errors } : {}),
});

/**
 * Requests Fastify refuses before routing (malformed JSON, an oversized body, an unsupported media type)
 * reach Nest's error handler, which rewraps them as a plain HttpException with Fastify's status and
 * message (RoutesResolver.mapExternalException) — the Fastify error code is lost on the way. Our own
 * code never throws a plain HttpException, so its status tells which of these it was.
 */
function fromRefusedRequest(error: HttpException): Problem | undefined {
  if (error.constructor !== HttpException) return undefined;
  switch (error.getStatus()) {
    case 400:
      return /json/i.test(error.message) ? problem(400, 'malformed-json', '请求体不是合法的 JSON') : problem(400, 'bad-request', '请求格式不正确');
    case 413:
      return problem(413, 'body-too-large', '请求体超过允许的大小');
    case 415:
      return problem(415, 'unsupported-media-type', '仅接受 application/json 请求体');
    default:
      return undefined;
  }
}

export function toProblem(error: unknown): Problem {
  if (error instanceof InputProblem) return problem(error.status, error.code, error.message, error.errors);
  if (error instanceof DomainError) {
    return problem(DOMAIN_STATUS[error.kind], error.code, error.message, error.field ? [{ field: error.field, message: error.message }] : undefined);
  }
  if (error instanceof WrongExpectedVersionError) {
    return problem(409, 'version-conflict', `记录已被他人修改（当前版本 ${error.actual}），请刷新后重试`);
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return problem(422, 'idempotency-key-reused', '该幂等键已用于内容不同的请求，请使用新的幂等键', [{ field: 'Idempotency-Key', message: '已用于内容不同的请求' }]);
  }
  if (error instanceof IdempotencyConflictError) {
    return problem(409, 'idempotency-conflict', '该幂等键已用于另一项不同的操作');
  }
  if (error instanceof HttpException) {
    const refused = fromRefusedRequest(error);
    if (refused) return refused;
    const status = error.getStatus();
    const code =
      status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : status === 404 ? 'not-found' : status === 405 ? 'method-not-allowed' : `http-${status}`;
    const detail = status === 404 ? '请求的资源不存在' : status === 401 ? '请先登录' : status === 403 ? '当前账号无权执行此操作' : undefined;
    return problem(status, code, detail);
  }
  return problem(500, 'internal-error', '服务器内部错误，已记录');
}
