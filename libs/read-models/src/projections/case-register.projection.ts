import { yearOf } from '@coord/domain';
import { CaseRegisterEntity } from '../entities/case-register.entity';
import { known, perKey, type ProjectedEvent, type RowProjection } from '../projection';

type Row = CaseRegisterEntity;

const keys = (e: ProjectedEvent): readonly string[] => [(e.data as { caseId: string }).caseId];

function next(row: Row, e: ProjectedEvent, patch: Partial<Row>): Row {
  return { ...row, ...patch, version: e.streamVersion, lastPosition: e.position };
}

function applyCase(row: Row | undefined, event: ProjectedEvent): Row | undefined {
  const e = known(event);
  if (e.type === 'case.filed') {
    if (row) return undefined;
    const d = e.data;
    return {
      caseId: d.caseId,
      caseNo: d.caseNo,
      year: yearOf(d.filedOn),
      title: d.title,
      leadAgency: d.leadAgency,
      coAgencies: [...d.coAgencies],
      leadIds: [...d.leadIds],
      subjectNames: d.subjects.map((s) => s.name),
      major: d.major,
      difficult: d.difficult,
      status: 'open',
      filedOn: d.filedOn,
      closedOn: null,
      lastProgressOn: null,
      lastStage: null,
      recoveredFen: 0,
      judicialTransferOn: null,
      sanctionCount: 0,
      filedPosition: e.position,
      version: e.streamVersion,
      lastPosition: e.position,
    };
  }
  if (!row) return undefined;
  switch (e.type) {
    case 'case.flags-changed':
      return next(row, e, { major: e.data.major, difficult: e.data.difficult });
    case 'case.progress-reported':
      // reports may arrive out of business-date order; keep the latest by date
      return row.lastProgressOn !== null && row.lastProgressOn > e.data.reportedOn
        ? next(row, e, {})
        : next(row, e, { lastProgressOn: e.data.reportedOn, lastStage: e.data.stage });
    case 'case.loss-recovered':
      return next(row, e, { recoveredFen: row.recoveredFen + e.data.amountFen });
    case 'case.loss-recovery-corrected':
      return next(row, e, { recoveredFen: row.recoveredFen + e.data.deltaFen });
    case 'case.sanction-imposed':
      return next(row, e, { sanctionCount: row.sanctionCount + 1 });
    case 'case.transferred-to-judiciary':
      return next(row, e, { judicialTransferOn: e.data.transferredOn });
    case 'case.court-result-recorded':
      return next(row, e, {});
    case 'case.closed':
      return next(row, e, { status: 'closed', closedOn: e.data.closedOn });
    default:
      return undefined;
  }
}

/** 案件台账: one row per case. */
export const caseRegisterProjection: RowProjection<Row> = {
  name: 'case-register',
  entity: CaseRegisterEntity,
  primaryKey: 'caseId',
  handles: [
    'case.filed',
    'case.flags-changed',
    'case.progress-reported',
    'case.loss-recovered',
    'case.loss-recovery-corrected',
    'case.sanction-imposed',
    'case.transferred-to-judiciary',
    'case.court-result-recorded',
    'case.closed',
  ],
  keys,
  apply: perKey<Row>(keys, (row, e) => applyCase(row, e)),
};
