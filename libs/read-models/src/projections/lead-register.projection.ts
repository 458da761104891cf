import { yearOf } from '@coord/domain';
import { LeadRegisterEntity, type LeadStatus } from '../entities/lead-register.entity';
import { known, perKey, type ProjectedEvent, type RowProjection } from '../projection';

const HANDLES = [
  'lead.registered',
  'lead.transferred',
  'lead.transfer-acknowledged',
  'lead.transfer-accepted',
  'lead.transfer-returned',
  'lead.transfer-forwarded',
  'lead.disposition-decided',
  'lead.disposition-concluded',
  'lead.converted-to-case',
] as const;

type Row = LeadRegisterEntity;

/** Status is a function of the row's fields, so it cannot drift from them. See LEAD_STATUSES. */
export function deriveLeadStatus(row: Omit<Row, 'status'>): LeadStatus {
  if (row.caseId !== null) return 'converted';
  if (row.pendingTransferId !== null) return 'in-transfer';
  if (row.dispositionMethod === 'close') return 'closed';
  if (row.dispositionMethod !== null) return 'disposed';
  return 'registered';
}

const noPending = { pendingTransferId: null, pendingFromAgency: null, pendingToAgency: null, pendingAcknowledged: null };

function next(row: Row, e: ProjectedEvent, patch: Partial<Row>): Row {
  // one copy, completed in place before anyone sees it (status keeps its place: it is one of row's keys)
  const merged = { ...row, ...patch, version: e.streamVersion, lastPosition: e.position };
  merged.status = deriveLeadStatus(merged);
  return merged;
}

function applyLead(row: Row | undefined, event: ProjectedEvent): Row | undefined {
  const e = known(event);
  if (e.type === 'lead.registered') {
    if (row) return undefined; // a replayed registration changes nothing
    const d = e.data;
    // Fields are copied one by one: nothing from the event that is not listed here can reach the table.
    const base: Omit<Row, 'status'> = {
      leadId: d.leadId,
      ledgerNo: d.ledgerNo,
      year: yearOf(d.receivedOn),
      source: d.source,
      reportingAgency: d.reportingAgency,
      holderAgency: d.reportingAgency,
      subjectName: d.subject.name,
      subjectPost: d.subject.post,
      subjectUnit: d.subject.unit,
      subjectRank: d.subject.rank ?? null,
      allegation: d.allegation,
      category: d.category ?? null,
      receivedOn: d.receivedOn,
      important: d.important,
      hasInformant: d.hasInformant,
      ...noPending,
      transferCount: 0,
      dispositionMethod: null,
      dispositionDecidedOn: null,
      dispositionConcludedOn: null,
      caseId: null,
      caseNo: null,
      registeredPosition: e.position,
      version: e.streamVersion,
      lastPosition: e.position,
    };
    return { ...base, status: deriveLeadStatus(base) };
  }
  if (!row) return undefined; // events of a lead whose registration we never saw: nothing to update
  switch (e.type) {
    case 'lead.transferred':
      return next(row, e, {
        pendingTransferId: e.data.transferId,
        pendingFromAgency: e.data.fromAgency,
        pendingToAgency: e.data.toAgency,
        pendingAcknowledged: false,
        transferCount: row.transferCount + 1,
      });
    case 'lead.transfer-acknowledged':
      return row.pendingTransferId === e.data.transferId ? next(row, e, { pendingAcknowledged: true }) : next(row, e, {});
    case 'lead.transfer-accepted':
      return next(row, e, { ...noPending, holderAgency: e.data.agency });
    case 'lead.transfer-returned':
      // the sender keeps (or gets back) the lead
      return next(row, e, { ...noPending, holderAgency: e.data.toAgency });
    case 'lead.transfer-forwarded':
      return next(row, e, {
        pendingTransferId: e.data.nextTransferId,
        pendingFromAgency: e.data.fromAgency,
        pendingToAgency: e.data.toAgency,
        pendingAcknowledged: false,
        transferCount: row.transferCount + 1,
      });
    case 'lead.disposition-decided':
      return next(row, e, { dispositionMethod: e.data.method, dispositionDecidedOn: e.data.decidedOn, dispositionConcludedOn: null });
    case 'lead.disposition-concluded':
      return next(row, e, { dispositionConcludedOn: e.data.concludedOn });
    case 'lead.converted-to-case':
      return next(row, e, { caseId: e.data.caseId, caseNo: e.data.caseNo });
    default:
      return undefined;
  }
}

const keys = (e: ProjectedEvent): readonly string[] => [(e.data as { leadId: string }).leadId];

/** 线索台账: one row per lead; holder, status, pending transfer, disposition, conversion. */
export const leadRegisterProjection: RowProjection<Row> = {
  name: 'lead-register',
  entity: LeadRegisterEntity,
  primaryKey: 'leadId',
  handles: HANDLES,
  keys,
  apply: perKey<Row>(keys, (row, e) => applyLead(row, e)),
};
