import type { Actor } from '../shared/actor';
import { SEED_AGENCIES } from '../shared/agency';
import { audit, ctx, office, TODAY } from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import type { MeetingCommand } from './meeting.commands';
import { meetingDecider } from './meeting.decider';
import type { ActionItem, MeetingEvent } from './meeting.events';

/**
 * Refusals of the meeting decider that meeting.decider.spec.ts does not pin down to code, kind AND field:
 * each is part of the HTTP contract (problem+json code, status family, highlighted field).
 */
const BLANKS = ['', '  \t\u3000'];
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };
const MEMBERS = SEED_AGENCIES.map((a) => ({ agency: a.code as string, groupRole: a.groupRole }));
const ALL = MEMBERS.map((m) => m.agency);

type Cmd<T extends MeetingCommand['type']> = Extract<MeetingCommand, { type: T }>;
const schedule = (over: Partial<Cmd<'ScheduleMeeting'>> = {}, actor: Actor = office): MeetingCommand => ({
  type: 'ScheduleMeeting',
  meetingId: 'M1',
  kind: 'regular',
  title: '2026年上半年联席会议',
  scheduledOn: TODAY,
  topicCutoffOn: '2026-03-10',
  ctx: ctx(actor),
  ...over,
});
const scheduled: MeetingEvent = {
  type: 'meeting.scheduled',
  data: { meetingId: 'M1', kind: 'regular', title: '2026年上半年联席会议', scheduledOn: TODAY, topicCutoffOn: '2026-03-10', halfYear: '2026-H1' },
};
const topic = (over: Partial<Cmd<'SubmitMeetingTopic'>> = {}): MeetingCommand => ({
  type: 'SubmitMeetingTopic',
  topicId: 'T1',
  agency: 'audit-bureau',
  title: '审计发现问题移送情况',
  summary: '通报审计发现的三条线索',
  ctx: ctx(audit, '2026-03-09'),
  ...over,
});
const topicSubmitted: MeetingEvent = {
  type: 'meeting.topic-submitted',
  data: { meetingId: 'M1', topicId: 'T1', agency: 'audit-bureau', title: '审计发现问题移送情况', summary: '通报审计发现的三条线索', submittedOn: '2026-03-09', late: false },
};
const convene = (heldOn = TODAY): MeetingCommand => ({ type: 'ConveneMeeting', heldOn, attendees: ALL, members: MEMBERS, ctx: ctx(office) });
const convened: MeetingEvent = {
  type: 'meeting.convened',
  data: { meetingId: 'M1', kind: 'regular', heldOn: TODAY, attendees: ALL, expectedMembers: ALL, principalLeader: 'discipline-commission' },
};
const briefed: MeetingEvent = { type: 'meeting.lead-briefed', data: { meetingId: 'M1', leadId: 'L1', agency: 'audit-bureau', briefedOn: TODAY } };
const ACTION: ActionItem = { actionId: 'A1', title: '审计局牵头整改补贴资金问题', assigneeAgency: 'audit-bureau', dueOn: '2026-04-30' };
const propose = (over: Partial<Cmd<'ProposeMeetingDecision'>> = {}): MeetingCommand => ({
  type: 'ProposeMeetingDecision',
  decisionId: 'D1',
  title: '对补贴资金问题开展专项督办',
  actionItems: [ACTION],
  ctx: ctx(office),
  ...over,
});
const proposed: MeetingEvent = {
  type: 'meeting.decision-proposed',
  data: { meetingId: 'M1', decisionId: 'D1', title: '对补贴资金问题开展专项督办', actionItems: [ACTION], proposedOn: TODAY },
};
const statement = (reason = '同意该方案'): MeetingCommand => ({
  type: 'RecordMeetingStatement',
  decisionId: 'D1',
  agency: 'audit-bureau',
  position: 'agree',
  reason,
  ctx: ctx(office),
});
const auditStated: MeetingEvent = {
  type: 'meeting.statement-recorded',
  data: { meetingId: 'M1', decisionId: 'D1', agency: 'audit-bureau', position: 'agree', reason: '同意该方案', isPrincipalLeader: false },
};
const taken: MeetingEvent = {
  type: 'meeting.decision-taken',
  data: { meetingId: 'M1', decisionId: 'D1', passed: true, counts: { agree: 10, disagree: 0, defer: 0, present: 10, shouldAttend: 10 }, actionItems: [ACTION], takenOn: TODAY },
};
const minutes = (text = '会议听取了……形成如下决定……'): MeetingCommand => ({ type: 'RecordMeetingMinutes', minutes: text, ctx: ctx(office) });
const minuted: MeetingEvent = { type: 'meeting.minutes-recorded', data: { meetingId: 'M1', minutes: '会议纪要', recordedOn: TODAY } };
const closed: MeetingEvent = { type: 'meeting.closed', data: { meetingId: 'M1', closedOn: TODAY } };
const close: MeetingCommand = { type: 'CloseMeeting', ctx: ctx(office) };
const inSession = [scheduled, convened, proposed];

