import type { CommandContext } from '../shared/actor';
import { refuse } from '../shared/domain-error';
import { assertOffice, requireDate } from '../shared/guards';
import { daysBetween, type LocalDate } from '../shared/local-date';

/** The idempotency key of one rung for one due date (kept in the aggregate's state). */
export const reminderKey = (scope: string, step: string, dueOn: LocalDate): string => `${scope}:${step}@${dueOn}`;

/**
 * The checks every reminder and escalation command shares. 催办 is the office's work: the scheduler does it
 * as the system, and an office user may do it by hand; agencies and readers never do.
 */
export function checkRung(ctx: CommandContext, rung: { step: string; dueOn: LocalDate; level?: number }, escalation: boolean): void {
  assertOffice(ctx.actor, { allowSystem: true });
  if (typeof rung.step !== 'string' || rung.step.trim() === '') refuse('step-required', '催办环节不能为空', 'invalid', 'step');
  requireDate(rung.dueOn, 'dueOn');
  if (escalation) {
    if (!Number.isInteger(rung.level) || (rung.level as number) < 1) refuse('level-invalid', '升级层级须为正整数', 'invalid', 'level');
    // escalating before the deadline passed would be a scheduler bug: refuse loudly rather than record it
    if (ctx.today <= rung.dueOn) refuse('not-overdue', `办理期限（${rung.dueOn}）尚未届满，不能升级督办`, 'conflict', 'dueOn');
  } else if (ctx.today > rung.dueOn) {
    // past the deadline a reminder is too late: the escalation ladder takes over
    refuse('already-overdue', `办理期限（${rung.dueOn}）已过，应升级督办而非催办`, 'conflict', 'dueOn');
  }
}

export const daysOverdue = (dueOn: LocalDate, today: LocalDate): number => daysBetween(dueOn, today);

/** The subject line of a lead (the person reported on), as the follow-up lists show it. */
export const leadTitle = (s: { name: string; unit: string; post: string }): string => `${s.name}（${s.unit}${s.post}）`;
