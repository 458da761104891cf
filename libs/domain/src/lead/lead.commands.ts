import type { AgencyCode } from '../shared/agency';
import type { WithContext } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { DispositionMethod, Informant, LeadSource, Subject } from './lead.events';
import type { LeadReminderCommand } from '../reminders/reminder.commands';

export type RegisterLead = WithContext<{
  type: 'RegisterLead';
  leadId: string;
  ledgerNo: string; // assigned by the lead ledger (ledger decider) in the same atomic append
  source: LeadSource;
  reportingAgency: AgencyCode;
  subject: Subject;
  allegation: string;
  category?: string;
  receivedOn: LocalDate;
  important: boolean;
  informant?: Informant;
}>;

export type TransferLead = WithContext<{
  type: 'TransferLead';
  transferId: string;
  toAgency: AgencyCode;
  letterNo: string;
  reason: string;
}>;

export type AcknowledgeTransfer = WithContext<{ type: 'AcknowledgeTransfer'; transferId: string }>;
export type AcceptTransfer = WithContext<{ type: 'AcceptTransfer'; transferId: string }>;
export type ReturnTransfer = WithContext<{ type: 'ReturnTransfer'; transferId: string; reason: string }>;
export type ForwardTransfer = WithContext<{
  type: 'ForwardTransfer';
  transferId: string;
  nextTransferId: string;
  toAgency: AgencyCode;
  letterNo: string;
  reason: string;
}>;

export type DecideDisposition = WithContext<{ type: 'DecideDisposition'; method: DispositionMethod; rationale: string }>;
export type ConcludeDisposition = WithContext<{ type: 'ConcludeDisposition'; conclusion: string }>;
export type ConvertLeadToCase = WithContext<{ type: 'ConvertLeadToCase'; caseId: string; caseNo: string; convertedOn: LocalDate }>;

export type LeadCommand =
  | RegisterLead
  | TransferLead
  | AcknowledgeTransfer
  | AcceptTransfer
  | ReturnTransfer
  | ForwardTransfer
  | DecideDisposition
  | ConcludeDisposition
  | ConvertLeadToCase
  | LeadReminderCommand; // issued by the deadline scheduler (libs/domain/src/reminders)
