import type { AgencyCode } from '../shared/agency';
import type { DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { SupervisionReminderEvent } from '../reminders/reminder.events';

export const SUPERVISION_ORIGINS = [
  'meeting-decision', // 联席会议决定
  'leader-instruction', // 领导批示
  'office', // 协调办立项
] as const;
export type SupervisionOrigin = (typeof SUPERVISION_ORIGINS)[number];

export const REVIEW_OUTCOMES = ['accepted', 'sent-back'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** 立项 + 交办: opened and assigned to one agency with a due date. */
export type SupervisionOpened = DomainEvent<
  'supervision.opened',
  {
    itemId: string;
    itemNo: string; // DB-2026-0003
    title: string;
    origin: SupervisionOrigin;
    assigneeAgency: AgencyCode;
    dueOn: LocalDate;
    caseId?: string;
    leadId?: string;
    openedOn: LocalDate;
  }
>;

/** 督办过程记录 */
export type SupervisionProgressNoted = DomainEvent<
  'supervision.progress-noted',
  { itemId: string; noteId: string; note: string; agency: AgencyCode; notedOn: LocalDate }
>;

export type SupervisionExtensionRequested = DomainEvent<
  'supervision.extension-requested',
  { itemId: string; requestId: string; currentDueOn: LocalDate; newDueOn: LocalDate; reason: string; requestedOn: LocalDate }
>;

export type SupervisionExtensionApproved = DomainEvent<
  'supervision.extension-approved',
  { itemId: string; requestId: string; previousDueOn: LocalDate; newDueOn: LocalDate; comment?: string; approvedOn: LocalDate }
>;

export type SupervisionExtensionRefused = DomainEvent<
  'supervision.extension-refused',
  { itemId: string; requestId: string; reason: string; refusedOn: LocalDate }
>;

/** 办理结果 */
export type SupervisionResultReported = DomainEvent<
  'supervision.result-reported',
  { itemId: string; resultId: string; summary: string; agency: AgencyCode; reportedOn: LocalDate }
>;

/** 审结: the office accepts the result. Followed by supervision.closed in the same decision. */
export type SupervisionResultAccepted = DomainEvent<
  'supervision.result-accepted',
  { itemId: string; resultId: string; comment: string; reviewedOn: LocalDate }
>;

/** The result is inadequate: the item goes back to the assignee. */
export type SupervisionResultSentBack = DomainEvent<
  'supervision.result-sent-back',
  { itemId: string; resultId: string; comment: string; reviewedOn: LocalDate }
>;

export type SupervisionClosed = DomainEvent<'supervision.closed', { itemId: string; closedOn: LocalDate }>;

export type SupervisionEvent =
  | SupervisionOpened
  | SupervisionProgressNoted
  | SupervisionExtensionRequested
  | SupervisionExtensionApproved
  | SupervisionExtensionRefused
  | SupervisionResultReported
  | SupervisionResultAccepted
  | SupervisionResultSentBack
  | SupervisionClosed
  | SupervisionReminderEvent; // 催办 / 升级督办 (libs/domain/src/reminders)
