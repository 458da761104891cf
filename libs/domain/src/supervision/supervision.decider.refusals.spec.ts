import type { Actor } from '../shared/actor';
import { given } from '../testing/given-when-then';
import { audit, ctx, office, TODAY } from '../testing/fixtures';
import { supervisionDecider } from './supervision.decider';
import type { SupervisionCommand } from './supervision.commands';
import type { SupervisionEvent } from './supervision.events';

/**
 * Refusals of the supervision decider that supervision.decider.spec.ts does not pin down to code, kind AND
 * field: each is part of the HTTP contract (problem+json code, status family, highlighted field).
 */
const BLANKS = ['', '  \t\u3000'];
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };

type Cmd<T extends SupervisionCommand['type']> = Extract<SupervisionCommand, { type: T }>;
const open = (extra: Partial<Cmd<'OpenSupervisionItem'>> = {}, actor: Actor = office): SupervisionCommand => ({
  type: 'OpenSupervisionItem',
  itemId: 'S1',
  itemNo: 'DB-2026-0003',
  title: '督促审计局整改补贴问题',
  origin: 'office',
  assigneeAgency: 'audit-bureau',
  dueOn: '2026-03-31',
  ctx: ctx(actor),
  ...extra,
});
const opened: SupervisionEvent = {
  type: 'supervision.opened',
  data: { itemId: 'S1', itemNo: 'DB-2026-0003', title: '督促审计局整改补贴问题', origin: 'office', assigneeAgency: 'audit-bureau', dueOn: '2026-03-31', openedOn: TODAY },
};
const noted: SupervisionEvent = { type: 'supervision.progress-noted', data: { itemId: 'S1', noteId: 'N1', note: '已约谈责任人', agency: 'audit-bureau', notedOn: TODAY } };
const requested: SupervisionEvent = {
  type: 'supervision.extension-requested',
  data: { itemId: 'S1', requestId: 'E1', currentDueOn: '2026-03-31', newDueOn: '2026-04-15', reason: '需补充调取材料', requestedOn: TODAY },
};
const reported: SupervisionEvent = { type: 'supervision.result-reported', data: { itemId: 'S1', resultId: 'R1', summary: '已整改到位', agency: 'audit-bureau', reportedOn: TODAY } };

const note = (text = '已约谈责任人', noteId = 'N2'): SupervisionCommand => ({ type: 'NoteSupervisionProgress', noteId, note: text, ctx: ctx(audit) });
const requestExtension = (extra: Partial<Cmd<'RequestExtension'>> = {}): SupervisionCommand => ({
  type: 'RequestExtension',
  requestId: 'E2',
  newDueOn: '2026-04-15',
  reason: '需补充调取材料',
  ctx: ctx(audit),
  ...extra,
});
const reportResult = (summary = '已整改到位'): SupervisionCommand => ({ type: 'ReportSupervisionResult', resultId: 'R2', summary, ctx: ctx(audit) });
const review = (comment = '审核意见'): SupervisionCommand => ({ type: 'ReviewSupervisionResult', outcome: 'sent-back', comment, ctx: ctx(office) });

describe('supervisionDecider refusals (code, kind and field)', () => {
  it('an agency user bound to no agency writes nothing', () => {
    given(supervisionDecider, opened).when({ ...note(), ctx: ctx(agencyWithoutAgency) }).thenRefuses('agency-missing', 'forbidden');
  });

  it('an item is opened once', () => {
    given(supervisionDecider, opened).when(open()).thenRefuses('supervision-already-opened', 'conflict');
  });

  it('a due date that is not a date is refused on its field', () => {
    given(supervisionDecider).when(open({ dueOn: '2026-3-31' })).thenRefuses('date-invalid', 'invalid', 'dueOn');
    given(supervisionDecider, opened).when(requestExtension({ newDueOn: '15.04.2026' })).thenRefuses('date-invalid', 'invalid', 'newDueOn');
  });

  it('a progress note is recorded once under its id', () => {
    given(supervisionDecider, opened, noted).when(note('再次约谈', 'N1')).thenRefuses('note-exists', 'conflict');
  });

  it('one extension request at a time', () => {
    given(supervisionDecider, opened, requested).when(requestExtension()).thenRefuses('extension-pending', 'conflict');
  });

  it('a result awaiting review is not reported again, and there is nothing to review before a result', () => {
    given(supervisionDecider, opened, reported).when(reportResult()).thenRefuses('result-awaiting-review', 'conflict');
    given(supervisionDecider, opened).when(review()).thenRefuses('no-result-to-review', 'conflict');
  });

  describe.each(BLANKS)('required text, blank value %j', (blank) => {
    it('OpenSupervisionItem needs a title', () => {
      given(supervisionDecider).when(open({ title: blank })).thenRefuses('title-required', 'invalid', 'title');
    });
    it('NoteSupervisionProgress needs the note', () => {
      given(supervisionDecider, opened).when(note(blank)).thenRefuses('note-required', 'invalid', 'note');
    });
    it('RequestExtension needs a reason', () => {
      given(supervisionDecider, opened).when(requestExtension({ reason: blank })).thenRefuses('reason-required', 'invalid', 'reason');
    });
    it('RefuseExtension needs a reason', () => {
      given(supervisionDecider, opened, requested)
        .when({ type: 'RefuseExtension', requestId: 'E1', reason: blank, ctx: ctx(office) })
        .thenRefuses('reason-required', 'invalid', 'reason');
    });
    it('ReportSupervisionResult needs a summary', () => {
      given(supervisionDecider, opened).when(reportResult(blank)).thenRefuses('summary-required', 'invalid', 'summary');
    });
    it('ReviewSupervisionResult needs a comment', () => {
      given(supervisionDecider, opened, reported).when(review(blank)).thenRefuses('comment-required', 'invalid', 'comment');
    });
  });
});
