import type { Actor } from '../shared/actor';
import { SEED_AGENCIES } from '../shared/agency';
import { audit, auditor, ctx, finance, leadership, office, TODAY } from '../testing/fixtures';
import { fold, given } from '../testing/given-when-then';
import type { MeetingCommand } from './meeting.commands';
import { halfYearOf, hasQuorum, meetingDecider, passesMajority, regularMeetingName } from './meeting.decider';
import type { ActionItem, MeetingEvent, StatementPosition } from './meeting.events';

// TODAY is 2026-03-16. The meeting is scheduled for today, topics closed on the 10th.
const MEMBERS = SEED_AGENCIES.map((a) => ({ agency: a.code as string, groupRole: a.groupRole }));
const ALL = MEMBERS.map((m) => m.agency);
const LEADER = 'discipline-commission';
/** eight of ten present: finance and hr absent */
const EIGHT = ALL.filter((a) => a !== 'finance-bureau' && a !== 'hr-social-security');
const OTHERS = EIGHT.filter((a) => a !== LEADER);

const schedule = (over: Partial<Extract<MeetingCommand, { type: 'ScheduleMeeting' }>> = {}, actor: Actor = office): MeetingCommand => ({
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

const topic = (over: Partial<Extract<MeetingCommand, { type: 'SubmitMeetingTopic' }>> = {}, actor: Actor = audit, today = '2026-03-09'): MeetingCommand => ({
  type: 'SubmitMeetingTopic',
  topicId: 'T1',
  agency: 'audit-bureau',
  title: '审计发现问题移送情况',
  summary: '通报审计发现的三条线索',
  ctx: ctx(actor, today),
  ...over,
});
const topicSubmitted = (over: Record<string, unknown> = {}): MeetingEvent =>
  ({
    type: 'meeting.topic-submitted',
    data: { meetingId: 'M1', topicId: 'T1', agency: 'audit-bureau', title: '审计发现问题移送情况', summary: '通报审计发现的三条线索', submittedOn: '2026-03-09', late: false, ...over },
  }) as MeetingEvent;

const convene = (attendees: string[] = EIGHT, over: Partial<Extract<MeetingCommand, { type: 'ConveneMeeting' }>> = {}, actor: Actor = office): MeetingCommand => ({
  type: 'ConveneMeeting',
  heldOn: TODAY,
  attendees,
  members: MEMBERS,
  ctx: ctx(actor),
  ...over,
});
const convened = (attendees: string[] = EIGHT): MeetingEvent => ({
  type: 'meeting.convened',
  data: { meetingId: 'M1', kind: 'regular', heldOn: TODAY, attendees, expectedMembers: ALL, principalLeader: LEADER },
});

const ACTION: ActionItem = { actionId: 'A1', title: '审计局牵头整改补贴资金问题', assigneeAgency: 'audit-bureau', dueOn: '2026-04-30' };
const propose = (over: Partial<Extract<MeetingCommand, { type: 'ProposeMeetingDecision' }>> = {}, actor: Actor = office): MeetingCommand => ({
  type: 'ProposeMeetingDecision',
  decisionId: 'D1',
  title: '对补贴资金问题开展专项督办',
  actionItems: [ACTION],
  ctx: ctx(actor),
  ...over,
});
const proposed: MeetingEvent = {
  type: 'meeting.decision-proposed',
  data: { meetingId: 'M1', decisionId: 'D1', title: '对补贴资金问题开展专项督办', actionItems: [ACTION], proposedOn: TODAY },
};

const state = (agency: string, position: StatementPosition = 'agree', actor: Actor = office): MeetingCommand => ({
  type: 'RecordMeetingStatement',
  decisionId: 'D1',
  agency,
  position,
  reason: '同意该方案',
  ctx: ctx(actor),
});
const stated = (agency: string, position: StatementPosition = 'agree'): MeetingEvent => ({
  type: 'meeting.statement-recorded',
  data: { meetingId: 'M1', decisionId: 'D1', agency, position, reason: '同意该方案', isPrincipalLeader: agency === LEADER },
});
const take = (actor: Actor = office, today = TODAY): MeetingCommand => ({ type: 'TakeMeetingDecision', decisionId: 'D1', ctx: ctx(actor, today) });
const taken = (passed: boolean, counts: { agree: number; disagree: number; defer: number; present: number; shouldAttend: number }): MeetingEvent => ({
  type: 'meeting.decision-taken',
  data: { meetingId: 'M1', decisionId: 'D1', passed, counts, actionItems: passed ? [ACTION] : [], takenOn: TODAY },
});
const minutes = (actor: Actor = office): MeetingCommand => ({ type: 'RecordMeetingMinutes', minutes: '会议听取了……形成如下决定……', ctx: ctx(actor) });
const minuted: MeetingEvent = { type: 'meeting.minutes-recorded', data: { meetingId: 'M1', minutes: '会议听取了……形成如下决定……', recordedOn: TODAY } };
const close = (actor: Actor = office): MeetingCommand => ({ type: 'CloseMeeting', ctx: ctx(actor) });
const closed: MeetingEvent = { type: 'meeting.closed', data: { meetingId: 'M1', closedOn: TODAY } };

/** every present member but the leader agreed, in membership order */
const othersAgreed = OTHERS.map((a) => stated(a));
const inSession = [scheduled, convened(), proposed];

describe('meetingDecider (联席会议)', () => {
  describe('ScheduleMeeting', () => {
    it('the office schedules a regular meeting; it belongs to the half-year of its date', () => {
      given(meetingDecider).when(schedule()).then([scheduled]);
      expect(halfYearOf('2026-06-30')).toBe('2026-H1');
      expect(halfYearOf('2026-07-01')).toBe('2026-H2');
    });
    it('a special meeting has no half-year', () => {
      given(meetingDecider)
        .when(schedule({ kind: 'special', title: '专题会议' }))
        .then([{ type: 'meeting.scheduled', data: { meetingId: 'M1', kind: 'special', title: '专题会议', scheduledOn: TODAY, topicCutoffOn: '2026-03-10' } }]);
    });
    it('the topic cut-off may be the meeting date but not after it', () => {
      given(meetingDecider).when(schedule({ topicCutoffOn: TODAY })).then([{ ...scheduled, data: { ...scheduled.data, topicCutoffOn: TODAY } } as MeetingEvent]);
      given(meetingDecider).when(schedule({ topicCutoffOn: '2026-03-17' })).thenRefuses('cutoff-after-meeting', 'invalid', 'topicCutoffOn');
    });
    it('refuses an unknown kind, a missing title, a malformed date', () => {
      given(meetingDecider).when(schedule({ kind: 'weekly' as never })).thenRefuses('kind-invalid', 'invalid', 'kind');
      given(meetingDecider).when(schedule({ title: ' ' })).thenRefuses('title-required', 'invalid', 'title');
      given(meetingDecider).when(schedule({ scheduledOn: '2026-02-30' })).thenRefuses('date-invalid', 'invalid', 'scheduledOn');
    });
    it('office only, once', () => {
      given(meetingDecider).when(schedule({}, audit)).thenRefuses('office-only', 'forbidden');
      given(meetingDecider).when(schedule({}, leadership)).thenRefuses('read-only-role', 'forbidden');
      given(meetingDecider, scheduled).when(schedule({ kind: 'special', title: '专题会议' })).thenRefuses('meeting-already-scheduled', 'conflict');
    });
    it('given the half-year already has its regular meeting, when a second regular meeting is scheduled in the same half-year, then it is refused on scheduledOn', () => {
      // the api addresses every regular meeting of a half-year to the same stream (regularMeetingName)
      given(meetingDecider, scheduled).when(schedule({ meetingId: 'M2', scheduledOn: '2026-06-30', topicCutoffOn: '2026-06-20' })).thenRefuses('regular-meeting-exists', 'conflict', 'scheduledOn');
      expect(() => meetingDecider.decide(schedule({ scheduledOn: '2026-05-08', topicCutoffOn: '2026-05-01' }), fold(meetingDecider, scheduled))).toThrow(/2026年上半年已安排联席会议例会（2026-03-16）/);
      // a special meeting is never limited; a regular meeting of the next half-year lives on another stream
      given(meetingDecider).when(schedule({ kind: 'special', title: '专题会议' })).then([{ type: 'meeting.scheduled', data: { meetingId: 'M1', kind: 'special', title: '专题会议', scheduledOn: TODAY, topicCutoffOn: '2026-03-10' } }]);
      expect(regularMeetingName('2026-H1')).not.toBe(regularMeetingName('2026-H2'));
    });
  });

  it.each([topic(), convene(), propose(), state('court'), take(), minutes(), close(), { type: 'BriefLeadAtMeeting', leadId: 'L1', agency: 'audit-bureau', ctx: ctx(office) } as MeetingCommand])(
    'every other command on an empty stream is meeting-not-found (%#)',
    (command) => {
      given(meetingDecider).when(command).thenRefuses('meeting-not-found', 'not-found');
    },
  );

  describe('SubmitMeetingTopic (议题征集; 临时动议)', () => {
    it('an agency submits its own topic up to the cut-off: not late', () => {
      given(meetingDecider, scheduled).when(topic()).then([topicSubmitted()]);
      given(meetingDecider, scheduled).when(topic({}, audit, '2026-03-10')).then([topicSubmitted({ submittedOn: '2026-03-10' })]);
    });
    it('after the cut-off a topic without a justification is refused', () => {
      given(meetingDecider, scheduled).when(topic({}, audit, '2026-03-11')).thenRefuses('late-topic-needs-justification', 'invalid', 'justification');
      given(meetingDecider, scheduled).when(topic({ justification: '  ' }, audit, '2026-03-11')).thenRefuses('late-topic-needs-justification', 'invalid', 'justification');
    });
    it('after the cut-off a topic with a justification is accepted and flagged late', () => {
      given(meetingDecider, scheduled)
        .when(topic({ justification: '审计报告3月11日才定稿' }, audit, '2026-03-11'))
        .then([topicSubmitted({ submittedOn: '2026-03-11', late: true, justification: '审计报告3月11日才定稿' })]);
    });
    it('a topic raised once the meeting is in session is a 临时动议 even before the cut-off date', () => {
      given(meetingDecider, scheduled, convened()).when(topic({}, office, '2026-03-09')).thenRefuses('late-topic-needs-justification');
      given(meetingDecider, scheduled, convened())
        .when(topic({ justification: '会上临时提出' }, office, '2026-03-09'))
        .then([topicSubmitted({ late: true, justification: '会上临时提出' })]);
    });
    it('the office may submit for any agency; an agency only for itself', () => {
      given(meetingDecider, scheduled).when(topic({}, office)).then([topicSubmitted()]);
      given(meetingDecider, scheduled).when(topic({}, finance)).thenRefuses('not-own-agency', 'forbidden');
      given(meetingDecider, scheduled).when(topic({}, auditor)).thenRefuses('read-only-role', 'forbidden');
    });
    it('needs a title and a summary; a topic id only once', () => {
      given(meetingDecider, scheduled).when(topic({ title: '' })).thenRefuses('title-required', 'invalid', 'title');
      given(meetingDecider, scheduled).when(topic({ summary: '' })).thenRefuses('summary-required', 'invalid', 'summary');
      given(meetingDecider, scheduled, topicSubmitted()).when(topic()).thenRefuses('topic-exists');
    });
    it('no topics once the minutes are recorded or the meeting is closed', () => {
      given(meetingDecider, scheduled, convened(), minuted).when(topic({ justification: 'x' })).thenRefuses('minutes-recorded');
      given(meetingDecider, scheduled, convened(), minuted, closed).when(topic({ justification: 'x' })).thenRefuses('meeting-closed');
    });
  });

  describe('ConveneMeeting (出席登记，以会议当日成员为准)', () => {
    it('records who attended against the members on the meeting date, and the principal leader', () => {
      given(meetingDecider, scheduled).when(convene()).then([convened()]);
    });
    it('orders attendees as the membership, whatever order they were given in', () => {
      given(meetingDecider, scheduled).when(convene([...EIGHT].reverse())).then([convened()]);
    });
    it('an attendee who was not a member on that date is refused', () => {
      given(meetingDecider, scheduled).when(convene([...EIGHT, 'tax-bureau'])).thenRefuses('attendee-not-member', 'invalid', 'attendees');
      const withoutCourt = MEMBERS.filter((m) => m.agency !== 'court');
      given(meetingDecider, scheduled).when(convene(['court'], { members: withoutCourt })).thenRefuses('attendee-not-member', 'invalid', 'attendees');
    });
    it('without a leader on the date there is no principal leader', () => {
      const noLeader = MEMBERS.filter((m) => m.groupRole !== 'leader');
      const events = given(meetingDecider, scheduled).when(convene(['court'], { members: noLeader })).then([
        { type: 'meeting.convened', data: { meetingId: 'M1', kind: 'regular', heldOn: TODAY, attendees: ['court'], expectedMembers: noLeader.map((m) => m.agency) } },
      ]);
      expect(events[0]?.data).not.toHaveProperty('principalLeader');
    });
    it('refuses an empty or duplicated attendance, an empty membership, a meeting date in the future', () => {
      given(meetingDecider, scheduled).when(convene([])).thenRefuses('attendees-required', 'invalid', 'attendees');
      given(meetingDecider, scheduled).when(convene(['court', 'court'])).thenRefuses('duplicate-attendee', 'invalid', 'attendees');
      given(meetingDecider, scheduled).when(convene(['court'], { members: [] })).thenRefuses('no-members-on-date', 'invalid', 'heldOn');
      given(meetingDecider, scheduled).when(convene(EIGHT, { heldOn: '2026-03-17' })).thenRefuses('date-in-future', 'invalid', 'heldOn');
    });
    it('office only, once', () => {
      given(meetingDecider, scheduled).when(convene(EIGHT, {}, audit)).thenRefuses('office-only', 'forbidden');
      given(meetingDecider, scheduled, convened()).when(convene()).thenRefuses('meeting-already-convened');
    });
  });

  describe('BriefLeadAtMeeting (会上通报线索)', () => {
    const brief = (agency = 'audit-bureau', actor: Actor = audit): MeetingCommand => ({ type: 'BriefLeadAtMeeting', leadId: 'L1', agency, ctx: ctx(actor) });
    const briefed: MeetingEvent = { type: 'meeting.lead-briefed', data: { meetingId: 'M1', leadId: 'L1', agency: 'audit-bureau', briefedOn: TODAY } };
    it('a present agency briefs a lead; the meeting links it', () => {
      given(meetingDecider, scheduled, convened()).when(brief()).then([briefed]);
      given(meetingDecider, scheduled, convened()).when(brief('audit-bureau', office)).then([briefed]);
    });
    it('only at a meeting in session, by a present agency, for itself, once per lead', () => {
      given(meetingDecider, scheduled).when(brief()).thenRefuses('meeting-not-convened');
      given(meetingDecider, scheduled, convened()).when(brief('finance-bureau', finance)).thenRefuses('agency-not-present', 'invalid', 'agency');
      given(meetingDecider, scheduled, convened()).when(brief('court', audit)).thenRefuses('not-own-agency', 'forbidden');
      given(meetingDecider, scheduled, convened(), briefed).when(brief()).thenRefuses('lead-already-briefed');
    });
  });

  describe('ProposeMeetingDecision (提出决定事项及任务)', () => {
    it('the office proposes a decision with its action items at a meeting in session', () => {
      given(meetingDecider, scheduled, convened()).when(propose()).then([proposed]);
    });
    it('may refer to a submitted topic, not to an unknown one', () => {
      given(meetingDecider, scheduled, topicSubmitted(), convened())
        .when(propose({ topicId: 'T1' }))
        .then([{ ...proposed, data: { ...proposed.data, topicId: 'T1' } } as MeetingEvent]);
      given(meetingDecider, scheduled, convened()).when(propose({ topicId: 'T9' })).thenRefuses('topic-not-found', 'invalid', 'topicId');
    });
    it('checks every action item: title, due date not in the past, assignee a member on the meeting date, ids unique', () => {
      const bad = (item: Partial<ActionItem>) => propose({ actionItems: [{ ...ACTION, ...item }] });
      given(meetingDecider, scheduled, convened()).when(bad({ title: '' })).thenRefuses('title-required', 'invalid', 'actionItems.0.title');
      given(meetingDecider, scheduled, convened()).when(bad({ dueOn: '2026-03-15' })).thenRefuses('due-date-in-past', 'invalid', 'actionItems.0.dueOn');
      given(meetingDecider, scheduled, convened()).when(bad({ assigneeAgency: 'tax-bureau' })).thenRefuses('assignee-not-member', 'invalid', 'actionItems.0.assigneeAgency');
      given(meetingDecider, scheduled, convened()).when(propose({ actionItems: [ACTION, ACTION] })).thenRefuses('duplicate-action', 'invalid', 'actionItems.1.actionId');
    });
    it('office only; not before the meeting is convened; a decision id once', () => {
      given(meetingDecider, scheduled, convened()).when(propose({}, audit)).thenRefuses('office-only', 'forbidden');
      given(meetingDecider, scheduled).when(propose()).thenRefuses('meeting-not-convened');
      given(meetingDecider, ...inSession).when(propose()).thenRefuses('decision-exists');
    });
  });

  describe('RecordMeetingStatement (表态：同意/不同意/缓议，主要领导最后表态)', () => {
    it('the office records a present member\u2019s statement with its reason', () => {
      given(meetingDecider, ...inSession).when(state('court')).then([stated('court')]);
    });
    it('an agency may record its own statement, not another\u2019s', () => {
      given(meetingDecider, ...inSession).when(state('audit-bureau', 'defer', audit)).then([stated('audit-bureau', 'defer')]);
      given(meetingDecider, ...inSession).when(state('court', 'agree', audit)).thenRefuses('not-own-agency', 'forbidden');
    });
    it('an absent member cannot state', () => {
      given(meetingDecider, ...inSession).when(state('finance-bureau')).thenRefuses('agency-not-present', 'invalid', 'agency');
    });
    it('one statement per member per decision', () => {
      given(meetingDecider, ...inSession, stated('court')).when(state('court', 'disagree')).thenRefuses('statement-already-recorded');
    });
    it('needs a valid position and a reason', () => {
      given(meetingDecider, ...inSession).when({ ...state('court'), position: 'abstain' } as never).thenRefuses('position-invalid', 'invalid', 'position');
      given(meetingDecider, ...inSession).when({ ...state('court'), reason: ' ' } as MeetingCommand).thenRefuses('reason-required', 'invalid', 'reason');
    });
    it('the principal leader is refused while any other present member has not stated', () => {
      given(meetingDecider, ...inSession).when(state(LEADER)).thenRefuses('leader-must-state-last', 'conflict');
      given(meetingDecider, ...inSession, ...othersAgreed.slice(0, -1)).when(state(LEADER)).thenRefuses('leader-must-state-last', 'conflict');
    });
    it('the principal leader states last, once every other present member has stated (absent members are not waited for)', () => {
      given(meetingDecider, ...inSession, ...othersAgreed).when(state(LEADER)).then([stated(LEADER)]);
    });
    it('after the principal leader\u2019s statement no statement is accepted', () => {
      given(meetingDecider, ...inSession, ...othersAgreed, stated(LEADER)).when(state('court', 'disagree')).thenRefuses('leader-has-stated', 'conflict');
      given(meetingDecider, ...inSession, ...othersAgreed, stated(LEADER)).when(state(LEADER, 'defer')).thenRefuses('leader-has-stated', 'conflict');
    });
    it('when the principal leader is absent, nobody has to state last', () => {
      const withoutLeader = EIGHT.filter((a) => a !== LEADER).concat('finance-bureau');
      const ordered = ALL.filter((a) => withoutLeader.includes(a));
      given(meetingDecider, scheduled, convened(ordered), proposed).when(state('court')).then([stated('court')]);
      const allStated = ordered.map((a) => stated(a));
      given(meetingDecider, scheduled, convened(ordered), proposed, ...allStated)
        .when(take())
        .then([taken(true, { agree: 8, disagree: 0, defer: 0, present: 8, shouldAttend: 10 })]);
    });
    it('not on an unknown or already taken decision, not before the meeting is held', () => {
      given(meetingDecider, scheduled, convened()).when(state('court')).thenRefuses('decision-not-found', 'not-found');
      given(meetingDecider, ...inSession, ...othersAgreed, stated(LEADER), taken(true, { agree: 8, disagree: 0, defer: 0, present: 8, shouldAttend: 10 }))
        .when(state('court'))
        .thenRefuses('decision-already-taken');
      given(meetingDecider, scheduled).when(state('court')).thenRefuses('meeting-not-convened');
    });
  });

  describe('TakeMeetingDecision (作出决定：三分之二出席，应到会成员过半数同意)', () => {
    it('given 8 of 10 present and all agreeing with the leader last, the decision passes and carries its action items', () => {
      given(meetingDecider, ...inSession, ...othersAgreed, stated(LEADER))
        .when(take())
        .then([taken(true, { agree: 8, disagree: 0, defer: 0, present: 8, shouldAttend: 10 })]);
    });
    it('passes with six agreeing of ten who should attend (more than half), whatever the others said', () => {
      const mixed = OTHERS.map((a, i) => stated(a, i < 5 ? 'agree' : i === 5 ? 'disagree' : 'defer'));
      given(meetingDecider, ...inSession, ...mixed, stated(LEADER))
        .when(take())
        .then([taken(true, { agree: 6, disagree: 1, defer: 1, present: 8, shouldAttend: 10 })]);
    });
    it('fails with five agreeing of ten who should attend, even though five is a majority of the eight present', () => {
      const five = OTHERS.map((a, i) => stated(a, i < 4 ? 'agree' : 'defer'));
      given(meetingDecider, ...inSession, ...five, stated(LEADER))
        .when(take())
        .then([taken(false, { agree: 5, disagree: 0, defer: 3, present: 8, shouldAttend: 10 })]);
    });
    it('is refused without two thirds of the members present, and nothing is recorded', () => {
      const six = ALL.slice(0, 6);
      const sixStated = six.filter((a) => a !== LEADER).map((a) => stated(a));
      given(meetingDecider, scheduled, convened(six), proposed, ...sixStated, stated(LEADER)).when(take()).thenRefuses('quorum-not-met', 'conflict');
      expect(hasQuorum(6, 10)).toBe(false);
      expect(hasQuorum(7, 10)).toBe(true); // 7/10 ≥ 2/3
      expect(hasQuorum(6, 9)).toBe(true); // exactly two thirds
      expect(hasQuorum(5, 8)).toBe(false);
      expect(passesMajority(5, 10)).toBe(false);
      expect(passesMajority(6, 10)).toBe(true);
      expect(passesMajority(5, 9)).toBe(true);
    });
    it('is refused until every present member has stated (the leader included)', () => {
      given(meetingDecider, ...inSession, ...othersAgreed).when(take()).thenRefuses('statements-missing', 'conflict');
      given(meetingDecider, ...inSession).when(take()).thenRefuses('statements-missing', 'conflict');
    });
    it('refuses to take a decision whose action item has become overdue (it could not be opened as a supervision item)', () => {
      given(meetingDecider, ...inSession, ...othersAgreed, stated(LEADER)).when(take(office, '2026-05-01')).thenRefuses('due-date-in-past', 'invalid', 'actionItems.0.dueOn');
    });
    it('office only; once', () => {
      const ready = [...inSession, ...othersAgreed, stated(LEADER)];
      given(meetingDecider, ...ready).when(take(audit)).thenRefuses('office-only', 'forbidden');
      given(meetingDecider, ...ready, taken(true, { agree: 8, disagree: 0, defer: 0, present: 8, shouldAttend: 10 })).when(take()).thenRefuses('decision-already-taken');
    });
  });

  describe('RecordMeetingMinutes and CloseMeeting (会议纪要，结束会议)', () => {
    const done = [...inSession, ...othersAgreed, stated(LEADER), taken(true, { agree: 8, disagree: 0, defer: 0, present: 8, shouldAttend: 10 })];
    it('the office records the minutes once every proposed decision is taken, then closes the meeting', () => {
      given(meetingDecider, ...done).when(minutes()).then([minuted]);
      given(meetingDecider, ...done, minuted).when(close()).then([closed]);
    });
    it('minutes are refused while a decision is pending, before the meeting is held, without text, twice', () => {
      given(meetingDecider, ...inSession).when(minutes()).thenRefuses('decisions-pending');
      given(meetingDecider, scheduled).when(minutes()).thenRefuses('meeting-not-convened');
      given(meetingDecider, ...done).when({ type: 'RecordMeetingMinutes', minutes: '', ctx: ctx(office) }).thenRefuses('minutes-required', 'invalid', 'minutes');
      given(meetingDecider, ...done, minuted).when(minutes()).thenRefuses('minutes-recorded');
    });
    it('a meeting is closed only after its minutes, once, by the office', () => {
      given(meetingDecider, ...done).when(close()).thenRefuses('minutes-required');
      given(meetingDecider, scheduled).when(close()).thenRefuses('minutes-required');
      given(meetingDecider, ...done, minuted).when(close(audit)).thenRefuses('office-only', 'forbidden');
      given(meetingDecider, ...done, minuted, closed).when(close()).thenRefuses('meeting-closed');
    });
    it('nothing happens at a closed meeting', () => {
      for (const command of [propose({ decisionId: 'D2' }), state('court'), take(), minutes(), convene()]) {
        given(meetingDecider, ...done, minuted, closed).when(command).thenRefuses('meeting-closed');
      }
    });
  });
});
