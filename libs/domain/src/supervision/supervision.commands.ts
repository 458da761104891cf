import type { AgencyCode } from '../shared/agency';
import type { WithContext } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { ReviewOutcome, SupervisionOrigin } from './supervision.events';
import type { SupervisionReminderCommand } from '../reminders/reminder.commands';

export type OpenSupervisionItem = WithContext<{
  type: 'OpenSupervisionItem';
  itemId: string;
  itemNo: string;
  title: string;
  origin: SupervisionOrigin;
  assigneeAgency: AgencyCode;
  dueOn: LocalDate;
  caseId?: string;
  leadId?: string;
}>;
export type NoteSupervisionProgress = WithContext<{ type: 'NoteSupervisionProgress'; noteId: string; note: string }>;
export type RequestExtension = WithContext<{ type: 'RequestExtension'; requestId: string; newDueOn: LocalDate; reason: string }>;
export type ApproveExtension = WithContext<{ type: 'ApproveExtension'; requestId: string; comment?: string }>;
export type RefuseExtension = WithContext<{ type: 'RefuseExtension'; requestId: string; reason: string }>;
export type ReportSupervisionResult = WithContext<{ type: 'ReportSupervisionResult'; resultId: string; summary: string }>;
export type ReviewSupervisionResult = WithContext<{ type: 'ReviewSupervisionResult'; outcome: ReviewOutcome; comment: string }>;

export type SupervisionCommand =
  | OpenSupervisionItem
  | NoteSupervisionProgress
  | RequestExtension
  | ApproveExtension
  | RefuseExtension
  | ReportSupervisionResult
  | ReviewSupervisionResult
  | SupervisionReminderCommand; // issued by the deadline scheduler (libs/domain/src/reminders)
