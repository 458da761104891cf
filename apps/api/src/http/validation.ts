import { ValidationPipe, type ValidationError } from '@nestjs/common';
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
    for (const [name, text] of Object.entries(e.constraints ?? {})) {
      out.push({ field, message: MESSAGES[name]?.(text) ?? text });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/**
 * Unknown fields are refused (not silently dropped): an agency system sending a misspelt field must learn
 * about it rather than lose data. No implicit type conversion either: "12" is not an amount.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InputProblem(400, 'validation-failed', '请求参数校验失败', flatten(errors)),
  });
}
