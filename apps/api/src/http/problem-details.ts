import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '@coord/domain';
import { IdempotencyConflictError, WrongExpectedVersionError } from '@coord/event-store';

/**
 * RFC 9457 problem details. This file is the ONE place where errors become what a client sees: the Nest
 * exception filter and Fastify's own error handler (for errors raised before Nest routing, e.g. malformed
 * JSON or an oversized body) both call toProblem().
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

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** Fastify's own error codes for requests it refuses before Nest sees them. */
const FASTIFY_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed-json', '请求体不是合法的 JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed-json', '请求体为空，但声明为 JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body-too-large', '请求体超过允许的大小'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type', '仅接受 application/json 请求体'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid-content-length', 'Content-Length 与请求体不符'],
};

export function toProblem(error: unknown): Problem {
  if (error instanceof InputProblem) return problem(error.status, error.code, error.message, error.errors);
  if (error instanceof DomainError) {
    return problem(DOMAIN_STATUS[error.kind], error.code, error.message, error.field ? [{ field: error.field, message: error.message }] : undefined);
  }
  if (error instanceof WrongExpectedVersionError) {
    return problem(409, 'version-conflict', `记录已被他人修改（当前版本 ${error.actual}），请刷新后重试`);
  }
  if (error instanceof IdempotencyConflictError) {
    return problem(409, 'idempotency-conflict', '该幂等键已用于另一项不同的操作');
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code =
      status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : status === 404 ? 'not-found' : status === 405 ? 'method-not-allowed' : `http-${status}`;
    const detail = status === 404 ? '请求的资源不存在' : status === 401 ? '请先登录' : status === 403 ? '当前账号无权执行此操作' : undefined;
    return problem(status, code, detail);
  }
  const fe = error as FastifyLikeError;
  if (fe && typeof fe === 'object' && typeof fe.code === 'string' && FASTIFY_ERRORS[fe.code]) {
    const [status, code, detail] = FASTIFY_ERRORS[fe.code];
    return problem(status, code, detail);
  }
  if (fe && typeof fe === 'object' && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return problem(fe.statusCode, `http-${fe.statusCode}`);
  }
  return problem(500, 'internal-error', '服务器内部错误，已记录');
}
