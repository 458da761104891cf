import type { Actor } from './actor';
import type { AgencyCode } from './agency';
import { refuse } from './domain-error';
import type { LocalDate } from './local-date';
import { isLocalDate } from './local-date';

/**
 * Readers never write: leadership (组长/副组长/县委) and auditors only read dashboards and history. Every
 * decider calls this first so that a read-only token can never produce an event, whatever the command.
 * An agency user without an agency would be scoped to nothing, so it is refused too.
 */
export function assertCanWrite(actor: Actor): void {
  if (actor.role === 'leadership' || actor.role === 'auditor') {
    refuse('read-only-role', '领导和审计角色只能查阅，不能办理', 'forbidden');
  }
  if (actor.role === 'agency' && !actor.agency) {
    refuse('agency-missing', '成员单位用户未绑定单位', 'forbidden');
  }
}

/** The coordination office (协调小组办公室) or, where a caller allows it, the system itself (seeding). */
export function assertOffice(actor: Actor, opts: { allowSystem?: boolean } = {}): void {
  assertCanWrite(actor);
  if (actor.role === 'office') return;
  if (opts.allowSystem && actor.role === 'system') return;
  refuse('office-only', '只有协调小组办公室可以办理此事项', 'forbidden');
}

export const isOffice = (actor: Actor): boolean => actor.role === 'office';

/** True when the actor is the office or an agency user acting for one of `agencies`. */
export const actsFor = (actor: Actor, ...agencies: AgencyCode[]): boolean =>
  actor.role === 'office' || (actor.role === 'agency' && actor.agency !== undefined && agencies.includes(actor.agency));

/** Free-text fields that carry the reason for a step (理由, 说明) must say something. */
export function requireText(value: string | undefined, field: string, code: string, label: string): string {
  if (typeof value !== 'string' || value.trim() === '') refuse(code, `${label}不能为空`, 'invalid', field);
  return value as string;
}

/** Business dates may not lie after today: a step cannot be recorded as having happened tomorrow. */
export function requireDateNotAfterToday(date: LocalDate, today: LocalDate, field: string, code = 'date-in-future'): void {
  if (!isLocalDate(date)) refuse('date-invalid', `日期格式应为 YYYY-MM-DD：${String(date)}`, 'invalid', field);
  if (date > today) refuse(code, `日期不能晚于今天（${today}）`, 'invalid', field);
}

export function requireDate(date: LocalDate, field: string): void {
  if (!isLocalDate(date)) refuse('date-invalid', `日期格式应为 YYYY-MM-DD：${String(date)}`, 'invalid', field);
}

/** Closed vocabularies (source, method, stage…) are checked here too: the decider does not trust its caller. */
export function requireOneOf<T extends string>(value: string, allowed: readonly T[], field: string, label: string): T {
  if (!(allowed as readonly string[]).includes(value)) refuse(`${field}-invalid`, `${label}无效：${String(value)}`, 'invalid', field);
  return value as T;
}
