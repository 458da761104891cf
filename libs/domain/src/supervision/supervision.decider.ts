import type { Actor } from '../shared/actor';
import type { AgencyCode } from '../shared/agency';
import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { actsFor, assertCanWrite, assertOffice, requireDate, requireOneOf, requireText } from '../shared/guards';
import type { LocalDate } from '../shared/local-date';
import type { SupervisionCommand } from './supervision.commands';
import { REVIEW_OUTCOMES, SUPERVISION_ORIGINS, type SupervisionEvent } from './supervision.events';
import { decideSupervisionReminder, rememberSupervisionReminder } from '../reminders/supervision-reminders';

export interface SupervisionFacts {
  itemId: string;
  itemNo: string;
  assigneeAgency: AgencyCode;
  dueOn: LocalDate;
  openedOn: LocalDate;
  pendingExtension?: { requestId: string; newDueOn: LocalDate };
  noteIds: string[];
  /** the item's name (for reminder texts); optional only because older states were folded without it */
  title?: string;
  /** reminder rungs already fired, `item:<step>@<dueOn>` (催办 is idempotent per step and due date) */
  reminders?: readonly string[];
}

export type SupervisionState =
  | { status: 'none' }
  | (SupervisionFacts & { status: 'in-progress' }) // 办理中 (also after a result is sent back)
  | (SupervisionFacts & { status: 'awaiting-review'; resultId: string }) // 已报结果，待审结
  | (SupervisionFacts & { status: 'closed' }); // 已办结

type ExistingItem = Exclude<SupervisionState, { status: 'none' }>;
type OpenItem = Exclude<ExistingItem, { status: 'closed' }>;

function openItem(state: SupervisionState): OpenItem {
  if (state.status === 'none') return refuse('supervision-not-found', '督办事项不存在', 'not-found');
  if (state.status === 'closed') return refuse('supervision-closed', '督办事项已办结');
  return state;
}

function assertAssigneeOrOffice(actor: Actor, item: OpenItem): void {
  if (!actsFor(actor, item.assigneeAgency)) refuse('not-assignee', '只有承办单位或协调小组办公室可以办理该督办事项', 'forbidden');
}

function pendingExtension(item: OpenItem, requestId: string): { requestId: string; newDueOn: LocalDate } {
  const pending = item.pendingExtension;
  if (!pending || pending.requestId !== requestId) return refuse('extension-request-not-found', '延期申请不存在或已处理', 'not-found');
  return pending;
}

