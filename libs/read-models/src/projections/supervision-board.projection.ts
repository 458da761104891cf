import { SupervisionBoardEntity } from '../entities/supervision-board.entity';
import { known, perKey, type ProjectedEvent, type RowProjection } from '../projection';

type Row = SupervisionBoardEntity;

const keys = (e: ProjectedEvent): readonly string[] => [(e.data as { itemId: string }).itemId];

const noPending = { pendingExtensionRequestId: null, pendingExtensionDueOn: null };

function next(row: Row, e: ProjectedEvent, patch: Partial<Row>): Row {
  return { ...row, ...patch, version: e.streamVersion };
}

function applyItem(row: Row | undefined, event: ProjectedEvent): Row | undefined {
  const e = known(event);
  if (e.type === 'supervision.opened') {
    if (row) return undefined;
    const d = e.data;
    return {
      itemId: d.itemId,
      itemNo: d.itemNo,
      title: d.title,
      origin: d.origin,
      assigneeAgency: d.assigneeAgency,
      dueOn: d.dueOn,
      status: 'in-progress',
      ...noPending,
      extensionCount: 0,
      lastProgressOn: null,
      resultSummary: null,
      resultReportedOn: null,
      sentBackCount: 0,
      caseId: d.caseId ?? null,
      leadId: d.leadId ?? null,
      openedOn: d.openedOn,
      closedOn: null,
      openedPosition: e.position,
      version: e.streamVersion,
    };
  }
  if (!row) return undefined;
  switch (e.type) {
    case 'supervision.progress-noted':
      return next(row, e, { lastProgressOn: row.lastProgressOn !== null && row.lastProgressOn > e.data.notedOn ? row.lastProgressOn : e.data.notedOn });
    case 'supervision.extension-requested':
      return next(row, e, { status: 'extension-requested', pendingExtensionRequestId: e.data.requestId, pendingExtensionDueOn: e.data.newDueOn });
    case 'supervision.extension-approved':
      return next(row, e, { status: 'in-progress', ...noPending, dueOn: e.data.newDueOn, extensionCount: row.extensionCount + 1 });
    case 'supervision.extension-refused':
      return next(row, e, { status: 'in-progress', ...noPending });
    case 'supervision.result-reported':
      return next(row, e, { status: 'awaiting-review', ...noPending, resultSummary: e.data.summary, resultReportedOn: e.data.reportedOn });
    case 'supervision.result-accepted':
      // supervision.closed follows in the same decision and sets the status
      return next(row, e, {});
    case 'supervision.result-sent-back':
      return next(row, e, { status: 'in-progress', sentBackCount: row.sentBackCount + 1 });
    case 'supervision.closed':
      return next(row, e, { status: 'closed', ...noPending, closedOn: e.data.closedOn });
    default:
      return undefined;
  }
}

/** 督办台账: one row per supervision item. */
export const supervisionBoardProjection: RowProjection<Row> = {
  name: 'supervision-board',
  entity: SupervisionBoardEntity,
  primaryKey: 'itemId',
  handles: [
    'supervision.opened',
    'supervision.progress-noted',
    'supervision.extension-requested',
    'supervision.extension-approved',
    'supervision.extension-refused',
    'supervision.result-reported',
    'supervision.result-accepted',
    'supervision.result-sent-back',
    'supervision.closed',
  ],
  keys,
  apply: perKey<Row>(keys, (row, e) => applyItem(row, e)),
};
