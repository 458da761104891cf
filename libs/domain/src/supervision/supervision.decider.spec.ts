import type { Actor } from '../shared/actor';
import { given } from '../testing/given-when-then';
import { audit, ctx, finance, leadership, office, system, TODAY } from '../testing/fixtures';
import { supervisionDecider } from './supervision.decider';
import type { SupervisionCommand } from './supervision.commands';
import type { SupervisionEvent } from './supervision.events';

const open = (actor: Actor, dueOn = '2026-03-31'): SupervisionCommand => ({
  type: 'OpenSupervisionItem',
  itemId: 'S1',
  itemNo: 'DB-2026-0003',
  title: '督促审计局整改补贴问题',
  origin: 'meeting-decision',
  assigneeAgency: 'audit-bureau',
  dueOn,
  caseId: 'C1',
  ctx: ctx(actor),
});
const opened: SupervisionEvent = {
  type: 'supervision.opened',
  data: { itemId: 'S1', itemNo: 'DB-2026-0003', title: '督促审计局整改补贴问题', origin: 'meeting-decision', assigneeAgency: 'audit-bureau', dueOn: '2026-03-31', caseId: 'C1', openedOn: TODAY },
};
const note = (actor: Actor): SupervisionCommand => ({ type: 'NoteSupervisionProgress', noteId: 'N1', note: '已约谈责任人', ctx: ctx(actor) });
const requestExtension = (actor: Actor, today = TODAY, newDueOn = '2026-04-15', requestId = 'E1'): SupervisionCommand => ({
  type: 'RequestExtension',
  requestId,
  newDueOn,
  reason: '需补充调取材料',
  ctx: ctx(actor, today),
});
const requested: SupervisionEvent = {
  type: 'supervision.extension-requested',
  data: { itemId: 'S1', requestId: 'E1', currentDueOn: '2026-03-31', newDueOn: '2026-04-15', reason: '需补充调取材料', requestedOn: TODAY },
};
const approve = (actor: Actor, requestId = 'E1'): SupervisionCommand => ({ type: 'ApproveExtension', requestId, comment: '同意', ctx: ctx(actor) });
const approved: SupervisionEvent = {
  type: 'supervision.extension-approved',
  data: { itemId: 'S1', requestId: 'E1', previousDueOn: '2026-03-31', newDueOn: '2026-04-15', comment: '同意', approvedOn: TODAY },
};
const refuseExt = (actor: Actor): SupervisionCommand => ({ type: 'RefuseExtension', requestId: 'E1', reason: '理由不充分', ctx: ctx(actor) });
const refused: SupervisionEvent = { type: 'supervision.extension-refused', data: { itemId: 'S1', requestId: 'E1', reason: '理由不充分', refusedOn: TODAY } };
const reportResult = (actor: Actor, resultId = 'R1'): SupervisionCommand => ({ type: 'ReportSupervisionResult', resultId, summary: '已整改到位', ctx: ctx(actor) });
const reported: SupervisionEvent = { type: 'supervision.result-reported', data: { itemId: 'S1', resultId: 'R1', summary: '已整改到位', agency: 'audit-bureau', reportedOn: TODAY } };
const review = (actor: Actor, outcome: 'accepted' | 'sent-back'): SupervisionCommand => ({ type: 'ReviewSupervisionResult', outcome, comment: '审核意见', ctx: ctx(actor) });
const accepted: SupervisionEvent = { type: 'supervision.result-accepted', data: { itemId: 'S1', resultId: 'R1', comment: '审核意见', reviewedOn: TODAY } };
const sentBack: SupervisionEvent = { type: 'supervision.result-sent-back', data: { itemId: 'S1', resultId: 'R1', comment: '审核意见', reviewedOn: TODAY } };
const closed: SupervisionEvent = { type: 'supervision.closed', data: { itemId: 'S1', closedOn: TODAY } };

