import type { AgencyCode } from '../shared/agency';
import type { DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';

/*
 * 催办 and 督办升级. Every reminder and escalation is an event in the stream of the item it chases, so it
 * shows in that item's history ("全程登记备查") and can be projected into the per-agency notification feed.
 *
 * `step` names the rung of the configured ladder that fired (e.g. 'before-3' = 3 working days before the
 * due date, 'after-5' = 5 days overdue). Together with `dueOn` it is the idempotency key of the decider:
 * the same step for the same due date is recorded once; after an extension (a new due date) the ladder
 * starts again. `ref` and `title` are the human reference at the time (台账编号/督办编号, subject line),
 * copied so the feed needs no join; they are not confidential (the informant is never in them).
 */

/** Who an escalation goes to. Today always the group leader (组长); the field leaves room for a graded ladder. */
export const ESCALATION_TARGETS = ['group-leader'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

/** The two working-day clocks of a transfer (线索移送): 签收 and 办理 (accept / return / forward). */
export const TRANSFER_CLOCKS = ['acknowledgement', 'decision'] as const;
export type TransferClock = (typeof TRANSFER_CLOCKS)[number];

interface ReminderFacts {
  step: string;
  dueOn: LocalDate;
  /** the agency that owes the step (the one reminded) */
  agency: AgencyCode;
  ref: string;
  title: string;
}

interface EscalationFacts extends ReminderFacts {
  /** 1-based rung of the escalation ladder */
  level: number;
  toRole: EscalationTarget;
  /** calendar days from the due date to the escalation date */
  daysOverdue: number;
}

/** 到期前催办 */
export type SupervisionReminderSent = DomainEvent<'supervision.reminder-sent', ReminderFacts & { itemId: string; remindedOn: LocalDate }>;

/** 逾期升级督办 (to the group leader) */
export type SupervisionEscalated = DomainEvent<'supervision.escalated', EscalationFacts & { itemId: string; escalatedOn: LocalDate }>;

export type LeadTransferReminderSent = DomainEvent<
  'lead.transfer-reminder-sent',
  ReminderFacts & { leadId: string; transferId: string; clock: TransferClock; remindedOn: LocalDate }
>;

export type LeadTransferEscalated = DomainEvent<
  'lead.transfer-escalated',
  EscalationFacts & { leadId: string; transferId: string; clock: TransferClock; escalatedOn: LocalDate }
>;

export type LeadDispositionReminderSent = DomainEvent<
  'lead.disposition-reminder-sent',
  ReminderFacts & { leadId: string; method: string; remindedOn: LocalDate }
>;

export type LeadDispositionEscalated = DomainEvent<
  'lead.disposition-escalated',
  EscalationFacts & { leadId: string; method: string; escalatedOn: LocalDate }
>;

export type SupervisionReminderEvent = SupervisionReminderSent | SupervisionEscalated;
export type LeadReminderEvent = LeadTransferReminderSent | LeadTransferEscalated | LeadDispositionReminderSent | LeadDispositionEscalated;
export type ReminderEvent = SupervisionReminderEvent | LeadReminderEvent;

export const REMINDER_EVENT_TYPES: readonly ReminderEvent['type'][] = [
  'supervision.reminder-sent',
  'supervision.escalated',
  'lead.transfer-reminder-sent',
  'lead.transfer-escalated',
  'lead.disposition-reminder-sent',
  'lead.disposition-escalated',
];