export const supervisionDecider: Decider<SupervisionCommand, SupervisionState, SupervisionEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const { actor, today } = command.ctx;
    assertCanWrite(actor);
    switch (command.type) {
      case 'OpenSupervisionItem': {
        // 立项/交办 is the office's job (from a meeting decision, a leader's 批示 or its own initiative);
        // a passed meeting decision's action items are opened by the system (the meeting-decisions process manager)
        assertOffice(actor, { allowSystem: command.origin === 'meeting-decision' });
        if (state.status !== 'none') refuse('supervision-already-opened', '督办事项已立项');
        requireText(command.title, 'title', 'title-required', '督办事项名称');
        requireOneOf(command.origin, SUPERVISION_ORIGINS, 'origin', '督办来源');
        requireDate(command.dueOn, 'dueOn');
        if (command.dueOn < today) refuse('due-date-in-past', '办理期限不能早于今天', 'invalid', 'dueOn');
        return [
          {
            type: 'supervision.opened',
            data: {
              itemId: command.itemId,
              itemNo: command.itemNo,
              title: command.title,
              origin: command.origin,
              assigneeAgency: command.assigneeAgency,
              dueOn: command.dueOn,
              ...(command.caseId !== undefined ? { caseId: command.caseId } : {}),
              ...(command.leadId !== undefined ? { leadId: command.leadId } : {}),
              openedOn: today,
            },
          },
        ];
      }

      case 'NoteSupervisionProgress': {
        const item = openItem(state);
        assertAssigneeOrOffice(actor, item);
        if (item.noteIds.includes(command.noteId)) refuse('note-exists', '该过程记录已登记');
        requireText(command.note, 'note', 'note-required', '过程记录');
        return [
          {
            type: 'supervision.progress-noted',
            // booked to the acting agency; the office records as itself (it is the one following up: 催办)
            data: { itemId: item.itemId, noteId: command.noteId, note: command.note, agency: actor.agency ?? item.assigneeAgency, notedOn: today },
          },
        ];
      }

      case 'RequestExtension': {
        const item = openItem(state);
        // the assignee asks; the office decides — it may not ask itself
        if (!(actor.role === 'agency' && actor.agency === item.assigneeAgency)) refuse('not-assignee', '只有承办单位可以申请延期', 'forbidden');
        // 延期须在期限届满前申请: once the deadline has passed the item is overdue, not extendable
        if (today > item.dueOn) refuse('extension-too-late', `办理期限（${item.dueOn}）已过，不能再申请延期`);
        if (item.pendingExtension) refuse('extension-pending', '已有待审批的延期申请');
        requireDate(command.newDueOn, 'newDueOn');
        if (command.newDueOn <= item.dueOn) refuse('extension-not-later', '延期后的期限须晚于原期限', 'invalid', 'newDueOn');
        requireText(command.reason, 'reason', 'reason-required', '延期理由');
        return [
          {
            type: 'supervision.extension-requested',
            data: { itemId: item.itemId, requestId: command.requestId, currentDueOn: item.dueOn, newDueOn: command.newDueOn, reason: command.reason, requestedOn: today },
          },
        ];
      }

      case 'ApproveExtension': {
        const item = openItem(state);
        assertOffice(actor);
        const pending = pendingExtension(item, command.requestId);
        return [
          {
            type: 'supervision.extension-approved',
            data: {
              itemId: item.itemId,
              requestId: pending.requestId,
              previousDueOn: item.dueOn,
              newDueOn: pending.newDueOn,
              ...(command.comment !== undefined ? { comment: command.comment } : {}),
              approvedOn: today,
            },
          },
        ];
      }

      case 'RefuseExtension': {
        const item = openItem(state);
        assertOffice(actor);
        const pending = pendingExtension(item, command.requestId);
        requireText(command.reason, 'reason', 'reason-required', '不予延期理由');
        return [{ type: 'supervision.extension-refused', data: { itemId: item.itemId, requestId: pending.requestId, reason: command.reason, refusedOn: today } }];
      }

      case 'ReportSupervisionResult': {
        const item = openItem(state);
        assertAssigneeOrOffice(actor, item);
        if (item.status === 'awaiting-review') refuse('result-awaiting-review', '办理结果正在审核，请等待审结');
        requireText(command.summary, 'summary', 'summary-required', '办理结果');
        return [
          {
            type: 'supervision.result-reported',
            data: { itemId: item.itemId, resultId: command.resultId, summary: command.summary, agency: item.assigneeAgency, reportedOn: today },
          },
        ];
      }

      case 'ReviewSupervisionResult': {
        const item = openItem(state);
        assertOffice(actor);
        if (item.status !== 'awaiting-review') return refuse('no-result-to-review', '没有待审核的办理结果');
        requireOneOf(command.outcome, REVIEW_OUTCOMES, 'outcome', '审核结论');
        requireText(command.comment, 'comment', 'comment-required', '审核意见');
        const review = { itemId: item.itemId, resultId: item.resultId, comment: command.comment, reviewedOn: today };
        if (command.outcome === 'accepted') {
          // 审结 and 办结 are one decision: an accepted result closes the item in the same append
          return [
            { type: 'supervision.result-accepted', data: review },
            { type: 'supervision.closed', data: { itemId: item.itemId, closedOn: today } },
          ];
        }
        return [{ type: 'supervision.result-sent-back', data: review }];
      }

      case 'RemindSupervisionItem':
      case 'EscalateSupervisionItem':
        return decideSupervisionReminder(command, state);
      default: {
        const unhandled: never = command;
        throw new Error(`unhandled supervision command ${JSON.stringify(unhandled)}`);
      }
    }
  },

  evolve(state, event) {
    if (event.type === 'supervision.opened') {
      const d = event.data;
      return { status: 'in-progress', itemId: d.itemId, itemNo: d.itemNo, assigneeAgency: d.assigneeAgency, dueOn: d.dueOn, openedOn: d.openedOn, noteIds: [], title: d.title };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'supervision.progress-noted':
        return { ...state, noteIds: [...state.noteIds, event.data.noteId] };
      case 'supervision.extension-requested':
        return { ...state, pendingExtension: { requestId: event.data.requestId, newDueOn: event.data.newDueOn } };
      case 'supervision.extension-approved':
        return { ...state, dueOn: event.data.newDueOn, pendingExtension: undefined };
      case 'supervision.extension-refused':
        return { ...state, pendingExtension: undefined };
      case 'supervision.result-reported':
        return { ...state, status: 'awaiting-review', resultId: event.data.resultId };
      case 'supervision.result-accepted':
        return state; // the supervision.closed that follows changes the status
      case 'supervision.result-sent-back': {
        const { resultId: _resultId, ...rest } = state as Extract<ExistingItem, { status: 'awaiting-review' }>;
        return { ...rest, status: 'in-progress' };
      }
      case 'supervision.closed': {
        const { pendingExtension: _pending, ...rest } = state;
        return { ...rest, status: 'closed' };
      }
      case 'supervision.reminder-sent':
      case 'supervision.escalated':
        return rememberSupervisionReminder(state, event);
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  },
};