describe('supervisionDecider', () => {
  describe('OpenSupervisionItem (立项/交办)', () => {
    it('the office opens an item for an assignee with a due date', () => {
      given(supervisionDecider).when(open(office)).then([opened]);
    });

    it('the system opens the action items of a passed meeting decision, and nothing else', () => {
      given(supervisionDecider).when(open(system)).then([opened]);
      given(supervisionDecider).when({ ...open(system), origin: 'office' } as SupervisionCommand).thenRefuses('office-only', 'forbidden');
    });
    it('office only; readers never write', () => {
      given(supervisionDecider).when(open(audit)).thenRefuses('office-only', 'forbidden');
      given(supervisionDecider).when(open(leadership)).thenRefuses('read-only-role', 'forbidden');
    });

    it('the due date may be today but not before', () => {
      given(supervisionDecider).when(open(office, TODAY)).then([{ ...opened, data: { ...opened.data, dueOn: TODAY } } as SupervisionEvent]);
      given(supervisionDecider).when(open(office, '2026-03-15')).thenRefuses('due-date-in-past', 'invalid', 'dueOn');
    });

    it('refuses an unknown origin', () => {
      given(supervisionDecider).when({ ...open(office), origin: 'rumour' } as never).thenRefuses('origin-invalid', 'invalid', 'origin');
    });

    it('only once', () => {
      given(supervisionDecider, opened).when(open(office)).thenRefuses('supervision-already-opened');
    });
  });

  it.each([note(office), requestExtension(audit), approve(office), refuseExt(office), reportResult(audit), review(office, 'accepted')])(
    'every other command on an empty stream is supervision-not-found (%#)',
    (command) => {
      given(supervisionDecider).when(command).thenRefuses('supervision-not-found', 'not-found');
    },
  );

  describe('NoteSupervisionProgress (督办过程记录)', () => {
    it('the assignee notes progress', () => {
      given(supervisionDecider, opened)
        .when(note(audit))
        .then([{ type: 'supervision.progress-noted', data: { itemId: 'S1', noteId: 'N1', note: '已约谈责任人', agency: 'audit-bureau', notedOn: TODAY } }]);
    });

    it('the office notes its follow-up (催办) as itself', () => {
      given(supervisionDecider, opened)
        .when(note(office))
        .then([{ type: 'supervision.progress-noted', data: { itemId: 'S1', noteId: 'N1', note: '已约谈责任人', agency: 'discipline-commission', notedOn: TODAY } }]);
    });

    it('another agency may not', () => {
      given(supervisionDecider, opened).when(note(finance)).thenRefuses('not-assignee', 'forbidden');
    });
  });

  describe('RequestExtension (申请延期)', () => {
    it('the assignee requests before the deadline', () => {
      given(supervisionDecider, opened).when(requestExtension(audit)).then([requested]);
    });

    it('on the due date itself it is still in time', () => {
      given(supervisionDecider, opened)
        .when(requestExtension(audit, '2026-03-31'))
        .then([{ ...requested, data: { ...requested.data, requestedOn: '2026-03-31' } } as SupervisionEvent]);
    });

    it('after the deadline it is too late', () => {
      given(supervisionDecider, opened).when(requestExtension(audit, '2026-04-01')).thenRefuses('extension-too-late', 'conflict');
    });

    it('only the assignee asks (not the office, not another agency)', () => {
      given(supervisionDecider, opened).when(requestExtension(office)).thenRefuses('not-assignee', 'forbidden');
      given(supervisionDecider, opened).when(requestExtension(finance)).thenRefuses('not-assignee', 'forbidden');
    });

    it('the new due date must be after the current one', () => {
      given(supervisionDecider, opened).when(requestExtension(audit, TODAY, '2026-03-31')).thenRefuses('extension-not-later', 'invalid', 'newDueOn');
    });

    it('one pending request at a time', () => {
      given(supervisionDecider, opened, requested).when(requestExtension(audit, TODAY, '2026-04-20', 'E2')).thenRefuses('extension-pending');
    });

    it('after a refusal the assignee may ask again', () => {
      given(supervisionDecider, opened, requested, refused)
        .when(requestExtension(audit, TODAY, '2026-04-10', 'E2'))
        .then([{ ...requested, data: { ...requested.data, requestId: 'E2', newDueOn: '2026-04-10' } } as SupervisionEvent]);
    });

    it('not on a closed item', () => {
      given(supervisionDecider, opened, reported, accepted, closed).when(requestExtension(audit)).thenRefuses('supervision-closed');
    });
  });

  describe('ApproveExtension / RefuseExtension (延期审批)', () => {
    it('the office approves; the due date moves', () => {
      given(supervisionDecider, opened, requested).when(approve(office)).then([approved]);
      expect(given(supervisionDecider, opened, requested, approved).state).toMatchObject({ dueOn: '2026-04-15', pendingExtension: undefined });
    });

    it('an approved extension means a later deadline for the next request', () => {
      given(supervisionDecider, opened, requested, approved).when(requestExtension(audit, '2026-04-10', '2026-04-30', 'E2')).then([
        {
          type: 'supervision.extension-requested',
          data: { itemId: 'S1', requestId: 'E2', currentDueOn: '2026-04-15', newDueOn: '2026-04-30', reason: '需补充调取材料', requestedOn: '2026-04-10' },
        },
      ]);
    });

    it('the office refuses; the due date stays', () => {
      given(supervisionDecider, opened, requested).when(refuseExt(office)).then([refused]);
      expect(given(supervisionDecider, opened, requested, refused).state).toMatchObject({ dueOn: '2026-03-31', pendingExtension: undefined });
    });

    it('office only, and the request id must match the pending request', () => {
      given(supervisionDecider, opened, requested).when(approve(audit)).thenRefuses('office-only', 'forbidden');
      given(supervisionDecider, opened, requested).when(refuseExt(audit)).thenRefuses('office-only', 'forbidden');
      given(supervisionDecider, opened, requested).when(approve(office, 'E9')).thenRefuses('extension-request-not-found', 'not-found');
      given(supervisionDecider, opened, requested, approved).when(approve(office)).thenRefuses('extension-request-not-found', 'not-found');
    });
  });

  describe('results and review (办理结果与审结)', () => {
    it('the assignee reports a result', () => {
      given(supervisionDecider, opened).when(reportResult(audit)).then([reported]);
    });

    it('not while a result awaits review', () => {
      given(supervisionDecider, opened, reported).when(reportResult(audit, 'R2')).thenRefuses('result-awaiting-review');
    });

    it('accepting emits result-accepted and closed', () => {
      given(supervisionDecider, opened, reported).when(review(office, 'accepted')).then([accepted, closed]);
    });

    it('sending back returns the item to the assignee, who may report again', () => {
      given(supervisionDecider, opened, reported).when(review(office, 'sent-back')).then([sentBack]);
      given(supervisionDecider, opened, reported, sentBack)
        .when(reportResult(audit, 'R2'))
        .then([{ ...reported, data: { ...reported.data, resultId: 'R2' } } as SupervisionEvent]);
    });

    it('review is office-only and needs a result awaiting review', () => {
      given(supervisionDecider, opened, reported).when(review(audit, 'accepted')).thenRefuses('office-only', 'forbidden');
      given(supervisionDecider, opened).when(review(office, 'accepted')).thenRefuses('no-result-to-review');
      given(supervisionDecider, opened, reported).when(review(office, 'maybe' as never)).thenRefuses('outcome-invalid', 'invalid', 'outcome');
      given(supervisionDecider, opened, reported, sentBack).when(review(office, 'accepted')).thenRefuses('no-result-to-review');
    });

    it('nothing happens after closing', () => {
      const history = [opened, reported, accepted, closed];
      for (const command of [note(audit), reportResult(audit, 'R2'), review(office, 'accepted'), approve(office)]) {
        given(supervisionDecider, ...history).when(command).thenRefuses('supervision-closed', 'conflict');
      }
    });
  });
});