describe('meetingDecider refusals (code, kind and field)', () => {
  it('an agency user bound to no agency writes nothing', () => {
    given(meetingDecider, scheduled).when({ ...topic(), ctx: ctx(agencyWithoutAgency) }).thenRefuses('agency-missing', 'forbidden');
  });

  it('dates that are not dates are refused on their own field', () => {
    given(meetingDecider).when(schedule({ topicCutoffOn: '2026-3-10' })).thenRefuses('date-invalid', 'invalid', 'topicCutoffOn');
    given(meetingDecider, scheduled).when(convene('today')).thenRefuses('date-invalid', 'invalid', 'heldOn');
  });

  it('a topic, a briefing, a decision and a statement are each recorded once', () => {
    given(meetingDecider, scheduled, topicSubmitted).when(topic()).thenRefuses('topic-exists', 'conflict');
    given(meetingDecider, scheduled, convened, briefed)
      .when({ type: 'BriefLeadAtMeeting', leadId: 'L1', agency: 'audit-bureau', ctx: ctx(audit) })
      .thenRefuses('lead-already-briefed', 'conflict');
    given(meetingDecider, ...inSession).when(propose()).thenRefuses('decision-exists', 'conflict');
    given(meetingDecider, ...inSession, auditStated).when(statement()).thenRefuses('statement-already-recorded', 'conflict');
  });

  it('the session order: convened once, decisions need a session, a taken decision is final', () => {
    given(meetingDecider, scheduled, convened).when(convene()).thenRefuses('meeting-already-convened', 'conflict');
    given(meetingDecider, scheduled).when(propose()).thenRefuses('meeting-not-convened', 'conflict');
    given(meetingDecider, ...inSession, taken).when({ type: 'TakeMeetingDecision', decisionId: 'D1', ctx: ctx(office) }).thenRefuses('decision-already-taken', 'conflict');
  });

  it('minutes wait for every decision; closing waits for the minutes; nothing changes after either', () => {
    given(meetingDecider, ...inSession).when(minutes()).thenRefuses('decisions-pending', 'conflict');
    given(meetingDecider, scheduled, convened).when(close).thenRefuses('minutes-required', 'conflict');
    given(meetingDecider, scheduled, convened, minuted).when(topic()).thenRefuses('minutes-recorded', 'conflict');
    given(meetingDecider, scheduled, convened, minuted, closed).when(topic()).thenRefuses('meeting-closed', 'conflict');
    given(meetingDecider, scheduled, convened, minuted, closed).when(close).thenRefuses('meeting-closed', 'conflict');
  });

  describe.each(BLANKS)('required text, blank value %j', (blank) => {
    it('ScheduleMeeting needs a title', () => {
      given(meetingDecider).when(schedule({ title: blank })).thenRefuses('title-required', 'invalid', 'title');
    });
    it('SubmitMeetingTopic needs a title and a summary', () => {
      given(meetingDecider, scheduled).when(topic({ title: blank })).thenRefuses('title-required', 'invalid', 'title');
      given(meetingDecider, scheduled).when(topic({ summary: blank })).thenRefuses('summary-required', 'invalid', 'summary');
    });
    it('ProposeMeetingDecision needs a title, and each action item a title (field names the item)', () => {
      given(meetingDecider, scheduled, convened).when(propose({ title: blank })).thenRefuses('title-required', 'invalid', 'title');
      given(meetingDecider, scheduled, convened)
        .when(propose({ actionItems: [ACTION, { ...ACTION, actionId: 'A2', title: blank }] }))
        .thenRefuses('title-required', 'invalid', 'actionItems.1.title');
    });
    it('RecordMeetingStatement needs a reason', () => {
      given(meetingDecider, ...inSession).when(statement(blank)).thenRefuses('reason-required', 'invalid', 'reason');
    });
    it('RecordMeetingMinutes needs the minutes', () => {
      given(meetingDecider, scheduled, convened).when(minutes(blank)).thenRefuses('minutes-required', 'invalid', 'minutes');
    });
  });
});
