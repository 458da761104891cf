import type { AgencyCode } from '../shared/agency';
import type { DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';

/** 例会 (regular, one per half-year) or 专题会议 (special, when needed). */
export const MEETING_KINDS = ['regular', 'special'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** 同意 / 不同意 / 缓议 */
export const STATEMENT_POSITIONS = ['agree', 'disagree', 'defer'] as const;
export type StatementPosition = (typeof STATEMENT_POSITIONS)[number];

/** A task a decision assigns; once the decision passes it becomes a supervision item (督办事项). */
export interface ActionItem {
  actionId: string;
  title: string;
  assigneeAgency: AgencyCode;
  dueOn: LocalDate;
}

export interface DecisionCounts {
  agree: number;
  disagree: number;
  defer: number;
  /** members present (attendees) */
  present: number;
  /** members who should attend: the group's members on the meeting date */
  shouldAttend: number;
}

/** A regular meeting belongs to a half-year, '2026-H1' (Jan–Jun) or '2026-H2' (Jul–Dec), of its scheduled date. */
export type MeetingScheduled = DomainEvent<
  'meeting.scheduled',
  {
    meetingId: string;
    kind: MeetingKind;
    title: string;
    scheduledOn: LocalDate;
    /** topics submitted after this date are 临时动议: they need a justification and are flagged late */
    topicCutoffOn: LocalDate;
    /** regular meetings only */
    halfYear?: string;
  }
>;

/** An agenda topic (议题). `late` = submitted after the cut-off (临时动议), which requires `justification`. */
export type MeetingTopicSubmitted = DomainEvent<
  'meeting.topic-submitted',
  {
    meetingId: string;
    topicId: string;
    agency: AgencyCode;
    title: string;
    summary: string;
    submittedOn: LocalDate;
    late: boolean;
    justification?: string;
  }
>;

/**
 * The meeting was held; attendance is recorded against the membership ON `heldOn` (not today's).
 * The first five fields are a contract other modules rely on (reminders, reports): keep them.
 * `principalLeader` is the member whose group role was 'leader' on `heldOn` (absent when none was):
 * the one whose statement must come last on every decision.
 */
export type MeetingConvened = DomainEvent<
  'meeting.convened',
  {
    meetingId: string;
    kind: MeetingKind;
    heldOn: LocalDate;
    /** agency codes present */
    attendees: AgencyCode[];
    /** the members as of heldOn: who should attend */
    expectedMembers: AgencyCode[];
    principalLeader?: AgencyCode;
  }
>;

/** An agency briefed an existing lead at the meeting (联席会议通报): the meeting links to the lead. */
export type MeetingLeadBriefed = DomainEvent<'meeting.lead-briefed', { meetingId: string; leadId: string; agency: AgencyCode; briefedOn: LocalDate }>;

export type MeetingDecisionProposed = DomainEvent<
  'meeting.decision-proposed',
  { meetingId: string; decisionId: string; title: string; topicId?: string; actionItems: ActionItem[]; proposedOn: LocalDate }
>;

/** One member's statement (表态) on a decision. */
export type MeetingStatementRecorded = DomainEvent<
  'meeting.statement-recorded',
  { meetingId: string; decisionId: string; agency: AgencyCode; position: StatementPosition; reason: string; isPrincipalLeader: boolean }
>;

/**
 * The decision is taken: it passes with more than half of the members who SHOULD attend agreeing. Only
 * a quorate meeting (at least two thirds present) with every present member's statement can take it, so
 * an invalid decision is never recorded at all. A decision that did not pass carries no action items.
 */
export type MeetingDecisionTaken = DomainEvent<
  'meeting.decision-taken',
  { meetingId: string; decisionId: string; passed: boolean; counts: DecisionCounts; actionItems: ActionItem[]; takenOn: LocalDate }
>;

/** 会议纪要 */
export type MeetingMinutesRecorded = DomainEvent<'meeting.minutes-recorded', { meetingId: string; minutes: string; recordedOn: LocalDate }>;

export type MeetingClosed = DomainEvent<'meeting.closed', { meetingId: string; closedOn: LocalDate }>;

export type MeetingEvent =
  | MeetingScheduled
  | MeetingTopicSubmitted
  | MeetingConvened
  | MeetingLeadBriefed
  | MeetingDecisionProposed
  | MeetingStatementRecorded
  | MeetingDecisionTaken
  | MeetingMinutesRecorded
  | MeetingClosed;
