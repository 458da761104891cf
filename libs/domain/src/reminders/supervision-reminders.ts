import { refuse } from '../shared/domain-error';
import type { SupervisionState } from '../supervision/supervision.decider';
import type { SupervisionReminderCommand } from './reminder.commands';
import type { SupervisionReminderEvent } from './reminder.events';
import { checkRung, daysOverdue, reminderKey } from './reminder-rules';

/**
 * 催办 / 升级督办 of a supervision item. Pure; called from the supervision decider.
 *
 * No-ops (not refusals) when there is nothing to chase any more — the item was closed, its result awaits
 * the office's review, the due date moved (extension), or this rung already fired for this due date —
 * because the scheduler races with people: a tick computed on a read model one event behind must not
 * turn into an error, and a re-fire after a crash must record nothing.
 */
export function decideSupervisionReminder(command: SupervisionReminderCommand, state: SupervisionState): SupervisionReminderEvent[] {
  const escalation = command.type === 'EscalateSupervisionItem';
  checkRung(command.ctx, command, escalation);
  if (state.status === 'none') return refuse('supervision-not-found', '督办事项不存在', 'not-found');
  if (state.status !== 'in-progress') return [];
  if (command.dueOn !== state.dueOn) return [];
  if ((state.reminders ?? []).includes(reminderKey('item', command.step, command.dueOn))) return [];
  const today = command.ctx.today;
  const facts = { itemId: state.itemId, step: command.step, dueOn: state.dueOn, agency: state.assigneeAgency, ref: state.itemNo, title: state.title ?? state.itemNo };
  if (command.type === 'EscalateSupervisionItem') {
    return [{ type: 'supervision.escalated', data: { ...facts, level: command.level, toRole: 'group-leader', daysOverdue: daysOverdue(state.dueOn, today), escalatedOn: today } }];
  }
  return [{ type: 'supervision.reminder-sent', data: { ...facts, remindedOn: today } }];
}

/** The state change of a reminder event: remember the rung so it never fires twice. */
export const rememberSupervisionReminder = <S extends { reminders?: readonly string[] }>(state: S, e: SupervisionReminderEvent): S => ({
  ...state,
  reminders: [...(state.reminders ?? []), reminderKey('item', e.data.step, e.data.dueOn)],
});
