import { projectInMemory } from '../projection';
import { EventFeed } from '../testing/event-feed';
import { meetingRegisterProjection } from './meeting-register.projection';

describe('meeting-register projection (联席会议登记簿)', () => {
  const M = 'meeting-M1';
  const action = { actionId: 'A1', title: '整改补贴资金问题', assigneeAgency: 'audit-bureau', dueOn: '2026-04-30' };

  it('given a meeting from scheduling to closing, then one row with late topics flagged, attendance, every statement and the counts', () => {
    const f = new EventFeed();
    const rows = projectInMemory(meetingRegisterProjection, [
      f.next('meeting.scheduled', { meetingId: 'M1', kind: 'regular', title: '上半年例会', scheduledOn: '2026-03-16', topicCutoffOn: '2026-03-10', halfYear: '2026-H1' }, M),
      f.next('meeting.topic-submitted', { meetingId: 'M1', topicId: 'T1', agency: 'court', title: '议题一', summary: 's', submittedOn: '2026-03-09', late: false }, M),
      f.next('meeting.topic-submitted', { meetingId: 'M1', topicId: 'T2', agency: 'audit-bureau', title: '议题二', summary: 's', submittedOn: '2026-03-12', late: true, justification: '报告刚定稿' }, M),
      f.next('meeting.convened', { meetingId: 'M1', kind: 'regular', heldOn: '2026-03-16', attendees: ['discipline-commission', 'court', 'audit-bureau'], expectedMembers: ['discipline-commission', 'court', 'audit-bureau', 'finance-bureau'], principalLeader: 'discipline-commission' }, M),
      f.next('meeting.lead-briefed', { meetingId: 'M1', leadId: 'L1', agency: 'audit-bureau', briefedOn: '2026-03-16' }, M),
      f.next('meeting.decision-proposed', { meetingId: 'M1', decisionId: 'D1', title: '专项督办', topicId: 'T2', actionItems: [action], proposedOn: '2026-03-16' }, M),
      f.next('meeting.statement-recorded', { meetingId: 'M1', decisionId: 'D1', agency: 'court', position: 'agree', reason: '同意', isPrincipalLeader: false }, M),
      f.next('meeting.statement-recorded', { meetingId: 'M1', decisionId: 'D1', agency: 'audit-bureau', position: 'defer', reason: '再研究', isPrincipalLeader: false }, M),
      f.next('meeting.statement-recorded', { meetingId: 'M1', decisionId: 'D1', agency: 'discipline-commission', position: 'agree', reason: '同意', isPrincipalLeader: true }, M),
      f.next('meeting.decision-taken', { meetingId: 'M1', decisionId: 'D1', passed: false, counts: { agree: 2, disagree: 0, defer: 1, present: 3, shouldAttend: 4 }, actionItems: [], takenOn: '2026-03-16' }, M),
      f.next('meeting.minutes-recorded', { meetingId: 'M1', minutes: '纪要', recordedOn: '2026-03-17' }, M),
      f.next('meeting.closed', { meetingId: 'M1', closedOn: '2026-03-18' }, M),
    ]);
    expect(rows).toEqual([
      {
        meetingId: 'M1', kind: 'regular', title: '上半年例会', halfYear: '2026-H1', scheduledOn: '2026-03-16', topicCutoffOn: '2026-03-10', status: 'closed',
        heldOn: '2026-03-16', attendees: ['discipline-commission', 'court', 'audit-bureau'], expectedMembers: ['discipline-commission', 'court', 'audit-bureau', 'finance-bureau'],
        principalLeader: 'discipline-commission',
        topics: [
          { topicId: 'T1', agency: 'court', title: '议题一', summary: 's', submittedOn: '2026-03-09', late: false, justification: null },
          { topicId: 'T2', agency: 'audit-bureau', title: '议题二', summary: 's', submittedOn: '2026-03-12', late: true, justification: '报告刚定稿' },
        ],
        lateTopicCount: 1,
        briefedLeads: [{ leadId: 'L1', agency: 'audit-bureau' }],
        decisions: [
          {
            decisionId: 'D1', title: '专项督办', topicId: 'T2', proposedOn: '2026-03-16', actionItems: [action],
            statements: [
              { agency: 'court', position: 'agree', reason: '同意', isPrincipalLeader: false },
              { agency: 'audit-bureau', position: 'defer', reason: '再研究', isPrincipalLeader: false },
              { agency: 'discipline-commission', position: 'agree', reason: '同意', isPrincipalLeader: true },
            ],
            passed: false, counts: { agree: 2, disagree: 0, defer: 1, present: 3, shouldAttend: 4 }, takenOn: '2026-03-16',
          },
        ],
        passedDecisionCount: 0, minutes: '纪要', minutesRecordedOn: '2026-03-17', closedOn: '2026-03-18', scheduledPosition: 1, version: 12,
      },
    ]);
  });

  it('given a special meeting only scheduled, then it has no half-year and is not in session; a passed decision is counted', () => {
    const f = new EventFeed();
    const [row] = projectInMemory(meetingRegisterProjection, [
      f.next('meeting.scheduled', { meetingId: 'M2', kind: 'special', title: '专题会', scheduledOn: '2026-05-01', topicCutoffOn: '2026-04-25' }, 'meeting-M2'),
    ]);
    expect(row).toMatchObject({ halfYear: null, status: 'scheduled', heldOn: null, principalLeader: null, lateTopicCount: 0, version: 1 });
    const g = new EventFeed();
    const [passed] = projectInMemory(meetingRegisterProjection, [
      g.next('meeting.scheduled', { meetingId: 'M3', kind: 'special', title: '专题会', scheduledOn: '2026-05-01', topicCutoffOn: '2026-04-25' }, 'meeting-M3'),
      g.next('meeting.convened', { meetingId: 'M3', kind: 'special', heldOn: '2026-05-01', attendees: ['court'], expectedMembers: ['court'] }, 'meeting-M3'),
      g.next('meeting.decision-proposed', { meetingId: 'M3', decisionId: 'D1', title: 't', actionItems: [action], proposedOn: '2026-05-01' }, 'meeting-M3'),
      g.next('meeting.decision-taken', { meetingId: 'M3', decisionId: 'D1', passed: true, counts: { agree: 1, disagree: 0, defer: 0, present: 1, shouldAttend: 1 }, actionItems: [action], takenOn: '2026-05-01' }, 'meeting-M3'),
    ]);
    expect(passed).toMatchObject({ status: 'in-session', principalLeader: null, passedDecisionCount: 1 });
    expect(passed?.decisions[0]).toMatchObject({ passed: true, topicId: null, statements: [] });
  });
});
