import type { WithContext } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { TransferClock } from './reminder.events';

/*
 * Issued by the deadline scheduler (actor role 'system') — or by the office by hand. `dueOn` is the due
 * date the scheduler computed the step against: when it no longer matches the item (an extension was
 * approved meanwhile) the command is a no-op, so a stale tick can never chase a deadline that moved.
 */
interface Rung {
  step: string;
  dueOn: LocalDate;
}
interface EscalationRung extends Rung {
  level: number;
}

export type RemindSupervisionItem = WithContext<Rung & { type: 'RemindSupervisionItem' }>;
export type EscalateSupervisionItem = WithContext<EscalationRung & { type: 'EscalateSupervisionItem' }>;

export type RemindLeadTransfer = WithContext<Rung & { type: 'RemindLeadTransfer'; transferId: string; clock: TransferClock }>;
export type EscalateLeadTransfer = WithContext<EscalationRung & { type: 'EscalateLeadTransfer'; transferId: string; clock: TransferClock }>;
export type RemindLeadDisposition = WithContext<Rung & { type: 'RemindLeadDisposition' }>;
export type EscalateLeadDisposition = WithContext<EscalationRung & { type: 'EscalateLeadDisposition' }>;

export type SupervisionReminderCommand = RemindSupervisionItem | EscalateSupervisionItem;
export type LeadReminderCommand = RemindLeadTransfer | EscalateLeadTransfer | RemindLeadDisposition | EscalateLeadDisposition;
