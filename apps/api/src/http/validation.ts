import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { InputProblem, type FieldError } from './problem-details';

/** zh-CN texts for class-validator constraints; the field is named separately in each error. */
const MESSAGES: Record<string, (c: string) => string> = {
  whitelistValidation: () => '不允许的字段',
  isDefined: () => '必填',
  isNotEmpty: () => '不能为空',
  isString: () => '必须是字符串',
  isBoolean: () => '必须是布尔值',
  isInt: () => '必须是整数',
  isPositive: () => '必须是正数',
  isArray: () => '必须是数组',
  arrayNotEmpty: () => '至少需要一项',
  arrayMinSize: () => '项数不足',
  arrayMaxSize: () => '项数过多',
  arrayUnique: () => '不能有重复项',
  isIn: () => '取值不在允许范围内',
  isEnum: () => '取值不在允许范围内',
  min: () => '数值过小',
  max: () => '数值过大',
  maxLength: () => '长度超过上限',
  minLength: () => '长度不足',
  isUUID: () => '必须是 UUID',
  isUuid: () => '必须是 UUID',
  isLocalDate: () => '必须是有效日期（YYYY-MM-DD）',
  isAgencyCode: () => '单位代码格式不正确',
  isSafeInteger: () => '必须是安全范围内的整数',
  matches: () => '格式不正确',
  isObject: () => '必须是对象',
  nestedValidation: () => '必须是对象',
};

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const constraints = Object.entries(e.constraints ?? {});
    if (e.value === undefined && constraints.length > 0 && !('whitelistValidation' in (e.constraints ?? {}))) {
      // a missing field: one clear message instead of every rule it would also break ("too long", …)
      out.push({ field, message: '必填' });
      continue;
    }
    for (const [name, text] of constraints) {
      out.push({ field, message: MESSAGES[name]?.(text) ?? text });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/**
 * The path of the first string in `value` that holds a C0 control character other than tab, line feed
 * and carriage return. Such characters are never legitimate in a ledger entry, and PostgreSQL's jsonb
 * refuses U+0000 outright — refusing them at the edge keeps both stores accepting the same input.
 */
export function findControlCharacter(value: unknown, path = ''): string | undefined {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (typeof value === 'string') return /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value) ? path || '(body)' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const found = findControlCharacter(v, path ? `${path}.${k}` : k);
    if (found) return found;
  }
  return undefined;
}

/** No command nests deeper than a few levels; JSON far deeper is hostile, not a mistake. */
export const MAX_NESTING = 32;

/**
 * The path of the first array or object nested deeper than MAX_NESTING, looking no deeper than that: a
 * body of ten thousand nested arrays fits in 64 KiB, parses, and then overflows the stack of the
 * recursive transformer and validator (a 500) unless refused first.
 */
export function findTooDeep(value: unknown, path = '', depth = 0): string | undefined {
  // parsed JSON only: an uploaded file's Buffer is not walked byte by byte
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return undefined;
  if (depth >= MAX_NESTING) return path || '(body)';
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const found = findTooDeep(v, path ? `${path}.${k}` : k, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Raised at the edge for every request body (http-hardening.ts) and again here for intake messages. */
export function refuseTooDeep(value: unknown): void {
  const deep = findTooDeep(value);
  if (deep) throw new InputProblem(400, 'validation-failed', '请求参数校验失败', [{ field: deep, message: `嵌套层级超过 ${MAX_NESTING} 层` }]);
}

class CoordValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      refuseTooDeep(value);
      const field = findControlCharacter(value);
      if (field) throw new InputProblem(400, 'validation-failed', '请求参数校验失败', [{ field, message: '不能包含控制字符' }]);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Unknown fields are refused (not silently dropped): an agency system sending a misspelt field must learn
 * about it rather than lose data. No implicit type conversion either: "12" is not an amount.
 */
export function createValidationPipe(): ValidationPipe {
  return new CoordValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // value is read only to tell a missing field from a wrong one; it is never echoed back
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new InputProblem(400, 'validation-failed', '请求参数校验失败', flatten(errors)),
  });
}
