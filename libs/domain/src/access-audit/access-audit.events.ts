import type { DomainEvent } from '../shared/decider';

/**
 * A read of a case file, an export or a bulletin (访问留痕): who and when are the event's actor and
 * occurredAt. Only identifiers and the route pattern are kept — never query strings, bodies or anything
 * the response contained — so the audit trail cannot leak what it audits.
 */
export type AccessRecorded = DomainEvent<
  'audit.access-recorded',
  {
    /** 'case' | 'lead' | 'bulletin' | 'ledger' | 'report' … */
    subjectKind: string;
    /** the record's id, or the export's name (e.g. 'leads.xlsx'); absent for lists */
    subjectId?: string;
    /** 'read' | 'history' | 'export' | 'download' | 'bulletin-source' */
    action: string;
    /** the route pattern, e.g. 'GET /api/cases/:id' */
    route: string;
  }
>;

export type AccessAuditEvent = AccessRecorded;
