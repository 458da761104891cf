import type { AgencyCode } from '../shared/agency';
import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { actsFor, assertCanWrite, assertOffice, requireDate, requireDateNotAfterToday, requireOneOf, requireText } from '../shared/guards';
import type { LocalDate } from '../shared/local-date';
import type { MeetingCommand } from './meeting.commands';
import { MEETING_KINDS, STATEMENT_POSITIONS, type ActionItem, type DecisionCounts, type MeetingEvent, type MeetingKind, type StatementPosition } from './meeting.events';

export interface DecisionFacts {
  decisionId: string;
  actionItems: ActionItem[];
  /** in the order they were made */
  statements: { agency: AgencyCode; position: StatementPosition }[];
  taken: boolean;
}

export interface MeetingFacts {
  meetingId: string;
  kind: MeetingKind;
  scheduledOn: LocalDate;
  topicCutoffOn: LocalDate;
  topicIds: string[];
  /** set once convened */
  heldOn?: LocalDate;
  attendees: AgencyCode[];
  expectedMembers: AgencyCode[];
  principalLeader?: AgencyCode;
  briefedLeadIds: string[];
  decisions: Record<string, DecisionFacts>;
}

export type MeetingState =
  | { status: 'none' }
  | (MeetingFacts & { status: 'scheduled' }) // 已安排，征集议题
  | (MeetingFacts & { status: 'in-session' }) // 已召开：出席已登记，可通报线索、表态、作出决定
  | (MeetingFacts & { status: 'minuted' }) // 纪要已记录
  | (MeetingFacts & { status: 'closed' }); // 已结束

type ExistingMeeting = Exclude<MeetingState, { status: 'none' }>;

/** 'YYYY-H1' for January–June, 'YYYY-H2' for July–December. */
export const halfYearOf = (date: LocalDate): string => `${date.slice(0, 4)}-H${+date.slice(5, 7) <= 6 ? 1 : 2}`;

/** '2026年上半年' for '2026-H1' */
const halfYearLabel = (halfYear: string): string => `${halfYear.slice(0, 4)}年${halfYear.endsWith('H1') ? '上' : '下'}半年`;

/**
 * The name from which the api derives a regular meeting's id (a name-based UUID of it): every attempt to
 * schedule a regular meeting in one half-year addresses the same stream, so the decider sees the first and
 * refuses the second. (Only the name lives here: hashing it to a UUID is the api's, like every id.)
 */
export const regularMeetingName = (halfYear: string): string => `regular-meeting:${halfYear}`;

/** At least two thirds of the members who should attend are present (integer arithmetic, no rounding). */
export const hasQuorum = (present: number, shouldAttend: number): boolean => shouldAttend > 0 && present * 3 >= shouldAttend * 2;

/** More than half of the members who SHOULD attend agree — absent members count against a decision. */
export const passesMajority = (agree: number, shouldAttend: number): boolean => agree * 2 > shouldAttend;

function existing(state: MeetingState): ExistingMeeting {
  if (state.status === 'none') return refuse('meeting-not-found', '会议不存在', 'not-found');
  return state;
}

function notConcluded(state: MeetingState): Extract<ExistingMeeting, { status: 'scheduled' | 'in-session' }> {
  const m = existing(state);
  if (m.status === 'closed') return refuse('meeting-closed', '会议已结束');
  if (m.status === 'minuted') return refuse('minutes-recorded', '会议纪要已记录，会议事项不能再变更');
  return m;
}

function inSession(state: MeetingState): Extract<ExistingMeeting, { status: 'in-session' }> {
  const m = notConcluded(state);
  if (m.status === 'scheduled') return refuse('meeting-not-convened', '会议尚未召开（未登记出席）');
  return m;
}

function openDecision(m: MeetingFacts, decisionId: string): DecisionFacts {
  const d = m.decisions[decisionId];
  if (!d) return refuse('decision-not-found', '会议决定事项不存在', 'not-found');
  if (d.taken) return refuse('decision-already-taken', '该事项已作出决定');
  return d;
}

function assertPresent(m: MeetingFacts, agency: AgencyCode): void {
  if (!m.attendees.includes(agency)) refuse('agency-not-present', `“${agency}”未出席本次会议`, 'invalid', 'agency');
}

