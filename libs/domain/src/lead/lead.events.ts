import type { AgencyCode } from '../shared/agency';
import type { DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { LeadReminderEvent } from '../reminders/reminder.events';

export const LEAD_SOURCES = [
  'petition', // 信访举报
  'special-inspection', // 专项检查
  'audit-finding', // 审计发现
  'inspection-tour', // 巡察
  'member-report', // 成员单位通报
  'meeting-briefing', // 联席会议通报
  'other',
] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

export const DISPOSITION_METHODS = [
  'talk-inquiry', // 谈话函询
  'preliminary-verification', // 初步核实
  'hold-pending', // 暂存待查
  'close', // 予以了结
] as const;
export type DispositionMethod = (typeof DISPOSITION_METHODS)[number];

/** The person reported on (被反映人). Not confidential: it is what the lead is about. */
export interface Subject {
  name: string;
  post: string;
  unit: string;
  rank?: string;
}

/** Confidential (never projected): who reported. Lives in DomainEvent.confidential. */
export interface Informant {
  name: string;
  contact: string;
}

export type LeadRegistered = DomainEvent<
  'lead.registered',
  {
    leadId: string;
    ledgerNo: string; // LC-2026-0042
    source: LeadSource;
    reportingAgency: AgencyCode;
    subject: Subject;
    allegation: string;
    category?: string;
    receivedOn: LocalDate;
    important: boolean;
    /** true when an informant identity is held in `confidential`; the identity itself never is in data */
    hasInformant: boolean;
  }
> & { confidential?: { informant: Informant } };

export type LeadTransferred = DomainEvent<
  'lead.transferred',
  { leadId: string; transferId: string; fromAgency: AgencyCode; toAgency: AgencyCode; letterNo: string; reason: string; transferredOn: LocalDate }
>;

/** 签收 */
export type LeadTransferAcknowledged = DomainEvent<
  'lead.transfer-acknowledged',
  { leadId: string; transferId: string; agency: AgencyCode; acknowledgedOn: LocalDate }
>;

/** 接收: the receiving agency now holds the lead. */
export type LeadTransferAccepted = DomainEvent<
  'lead.transfer-accepted',
  { leadId: string; transferId: string; agency: AgencyCode; acceptedOn: LocalDate }
>;

/** 退回: the lead goes back to the sender, with a reason. */
export type LeadTransferReturned = DomainEvent<
  'lead.transfer-returned',
  { leadId: string; transferId: string; agency: AgencyCode; toAgency: AgencyCode; reason: string; returnedOn: LocalDate }
>;

/** 转送: the receiving agency sends it onward; the pending transfer becomes `nextTransferId`. */
export type LeadTransferForwarded = DomainEvent<
  'lead.transfer-forwarded',
  {
    leadId: string;
    transferId: string;
    nextTransferId: string;
    fromAgency: AgencyCode;
    toAgency: AgencyCode;
    letterNo: string;
    reason: string;
    forwardedOn: LocalDate;
  }
>;

/** 处置: one of the four methods. */
export type LeadDispositionDecided = DomainEvent<
  'lead.disposition-decided',
  { leadId: string; method: DispositionMethod; rationale: string; agency: AgencyCode; decidedOn: LocalDate }
>;

/** The disposition's work is concluded (e.g. 函询 answered, 初核 finished). */
export type LeadDispositionConcluded = DomainEvent<
  'lead.disposition-concluded',
  { leadId: string; method: DispositionMethod; conclusion: string; concludedOn: LocalDate }
>;

export type LeadConvertedToCase = DomainEvent<
  'lead.converted-to-case',
  { leadId: string; caseId: string; caseNo: string; convertedOn: LocalDate }
>;

export type LeadEvent =
  | LeadRegistered
  | LeadTransferred
  | LeadTransferAcknowledged
  | LeadTransferAccepted
  | LeadTransferReturned
  | LeadTransferForwarded
  | LeadDispositionDecided
  | LeadDispositionConcluded
  | LeadConvertedToCase
  | LeadReminderEvent; // 移送/处置时限催办与升级 (libs/domain/src/reminders)
