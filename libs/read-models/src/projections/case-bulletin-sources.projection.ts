import type { Subject } from '@coord/domain';
import { type BulletinSubject, CaseBulletinSourceEntity } from '../entities/case-bulletin-source.entity';
import { known, perKey, type ProjectedEvent, type RowProjection } from '../projection';

type Row = CaseBulletinSourceEntity;

const keys = (e: ProjectedEvent): readonly string[] => [(e.data as { caseId: string }).caseId];

// Every nested object is rebuilt field by field: whatever else an event might carry never reaches a bulletin.
const subjectOf = (s: Subject): BulletinSubject => ({ name: s.name, post: s.post, unit: s.unit, rank: s.rank ?? null });

function next(row: Row, e: ProjectedEvent, patch: Partial<Row>): Row {
  return { ...row, ...patch, version: e.streamVersion, lastPosition: e.position };
}

function addCategory(totals: Record<string, number>, category: string, fen: number): Record<string, number> {
  const out = { ...totals, [category]: (totals[category] ?? 0) + fen };
  // keys sorted so that a rebuild serialises the JSON identically whatever order categories arrived in
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function applyCase(row: Row | undefined, event: ProjectedEvent): Row | undefined {
  const e = known(event);
  if (e.type === 'case.filed') {
    if (row) return undefined;
    const d = e.data;
    return {
      caseId: d.caseId,
      caseNo: d.caseNo,
      title: d.title,
      leadAgency: d.leadAgency,
      coAgencies: [...d.coAgencies],
      major: d.major,
      difficult: d.difficult,
      status: 'open',
      filedOn: d.filedOn,
      closedOn: null,
      closingSummary: null,
      subjects: d.subjects.map(subjectOf),
      leads: d.leads.map((l) => ({
        leadId: l.leadId,
        ledgerNo: l.ledgerNo,
        source: l.source,
        allegation: l.allegation,
        subject: subjectOf(l.subject),
        receivedOn: l.receivedOn,
        disposition: l.disposition ? { method: l.disposition.method, rationale: l.disposition.rationale, decidedOn: l.disposition.decidedOn } : null,
      })),
      progress: [],
      sanctions: [],
      judicialTransfer: null,
      courtResult: null,
      recoveredFen: 0,
      recoveredByCategory: {},
      version: e.streamVersion,
      lastPosition: e.position,
    };
  }
  if (!row) return undefined;
  switch (e.type) {
    case 'case.flags-changed':
      return next(row, e, { major: e.data.major, difficult: e.data.difficult });
    case 'case.progress-reported': {
      const d = e.data;
      return next(row, e, { progress: [...row.progress, { reportId: d.reportId, stage: d.stage, summary: d.summary, agency: d.agency, reportedOn: d.reportedOn }] });
    }
    case 'case.sanction-imposed': {
      const d = e.data;
      const sanction = { sanctionId: d.sanctionId, personName: d.personName, kind: d.kind, level: d.level ?? null, measure: d.measure ?? null, decidedOn: d.decidedOn, agency: d.agency };
      return next(row, e, { sanctions: [...row.sanctions, sanction] });
    }
    case 'case.loss-recovered':
      return next(row, e, { recoveredFen: row.recoveredFen + e.data.amountFen, recoveredByCategory: addCategory(row.recoveredByCategory, e.data.category, e.data.amountFen) });
    case 'case.loss-recovery-corrected':
      return next(row, e, { recoveredFen: row.recoveredFen + e.data.deltaFen, recoveredByCategory: addCategory(row.recoveredByCategory, e.data.category, e.data.deltaFen) });
    case 'case.transferred-to-judiciary':
      return next(row, e, { judicialTransfer: { toAgency: e.data.toAgency, summary: e.data.summary, transferredOn: e.data.transferredOn } });
    case 'case.court-result-recorded':
      return next(row, e, { courtResult: { result: e.data.result, decidedOn: e.data.decidedOn } });
    case 'case.closed':
      return next(row, e, { status: 'closed', closedOn: e.data.closedOn, closingSummary: e.data.summary });
    default:
      return undefined;
  }
}

/**
 * 《案情专报》 sources: per case, the facts a bulletin is assembled from — subjects and posts, the leads as
 * they stood at filing (source, allegation, disposition), progress reports by stage (facts established,
 * measures taken), sanctions, judicial transfer and court result, recovered totals, flags and status.
 * Kept for every case (a case can become major later); queries list the major/difficult ones.
 */
export const caseBulletinSourcesProjection: RowProjection<Row> = {
  name: 'case-bulletin-sources',
  entity: CaseBulletinSourceEntity,
  primaryKey: 'caseId',
  handles: [
    'case.filed',
    'case.flags-changed',
    'case.progress-reported',
    'case.sanction-imposed',
    'case.loss-recovered',
    'case.loss-recovery-corrected',
    'case.transferred-to-judiciary',
    'case.court-result-recorded',
    'case.closed',
  ],
  keys,
  apply: perKey<Row>(keys, (row, e) => applyCase(row, e)),
};