function checkActionItems(items: readonly ActionItem[], m: MeetingFacts, today: LocalDate): void {
  const ids = new Set<string>();
  items.forEach((item, i) => {
    const at = `actionItems.${i}`;
    if (ids.has(item.actionId)) refuse('duplicate-action', '决定事项的任务重复', 'invalid', `${at}.actionId`);
    ids.add(item.actionId);
    requireText(item.title, `${at}.title`, 'title-required', '任务名称');
    requireDate(item.dueOn, `${at}.dueOn`);
    // the supervision item it becomes may not be due before it is opened (the day the decision is taken)
    if (item.dueOn < today) refuse('due-date-in-past', '办理期限不能早于今天', 'invalid', `${at}.dueOn`);
    if (!m.expectedMembers.includes(item.assigneeAgency)) {
      refuse('assignee-not-member', `承办单位“${item.assigneeAgency}”不是会议当日的协调小组成员`, 'invalid', `${at}.assigneeAgency`);
    }
  });
}

const countsOf = (m: MeetingFacts, d: DecisionFacts): DecisionCounts => ({
  agree: d.statements.filter((s) => s.position === 'agree').length,
  disagree: d.statements.filter((s) => s.position === 'disagree').length,
  defer: d.statements.filter((s) => s.position === 'defer').length,
  present: m.attendees.length,
  shouldAttend: m.expectedMembers.length,
});

/**
 * 联席会议: stream `meeting-<id>`. The procedure the seed asks for, as rules:
 *  - topics (议题) are collected up to the cut-off; a later one, or one raised once the meeting is in
 *    session, is a 临时动议: refused without a justification, and flagged `late`;
 *  - attendance is recorded against the membership on the meeting date (given in the command);
 *  - each present member states once per decision; the principal leader (the member whose group role
 *    is 'leader' on the meeting date) states LAST: the leader's statement is refused while another
 *    present member has not stated, and no statement at all is accepted after the leader's;
 *  - a decision is taken only with at least two thirds of the members present (else quorum-not-met,
 *    and nothing is recorded) and once every present member has stated; it passes with more than half
 *    of the members who should attend agreeing;
 *  - minutes once no decision is pending; closed once minuted.
 */
