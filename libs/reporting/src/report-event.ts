import type { LocalDate } from '@coord/domain';

/**
 * What the reporting functions see of an event: type, data and where it sits in the log. Structurally a
 * subset of read-models' ProjectedEvent and deliberately without `confidential` — a report cannot
 * mention an informant because it is never given one. Build it with `toReportEvent`, never by spreading
 * a stored event.
 */
export interface ReportEvent {
  readonly type: string;
  readonly data: unknown;
  readonly streamId: string;
  readonly position: number;
}

export const toReportEvent = (e: { type: string; data: unknown; streamId: string; position: number }): ReportEvent => ({
  type: e.type,
  data: e.data,
  streamId: e.streamId,
  position: e.position,
});

/**
 * The business date of each event type: the day the step happened in the world, as entered, which may be
 * long before the day it was recorded (a 2013 case imported in 2026). "As of 30 June" folds exactly the
 * events whose business date is ≤ 30 June. Types without a business date (ledger numbers, accounts, the
 * calendar) return undefined and are ignored by as-of folds.
 */
const DATE_FIELD: Readonly<Record<string, string>> = {
  'lead.registered': 'receivedOn',
  'lead.transferred': 'transferredOn',
  'lead.transfer-acknowledged': 'acknowledgedOn',
  'lead.transfer-accepted': 'acceptedOn',
  'lead.transfer-returned': 'returnedOn',
  'lead.transfer-forwarded': 'forwardedOn',
  'lead.disposition-decided': 'decidedOn',
  'lead.disposition-concluded': 'concludedOn',
  'lead.converted-to-case': 'convertedOn',
  'case.filed': 'filedOn',
  'case.flags-changed': 'changedOn',
  'case.progress-reported': 'reportedOn',
  'case.loss-recovered': 'recoveredOn',
  'case.loss-recovery-corrected': 'correctedOn',
  'case.sanction-imposed': 'decidedOn',
  'case.transferred-to-judiciary': 'transferredOn',
  'case.court-result-recorded': 'decidedOn',
  'case.closed': 'closedOn',
  'supervision.opened': 'openedOn',
  'supervision.progress-noted': 'notedOn',
  'supervision.extension-requested': 'requestedOn',
  'supervision.extension-approved': 'approvedOn',
  'supervision.extension-refused': 'refusedOn',
  'supervision.result-reported': 'reportedOn',
  'supervision.result-accepted': 'reviewedOn',
  'supervision.result-sent-back': 'reviewedOn',
  'supervision.closed': 'closedOn',
  'meeting.convened': 'heldOn',
  'meeting.decision-taken': 'takenOn',
};

export function businessDateOf(e: ReportEvent): LocalDate | undefined {
  const field = DATE_FIELD[e.type];
  if (field === undefined) return undefined;
  const value = (e.data as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}
