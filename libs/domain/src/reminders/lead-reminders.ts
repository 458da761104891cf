import { refuse } from '../shared/domain-error';
import type { LeadState } from '../lead/lead.decider';
import type { LeadReminderCommand } from './reminder.commands';
import { TRANSFER_CLOCKS, type LeadReminderEvent } from './reminder.events';
import { checkRung, daysOverdue, leadTitle, reminderKey } from './reminder-rules';

const CONCLUDABLE = ['talk-inquiry', 'preliminary-verification'];

const transferScope = (transferId: string, clock: string) => `transfer:${transferId}:${clock}`;
const dispositionScope = (method: string) => `disposition:${method}`;

/**
 * 催办 / 升级 of a lead's working-day clocks: a transfer not acknowledged (签收) or not answered (接收/退回/
 * 转送) in time, and a 谈话函询 / 初步核实 not concluded in time. Pure; called from the lead decider.
 *
 * The due date is the scheduler's (it depends on configured clocks and the editable calendar, neither of
 * which the decider sees); what the decider guarantees is that the obligation is still open and that a
 * rung fires once per due date. Anything already answered, concluded, converted or closed is a no-op.
 */
export function decideLeadReminder(command: LeadReminderCommand, state: LeadState): LeadReminderEvent[] {
  const escalation = command.type === 'EscalateLeadTransfer' || command.type === 'EscalateLeadDisposition';
  checkRung(command.ctx, command, escalation);
  if (state.status === 'none') return refuse('lead-not-found', '线索不存在', 'not-found');
  if (state.status !== 'registered') return [];
  const today = command.ctx.today;
  const reminded = state.reminders ?? [];
  const base = { leadId: state.leadId, step: command.step, dueOn: command.dueOn, ref: state.ledgerNo, title: leadTitle(state.subject) };
  const escalationOf = (level: number) => ({ level, toRole: 'group-leader' as const, daysOverdue: daysOverdue(command.dueOn, today), escalatedOn: today });

  if (command.type === 'RemindLeadTransfer' || command.type === 'EscalateLeadTransfer') {
    if (!(TRANSFER_CLOCKS as readonly string[]).includes(command.clock)) refuse('clock-invalid', `移送时限类型无效：${String(command.clock)}`, 'invalid', 'clock');
    const pending = state.pendingTransfer;
    if (!pending || pending.transferId !== command.transferId) return [];
    // the acknowledgement clock runs until 签收, the decision clock after it
    if ((command.clock === 'acknowledgement') === pending.acknowledged) return [];
    if (reminded.includes(reminderKey(transferScope(pending.transferId, command.clock), command.step, command.dueOn))) return [];
    const facts = { ...base, transferId: pending.transferId, clock: command.clock, agency: pending.toAgency };
    return command.type === 'EscalateLeadTransfer'
      ? [{ type: 'lead.transfer-escalated', data: { ...facts, ...escalationOf(command.level) } }]
      : [{ type: 'lead.transfer-reminder-sent', data: { ...facts, remindedOn: today } }];
  }

  const disposition = state.disposition;
  if (!disposition || disposition.concluded || !CONCLUDABLE.includes(disposition.method)) return [];
  if (reminded.includes(reminderKey(dispositionScope(disposition.method), command.step, command.dueOn))) return [];
  const facts = { ...base, method: disposition.method, agency: disposition.agency };
  return command.type === 'EscalateLeadDisposition'
    ? [{ type: 'lead.disposition-escalated', data: { ...facts, ...escalationOf(command.level) } }]
    : [{ type: 'lead.disposition-reminder-sent', data: { ...facts, remindedOn: today } }];
}

/** The state change of a reminder event: remember the rung so it never fires twice. */
export function rememberLeadReminder<S extends { reminders?: readonly string[] }>(state: S, e: LeadReminderEvent): S {
  const scope =
    e.type === 'lead.transfer-reminder-sent' || e.type === 'lead.transfer-escalated' ? transferScope(e.data.transferId, e.data.clock) : dispositionScope(e.data.method);
  return { ...state, reminders: [...(state.reminders ?? []), reminderKey(scope, e.data.step, e.data.dueOn)] };
}