export const meetingDecider: Decider<MeetingCommand, MeetingState, MeetingEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const { actor, today } = command.ctx;
    assertCanWrite(actor);
    switch (command.type) {
      case 'ScheduleMeeting': {
        assertOffice(actor);
        // One regular meeting per half-year: the api gives a regular meeting the stream of its half-year
        // (regularMeetingIdOf), so a second one in the same half-year arrives HERE, on a stream that already
        // holds the first — the rule is decided on one stream, atomically, without a cross-stream lookup.
        if (state.status !== 'none' && state.kind === 'regular' && command.kind === 'regular' && halfYearOf(state.scheduledOn) === halfYearOf(command.scheduledOn ?? '')) {
          refuse('regular-meeting-exists', `${halfYearLabel(halfYearOf(state.scheduledOn))}已安排联席会议例会（${state.scheduledOn}），每半年只安排一次例会；如需另行开会请安排专题会议`, 'conflict', 'scheduledOn');
        }
        if (state.status !== 'none') refuse('meeting-already-scheduled', '会议已安排');
        const kind = requireOneOf(command.kind, MEETING_KINDS, 'kind', '会议类型');
        requireText(command.title, 'title', 'title-required', '会议名称');
        requireDate(command.scheduledOn, 'scheduledOn');
        requireDate(command.topicCutoffOn, 'topicCutoffOn');
        if (command.topicCutoffOn > command.scheduledOn) refuse('cutoff-after-meeting', '议题征集截止日期不能晚于会议日期', 'invalid', 'topicCutoffOn');
        return [
          {
            type: 'meeting.scheduled',
            data: {
              meetingId: command.meetingId,
              kind,
              title: command.title,
              scheduledOn: command.scheduledOn,
              topicCutoffOn: command.topicCutoffOn,
              ...(kind === 'regular' ? { halfYear: halfYearOf(command.scheduledOn) } : {}),
            },
          },
        ];
      }

      case 'SubmitMeetingTopic': {
        const m = notConcluded(state);
        if (!actsFor(actor, command.agency)) refuse('not-own-agency', '成员单位只能以本单位名义提交议题', 'forbidden');
        if (m.topicIds.includes(command.topicId)) refuse('topic-exists', '该议题已提交');
        requireText(command.title, 'title', 'title-required', '议题名称');
        requireText(command.summary, 'summary', 'summary-required', '议题内容');
        // 临时动议: after the cut-off, or raised at the meeting itself without notice
        const late = today > m.topicCutoffOn || m.status === 'in-session';
        const justification = command.justification?.trim() ? command.justification : undefined;
        if (late && justification === undefined) {
          refuse('late-topic-needs-justification', `议题征集已于 ${m.topicCutoffOn} 截止，临时动议须说明理由`, 'invalid', 'justification');
        }
        return [
          {
            type: 'meeting.topic-submitted',
            data: {
              meetingId: m.meetingId,
              topicId: command.topicId,
              agency: command.agency,
              title: command.title,
              summary: command.summary,
              submittedOn: today,
              late,
              ...(justification !== undefined ? { justification } : {}),
            },
          },
        ];
      }

      case 'ConveneMeeting': {
        assertOffice(actor);
        const m = notConcluded(state);
        if (m.status === 'in-session') refuse('meeting-already-convened', '会议已召开');
        requireDateNotAfterToday(command.heldOn, today, 'heldOn');
        const expected = command.members.map((x) => x.agency);
        if (expected.length === 0) refuse('no-members-on-date', `${command.heldOn} 协调小组没有成员单位`, 'invalid', 'heldOn');
        if (command.attendees.length === 0) refuse('attendees-required', '请登记出席单位', 'invalid', 'attendees');
        if (new Set(command.attendees).size !== command.attendees.length) refuse('duplicate-attendee', '出席单位重复', 'invalid', 'attendees');
        for (const a of command.attendees) {
          if (!expected.includes(a)) refuse('attendee-not-member', `“${a}”不是 ${command.heldOn} 的协调小组成员单位`, 'invalid', 'attendees');
        }
        const leader = command.members.find((x) => x.groupRole === 'leader')?.agency;
        return [
          {
            type: 'meeting.convened',
            data: {
              meetingId: m.meetingId,
              kind: m.kind,
              heldOn: command.heldOn,
              // attendees in membership order, so the record does not depend on how the list was typed
              attendees: expected.filter((a) => command.attendees.includes(a)),
              expectedMembers: expected,
              ...(leader !== undefined ? { principalLeader: leader } : {}),
            },
          },
        ];
      }

      case 'BriefLeadAtMeeting': {
        const m = inSession(state);
        if (!actsFor(actor, command.agency)) refuse('not-own-agency', '成员单位只能以本单位名义通报线索', 'forbidden');
        assertPresent(m, command.agency);
        if (m.briefedLeadIds.includes(command.leadId)) refuse('lead-already-briefed', '该线索已在本次会议上通报');
        return [{ type: 'meeting.lead-briefed', data: { meetingId: m.meetingId, leadId: command.leadId, agency: command.agency, briefedOn: m.heldOn ?? today } }];
      }

      case 'ProposeMeetingDecision': {
        assertOffice(actor);
        const m = inSession(state);
        if (m.decisions[command.decisionId]) refuse('decision-exists', '该决定事项已提出');
        requireText(command.title, 'title', 'title-required', '决定事项');
        if (command.topicId !== undefined && !m.topicIds.includes(command.topicId)) refuse('topic-not-found', '议题不存在', 'invalid', 'topicId');
        checkActionItems(command.actionItems, m, today);
        return [
          {
            type: 'meeting.decision-proposed',
            data: {
              meetingId: m.meetingId,
              decisionId: command.decisionId,
              title: command.title,
              ...(command.topicId !== undefined ? { topicId: command.topicId } : {}),
              actionItems: command.actionItems.map((a) => ({ actionId: a.actionId, title: a.title, assigneeAgency: a.assigneeAgency, dueOn: a.dueOn })),
              proposedOn: today,
            },
          },
        ];
      }

      case 'RecordMeetingStatement': {
        const m = inSession(state);
        const d = openDecision(m, command.decisionId);
        // the office (secretariat) records every member's statement; an agency may record its own
        if (!actsFor(actor, command.agency)) refuse('not-own-agency', '成员单位只能记录本单位的表态', 'forbidden');
        const position = requireOneOf(command.position, STATEMENT_POSITIONS, 'position', '表态');
        requireText(command.reason, 'reason', 'reason-required', '表态理由');
        assertPresent(m, command.agency);
        const leader = m.principalLeader;
        if (leader !== undefined && d.statements.some((s) => s.agency === leader)) {
          refuse('leader-has-stated', '主要领导已最后表态，不能再记录表态');
        }
        if (d.statements.some((s) => s.agency === command.agency)) refuse('statement-already-recorded', '该单位已就此事项表态');
        const isPrincipalLeader = command.agency === leader;
        if (isPrincipalLeader) {
          const pending = m.attendees.filter((a) => a !== leader && !d.statements.some((s) => s.agency === a));
          if (pending.length > 0) refuse('leader-must-state-last', `主要领导须最后表态：尚有 ${pending.length} 个出席单位未表态（${pending.join('、')}）`);
        }
        return [
          {
            type: 'meeting.statement-recorded',
            data: { meetingId: m.meetingId, decisionId: d.decisionId, agency: command.agency, position, reason: command.reason, isPrincipalLeader },
          },
        ];
      }

      case 'TakeMeetingDecision': {
        assertOffice(actor);
        const m = inSession(state);
        const d = openDecision(m, command.decisionId);
        if (!hasQuorum(m.attendees.length, m.expectedMembers.length)) {
          refuse('quorum-not-met', `出席 ${m.attendees.length} 个单位，应到 ${m.expectedMembers.length} 个，未达到三分之二，不能作出决定`);
        }
        const missing = m.attendees.filter((a) => !d.statements.some((s) => s.agency === a));
        if (missing.length > 0) refuse('statements-missing', `尚有出席单位未表态：${missing.join('、')}`);
        checkActionItems(d.actionItems, m, today);
        const counts = countsOf(m, d);
        const passed = passesMajority(counts.agree, counts.shouldAttend);
        return [
          {
            type: 'meeting.decision-taken',
            data: { meetingId: m.meetingId, decisionId: d.decisionId, passed, counts, actionItems: passed ? d.actionItems : [], takenOn: today },
          },
        ];
      }

      case 'RecordMeetingMinutes': {
        assertOffice(actor);
        const m = inSession(state);
        const pending = Object.values(m.decisions).filter((d) => !d.taken);
        if (pending.length > 0) refuse('decisions-pending', `尚有 ${pending.length} 项决定事项未作出决定`);
        requireText(command.minutes, 'minutes', 'minutes-required', '会议纪要');
        return [{ type: 'meeting.minutes-recorded', data: { meetingId: m.meetingId, minutes: command.minutes, recordedOn: today } }];
      }

      case 'CloseMeeting': {
        assertOffice(actor);
        const m = existing(state);
        if (m.status === 'closed') refuse('meeting-closed', '会议已结束');
        if (m.status !== 'minuted') refuse('minutes-required', '须先记录会议纪要，才能结束会议');
        return [{ type: 'meeting.closed', data: { meetingId: m.meetingId, closedOn: today } }];
      }

      default: {
        const unhandled: never = command;
        throw new Error(`unhandled meeting command ${JSON.stringify(unhandled)}`);
      }
    }
  },

  evolve(state, event) {
    if (event.type === 'meeting.scheduled') {
      const d = event.data;
      return {
        status: 'scheduled',
        meetingId: d.meetingId,
        kind: d.kind,
        scheduledOn: d.scheduledOn,
        topicCutoffOn: d.topicCutoffOn,
        topicIds: [],
        attendees: [],
        expectedMembers: [],
        briefedLeadIds: [],
        decisions: {},
      };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'meeting.topic-submitted':
        return { ...state, topicIds: [...state.topicIds, event.data.topicId] };
      case 'meeting.convened': {
        const { principalLeader } = event.data;
        return {
          ...state,
          status: 'in-session',
          heldOn: event.data.heldOn,
          attendees: event.data.attendees,
          expectedMembers: event.data.expectedMembers,
          ...(principalLeader !== undefined ? { principalLeader } : {}),
        };
      }
      case 'meeting.lead-briefed':
        return { ...state, briefedLeadIds: [...state.briefedLeadIds, event.data.leadId] };
      case 'meeting.decision-proposed': {
        const { decisionId, actionItems } = event.data;
        return { ...state, decisions: { ...state.decisions, [decisionId]: { decisionId, actionItems, statements: [], taken: false } } };
      }
      case 'meeting.statement-recorded': {
        const d = state.decisions[event.data.decisionId];
        if (!d) return state;
        const statements = [...d.statements, { agency: event.data.agency, position: event.data.position }];
        return { ...state, decisions: { ...state.decisions, [d.decisionId]: { ...d, statements } } };
      }
      case 'meeting.decision-taken': {
        const d = state.decisions[event.data.decisionId];
        if (!d) return state;
        return { ...state, decisions: { ...state.decisions, [d.decisionId]: { ...d, taken: true } } };
      }
      case 'meeting.minutes-recorded':
        return { ...state, status: 'minuted' };
      case 'meeting.closed':
        return { ...state, status: 'closed' };
      default: {
        const unhandled: never = event;
        throw new Error(`unhandled meeting event ${JSON.stringify(unhandled)}`);
      }
    }
  },
};
