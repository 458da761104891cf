import type { AccountEvent } from './account/account.events';
import type { BulletinEvent, BulletinRegisterEvent } from './bulletin/bulletin.events';
import type { CalendarEvent } from './calendar/calendar.events';
import type { CaseEvent } from './case/case.events';
import type { GroupEvent } from './group/group.events';
import type { LeadEvent } from './lead/lead.events';
import type { LedgerEvent } from './ledger/ledger.events';
import type { LedgerImportEvent } from './ledger-import/ledger-import.events';
import type { ReportEvent } from './report/report.events';
import type { MeetingEvent } from './meeting/meeting.events';
import type { SupervisionEvent } from './supervision/supervision.events';
import type { InformantEvent } from './informant/informant.events';
import type { AccessAuditEvent } from './access-audit/access-audit.events';

export type CoordinationEvent =
  | LeadEvent
  | CaseEvent
  | SupervisionEvent
  | GroupEvent
  | CalendarEvent
  | LedgerEvent
  | AccountEvent
  | BulletinEvent
  | BulletinRegisterEvent
  | MeetingEvent
  | ReportEvent
  | LedgerImportEvent
  | InformantEvent
  | AccessAuditEvent;

export type CoordinationEventType = CoordinationEvent['type'];

/**
 * The current schema version of every event type. Bump a version only together with an upcaster
 * (libs/event-store upcasters) that lifts every older version to the new shape; history is never rewritten.
 */
export const EVENT_SCHEMA_VERSIONS: Record<CoordinationEventType, number> = {
  'lead.registered': 1,
  'lead.transferred': 1,
  'lead.transfer-acknowledged': 1,
  'lead.transfer-accepted': 1,
  'lead.transfer-returned': 1,
  'lead.transfer-forwarded': 1,
  'lead.disposition-decided': 1,
  'lead.disposition-concluded': 1,
  'lead.converted-to-case': 1,
  'case.filed': 1,
  'case.flags-changed': 1,
  'case.progress-reported': 1,
  'case.loss-recovered': 1,
  'case.loss-recovery-corrected': 1,
  'case.sanction-imposed': 1,
  'case.transferred-to-judiciary': 1,
  'case.court-result-recorded': 1,
  'case.closed': 1,
  'supervision.opened': 1,
  'supervision.progress-noted': 1,
  'supervision.extension-requested': 1,
  'supervision.extension-approved': 1,
  'supervision.extension-refused': 1,
  'supervision.result-reported': 1,
  'supervision.result-accepted': 1,
  'supervision.result-sent-back': 1,
  'supervision.closed': 1,
  'supervision.reminder-sent': 1,
  'supervision.escalated': 1,
  'lead.transfer-reminder-sent': 1,
  'lead.transfer-escalated': 1,
  'lead.disposition-reminder-sent': 1,
  'lead.disposition-escalated': 1,
  'group.member-joined': 1,
  'group.member-role-changed': 1,
  'group.member-left': 1,
  'calendar.holiday-declared': 1,
  'calendar.working-day-declared': 1,
  'calendar.day-cleared': 1,
  'ledger.number-assigned': 1,
  'account.created': 1,
  'account.password-changed': 1,
  'account.disabled': 1,
  'account.totp-enrolment-started': 1,
  'account.totp-enabled': 1,
  'account.totp-reset': 1,
  'report.issued': 1,
  'import.batch-recorded': 1,
  'bulletin.drafted': 1,
  'bulletin.correction-drafted': 1,
  'bulletin.draft-revised': 1,
  'bulletin.approved': 1,
  'bulletin.issued': 1,
  'bulletin-register.number-assigned': 1,
  'meeting.scheduled': 1,
  'meeting.topic-submitted': 1,
  'meeting.convened': 1,
  'meeting.lead-briefed': 1,
  'meeting.decision-proposed': 1,
  'meeting.statement-recorded': 1,
  'meeting.decision-taken': 1,
  'meeting.minutes-recorded': 1,
  'meeting.closed': 1,
  'informant.access-granted': 1,
  'informant.access-revoked': 1,
  'informant.viewed': 1,
  'informant.erased': 1,
  'audit.access-recorded': 1,
};

export const isCoordinationEventType = (t: string): t is CoordinationEventType =>
  Object.prototype.hasOwnProperty.call(EVENT_SCHEMA_VERSIONS, t);
