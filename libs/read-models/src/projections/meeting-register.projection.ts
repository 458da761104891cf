import { MeetingRegisterEntity, type MeetingDecisionRow } from '../entities/meeting-register.entity';
import { known, perKey, type ProjectedEvent, type RowProjection } from '../projection';

type Row = MeetingRegisterEntity;

const keys = (e: ProjectedEvent): readonly string[] => [(e.data as { meetingId: string }).meetingId];

const next = (row: Row, e: ProjectedEvent, patch: Partial<Row>): Row => ({ ...row, ...patch, version: e.streamVersion });

const withDecision = (row: Row, decisionId: string, change: (d: MeetingDecisionRow) => MeetingDecisionRow): MeetingDecisionRow[] =>
  row.decisions.map((d) => (d.decisionId === decisionId ? change(d) : d));

function applyMeeting(row: Row | undefined, event: ProjectedEvent): Row | undefined {
  const e = known(event);
  if (e.type === 'meeting.scheduled') {
    if (row) return undefined;
    const d = e.data;
    return {
      meetingId: d.meetingId,
      kind: d.kind,
      title: d.title,
      halfYear: d.halfYear ?? null,
      scheduledOn: d.scheduledOn,
      topicCutoffOn: d.topicCutoffOn,
      status: 'scheduled',
      heldOn: null,
      attendees: [],
      expectedMembers: [],
      principalLeader: null,
      topics: [],
      lateTopicCount: 0,
      briefedLeads: [],
      decisions: [],
      passedDecisionCount: 0,
      minutes: null,
      minutesRecordedOn: null,
      closedOn: null,
      scheduledPosition: e.position,
      version: e.streamVersion,
    };
  }
  if (!row) return undefined;
  switch (e.type) {
    case 'meeting.topic-submitted': {
      const d = e.data;
      const topic = { topicId: d.topicId, agency: d.agency, title: d.title, summary: d.summary, submittedOn: d.submittedOn, late: d.late, justification: d.justification ?? null };
      return next(row, e, { topics: [...row.topics, topic], lateTopicCount: row.lateTopicCount + (d.late ? 1 : 0) });
    }
    case 'meeting.convened':
      return next(row, e, {
        status: 'in-session',
        heldOn: e.data.heldOn,
        attendees: e.data.attendees,
        expectedMembers: e.data.expectedMembers,
        principalLeader: e.data.principalLeader ?? null,
      });
    case 'meeting.lead-briefed':
      return next(row, e, { briefedLeads: [...row.briefedLeads, { leadId: e.data.leadId, agency: e.data.agency }] });
    case 'meeting.decision-proposed': {
      const d = e.data;
      const decision: MeetingDecisionRow = {
        decisionId: d.decisionId,
        title: d.title,
        topicId: d.topicId ?? null,
        proposedOn: d.proposedOn,
        actionItems: d.actionItems,
        statements: [],
        passed: null,
        counts: null,
        takenOn: null,
      };
      return next(row, e, { decisions: [...row.decisions, decision] });
    }
    case 'meeting.statement-recorded': {
      const d = e.data;
      const statement = { agency: d.agency, position: d.position, reason: d.reason, isPrincipalLeader: d.isPrincipalLeader };
      return next(row, e, { decisions: withDecision(row, d.decisionId, (x) => ({ ...x, statements: [...x.statements, statement] })) });
    }
    case 'meeting.decision-taken': {
      const d = e.data;
      return next(row, e, {
        decisions: withDecision(row, d.decisionId, (x) => ({ ...x, passed: d.passed, counts: d.counts, takenOn: d.takenOn })),
        passedDecisionCount: row.passedDecisionCount + (d.passed ? 1 : 0),
      });
    }
    case 'meeting.minutes-recorded':
      return next(row, e, { status: 'minuted', minutes: e.data.minutes, minutesRecordedOn: e.data.recordedOn });
    case 'meeting.closed':
      return next(row, e, { status: 'closed', closedOn: e.data.closedOn });
    default:
      return undefined;
  }
}

/** 联席会议登记簿: one row per meeting; late topics (临时动议) flagged and counted. */
export const meetingRegisterProjection: RowProjection<Row> = {
  name: 'meeting-register',
  entity: MeetingRegisterEntity,
  primaryKey: 'meetingId',
  handles: [
    'meeting.scheduled',
    'meeting.topic-submitted',
    'meeting.convened',
    'meeting.lead-briefed',
    'meeting.decision-proposed',
    'meeting.statement-recorded',
    'meeting.decision-taken',
    'meeting.minutes-recorded',
    'meeting.closed',
  ],
  keys,
  apply: perKey<Row>(keys, (row, e) => applyMeeting(row, e)),
};
