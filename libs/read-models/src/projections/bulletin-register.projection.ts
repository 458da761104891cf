import { BulletinRegisterEntity } from '../entities/bulletin-register.entity';
import { known, type ProjectedEvent, type RowChanges, type RowProjection } from '../projection';

type Row = BulletinRegisterEntity;

/** A correction's draft also touches the issued bulletin it corrects (its correctedBy list). */
const keys = (e: ProjectedEvent): readonly string[] => {
  const d = e.data as { bulletinId: string; correctsBulletinId?: string };
  return e.type === 'bulletin.correction-drafted' && d.correctsBulletinId ? [d.bulletinId, d.correctsBulletinId] : [d.bulletinId];
};

function next(row: Row, e: ProjectedEvent, patch: Partial<Row>): Row {
  return { ...row, ...patch, version: e.streamVersion, lastPosition: e.position };
}

function apply(rows: ReadonlyMap<string, Row>, event: ProjectedEvent): RowChanges<Row> | undefined {
  const e = known(event);
  switch (e.type) {
    case 'bulletin.drafted':
    case 'bulletin.correction-drafted': {
      const d = e.data;
      if (rows.has(d.bulletinId)) return undefined;
      const correction = e.type === 'bulletin.correction-drafted' ? e.data : undefined;
      const row: Row = {
        bulletinId: d.bulletinId,
        caseId: d.caseId,
        caseNo: d.caseNo,
        title: d.content.title,
        status: 'draft',
        revision: 1,
        draftedOn: d.draftedOn,
        draftedBy: d.drafter.username,
        approvedBy: null,
        approvedOn: null,
        year: null,
        seq: null,
        issueNo: null,
        issuedOn: null,
        distribution: null,
        correctsBulletinId: correction?.correctsBulletinId ?? null,
        correctsIssueNo: correction?.correctsIssueNo ?? null,
        correctedBy: [],
        version: e.streamVersion,
        lastPosition: e.position,
      };
      const changes = new Map<string, Row | null>([[d.bulletinId, row]]);
      const original = correction ? rows.get(correction.correctsBulletinId) : undefined;
      if (correction && original && !original.correctedBy.includes(d.bulletinId)) {
        // not the original's own stream: its version stays; only the link is added
        changes.set(original.bulletinId, { ...original, correctedBy: [...original.correctedBy, d.bulletinId], lastPosition: e.position });
      }
      return changes;
    }
    case 'bulletin.draft-revised': {
      const row = rows.get(e.data.bulletinId);
      if (!row) return undefined;
      return new Map([[row.bulletinId, next(row, e, { title: e.data.content.title, revision: e.data.revision, status: 'draft', approvedBy: null, approvedOn: null })]]);
    }
    case 'bulletin.approved': {
      const row = rows.get(e.data.bulletinId);
      if (!row) return undefined;
      return new Map([[row.bulletinId, next(row, e, { status: 'approved', approvedBy: e.data.approver.name, approvedOn: e.data.approvedOn })]]);
    }
    case 'bulletin.issued': {
      const row = rows.get(e.data.bulletinId);
      if (!row) return undefined;
      const d = e.data;
      const distribution = { mainTo: [...d.distribution.mainTo], copyTo: [...d.distribution.copyTo] };
      return new Map([[row.bulletinId, next(row, e, { status: 'issued', year: d.year, seq: d.seq, issueNo: d.issueNo, issuedOn: d.issuedOn, distribution })]]);
    }
    default:
      return undefined;
  }
}

/** 《案情专报》 register: drafts, signatures, issue numbers by year, and corrections linked both ways. */
export const bulletinRegisterProjection: RowProjection<Row> = {
  name: 'bulletin-register',
  entity: BulletinRegisterEntity,
  primaryKey: 'bulletinId',
  handles: ['bulletin.drafted', 'bulletin.correction-drafted', 'bulletin.draft-revised', 'bulletin.approved', 'bulletin.issued'],
  keys,
  apply,
};
