import { IsIn, IsObject, IsOptional, IsUUID } from 'class-validator';
import type { ValidationPipe } from '@nestjs/common';
import type { Actor } from '@coord/domain';
import { CaseStepBusCommand } from '../cases/case.bus-commands';
import { ProgressReportDto } from '../cases/case.dto';
import { IDEMPOTENCY_KEY, derivedId, nameBasedUuid, type HttpCommandMeta } from '../http/command-context';
import { InputProblem, type FieldError } from '../http/problem-details';
import { IsAgencyCode } from '../http/validators';
import { RegisterLeadBusCommand } from '../leads/lead.bus-commands';
import { RegisterLeadDto } from '../leads/lead.dto';

export const INTAKE_KINDS = ['lead', 'progress-report'] as const;
export type IntakeKind = (typeof INTAKE_KINDS)[number];

/** The envelope of an intake message; `body` is validated separately, with the HTTP route's own DTO. */
export class IntakeEnvelopeDto {
  @IsIn(INTAKE_KINDS) kind!: IntakeKind;
  @IsAgencyCode() agency!: string;
  @IsOptional() @IsUUID() caseId?: string;
  @IsObject() body!: Record<string, unknown>;
}

export interface IntakeRecord {
  key: string | null;
  value: string | null;
  correlationId?: string;
}

export interface ParsedIntake {
  kind: IntakeKind;
  agency: string;
  command: RegisterLeadBusCommand | CaseStepBusCommand;
}

const malformed = (message: string, errors: FieldError[] = []) => new InputProblem(400, 'malformed-intake-message', message, errors);

/** Re-raise a body validation problem with its fields named from the message root (`body.subject.name`). */
function underBody(error: unknown): never {
  if (error instanceof InputProblem) throw new InputProblem(error.status, error.code, error.message, error.errors.map((e) => ({ ...e, field: `body.${e.field}` })));
  throw error;
}

/**
 * Turns one intake message into the same bus command the HTTP route would send. Validation runs through
 * the api's own ValidationPipe instance (createValidationPipe: whitelist, forbidNonWhitelisted, no implicit
 * conversion, zh-CN field errors), so an intake message is accepted or refused exactly like the HTTP body.
 * Throws InputProblem for anything malformed; business rules (membership, deciders) are left to the
 * handlers, as for HTTP.
 */
export async function parseIntake(record: IntakeRecord, pipe: ValidationPipe, now: Date, today: string): Promise<ParsedIntake> {
  if (record.key === null || !IDEMPOTENCY_KEY.test(record.key)) {
    throw malformed('消息键须为单位的幂等键（8–128 位字母、数字或 ._:-）', [{ field: 'key', message: '格式不正确' }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(record.value ?? '');
  } catch {
    throw new InputProblem(400, 'malformed-json', '消息内容不是合法的 JSON');
  }
  const envelope = (await pipe.transform(json, { type: 'body', metatype: IntakeEnvelopeDto })) as IntakeEnvelopeDto;
  if (envelope.kind === 'progress-report' && envelope.caseId === undefined) throw malformed('案情报告须指明案件', [{ field: 'caseId', message: '必填' }]);
  if (envelope.kind === 'lead' && envelope.caseId !== undefined) throw malformed('线索报送不带案件编号', [{ field: 'caseId', message: '不允许的字段' }]);

  const actor: Actor = { userId: `intake:${envelope.agency}`, username: `intake:${envelope.agency}`, role: 'agency', agency: envelope.agency };
  // the key is scoped to (agency, kind), as the HTTP Idempotency-Key is to (user, route): a redelivered
  // message maps to the same command id, so the command handler replays the first result and writes nothing
  const commandId = nameBasedUuid(`intake|${envelope.agency}|${envelope.kind}|${record.key}`);
  const meta: HttpCommandMeta = {
    commandId,
    correlationId: record.correlationId && /^[\w.:-]{1,128}$/.test(record.correlationId) ? record.correlationId : commandId,
    idempotencyKeyGiven: true,
    ctx: { actor, at: now.toISOString(), today },
  };
  if (envelope.kind === 'lead') {
    const body = (await pipe.transform(envelope.body, { type: 'body', metatype: RegisterLeadDto }).catch(underBody)) as RegisterLeadDto;
    return { kind: 'lead', agency: envelope.agency, command: new RegisterLeadBusCommand(body, meta) };
  }
  const b = (await pipe.transform(envelope.body, { type: 'body', metatype: ProgressReportDto }).catch(underBody)) as ProgressReportDto;
  // exactly the command POST /api/cases/:id/progress-reports sends
  const reportId = derivedId(meta, 'progress-report');
  return {
    kind: 'progress-report',
    agency: envelope.agency,
    command: new CaseStepBusCommand(envelope.caseId!, { type: 'ReportCaseProgress', reportId, stage: b.stage, summary: b.summary, reportedOn: b.reportedOn }, meta),
  };
}

export const REDACTED = '[已删除：举报人信息不进入死信队列]';

/** A copy of a JSON value with every `informant` member replaced: the dead-letter topic never holds it. */
export function redactInformant(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactInformant);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k.toLowerCase() === 'informant' ? REDACTED : redactInformant(v)]));
  }
  return value;
}

/**
 * The value copied to the dead-letter topic: the original with informants redacted. A value that is not
 * JSON cannot be redacted field by field, so it is copied only when it cannot hold an informant at all.
 */
export function deadLetterValue(original: string | null): { value: string | null; withheld: boolean } {
  if (original === null) return { value: null, withheld: false };
  try {
    return { value: JSON.stringify(redactInformant(JSON.parse(original))), withheld: false };
  } catch {
    return /informant|举报/i.test(original) ? { value: null, withheld: true } : { value: original, withheld: false };
  }
}
