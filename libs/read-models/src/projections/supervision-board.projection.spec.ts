import { type ProjectedEvent, projectInMemory } from '../projection';
import { EventFeed } from '../testing/event-feed';
import { supervisionBoardProjection } from './supervision-board.projection';

describe('supervision-board projection', () => {
  const f = new EventFeed();
  const events: ProjectedEvent[] = [
    f.next('supervision.opened', { itemId: 'S1', itemNo: 'DB-2026-0003', title: '整改', origin: 'meeting-decision', assigneeAgency: 'court', dueOn: '2026-04-30', caseId: 'C1', openedOn: '2026-03-02' }),
  ];
  const now = () => projectInMemory(supervisionBoardProjection, events)[0];

  it('walks the lifecycle: in-progress → extension-requested → in-progress (new due) → awaiting-review → sent back → closed', () => {
    expect(now()).toEqual({
      itemId: 'S1', itemNo: 'DB-2026-0003', title: '整改', origin: 'meeting-decision', assigneeAgency: 'court', dueOn: '2026-04-30', status: 'in-progress',
      pendingExtensionRequestId: null, pendingExtensionDueOn: null, extensionCount: 0, lastProgressOn: null, resultSummary: null, resultReportedOn: null,
      sentBackCount: 0, caseId: 'C1', leadId: null, openedOn: '2026-03-02', closedOn: null, openedPosition: 1, version: 1,
    });
    events.push(f.next('supervision.progress-noted', { itemId: 'S1', noteId: 'N', note: 'n', agency: 'court', notedOn: '2026-03-10' }));
    events.push(f.next('supervision.extension-requested', { itemId: 'S1', requestId: 'E1', currentDueOn: '2026-04-30', newDueOn: '2026-05-31', reason: 'r', requestedOn: '2026-04-20' }));
    expect(now()).toMatchObject({ status: 'extension-requested', pendingExtensionRequestId: 'E1', pendingExtensionDueOn: '2026-05-31', lastProgressOn: '2026-03-10' });
    events.push(f.next('supervision.extension-approved', { itemId: 'S1', requestId: 'E1', previousDueOn: '2026-04-30', newDueOn: '2026-05-31', approvedOn: '2026-04-22' }));
    expect(now()).toMatchObject({ status: 'in-progress', dueOn: '2026-05-31', extensionCount: 1, pendingExtensionRequestId: null });
    events.push(f.next('supervision.result-reported', { itemId: 'S1', resultId: 'R1', summary: '已整改', agency: 'court', reportedOn: '2026-05-20' }));
    expect(now()).toMatchObject({ status: 'awaiting-review', resultSummary: '已整改', resultReportedOn: '2026-05-20' });
    events.push(f.next('supervision.result-sent-back', { itemId: 'S1', resultId: 'R1', comment: 'c', reviewedOn: '2026-05-22' }));
    expect(now()).toMatchObject({ status: 'in-progress', sentBackCount: 1 });
    events.push(f.next('supervision.result-reported', { itemId: 'S1', resultId: 'R2', summary: '全面整改', agency: 'court', reportedOn: '2026-05-28' }));
    events.push(f.next('supervision.result-accepted', { itemId: 'S1', resultId: 'R2', comment: 'ok', reviewedOn: '2026-05-29' }));
    events.push(f.next('supervision.closed', { itemId: 'S1', closedOn: '2026-05-29' }));
    expect(now()).toMatchObject({ status: 'closed', closedOn: '2026-05-29', resultSummary: '全面整改', version: 9 });
  });
});
