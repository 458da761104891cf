import type { AgencyCode, GroupRole } from '../shared/agency';
import type { WithContext } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { ActionItem, MeetingKind, StatementPosition } from './meeting.events';

export type ScheduleMeeting = WithContext<{
  type: 'ScheduleMeeting';
  meetingId: string;
  kind: MeetingKind;
  title: string;
  scheduledOn: LocalDate;
  topicCutoffOn: LocalDate;
}>;

export type SubmitMeetingTopic = WithContext<{
  type: 'SubmitMeetingTopic';
  topicId: string;
  agency: AgencyCode;
  title: string;
  summary: string;
  /** required when the topic comes after the cut-off (临时动议) */
  justification?: string;
}>;

/**
 * `members` is the group's membership ON `heldOn` (the caller folds the group stream with
 * membershipAsOf): the decider stays pure and the record shows whom quorum was counted against.
 */
export type ConveneMeeting = WithContext<{
  type: 'ConveneMeeting';
  heldOn: LocalDate;
  attendees: AgencyCode[];
  members: { agency: AgencyCode; groupRole: GroupRole }[];
}>;

export type BriefLeadAtMeeting = WithContext<{ type: 'BriefLeadAtMeeting'; leadId: string; agency: AgencyCode }>;

export type ProposeMeetingDecision = WithContext<{
  type: 'ProposeMeetingDecision';
  decisionId: string;
  title: string;
  topicId?: string;
  actionItems: ActionItem[];
}>;

export type RecordMeetingStatement = WithContext<{
  type: 'RecordMeetingStatement';
  decisionId: string;
  agency: AgencyCode;
  position: StatementPosition;
  reason: string;
}>;

export type TakeMeetingDecision = WithContext<{ type: 'TakeMeetingDecision'; decisionId: string }>;

export type RecordMeetingMinutes = WithContext<{ type: 'RecordMeetingMinutes'; minutes: string }>;

export type CloseMeeting = WithContext<{ type: 'CloseMeeting' }>;

export type MeetingCommand =
  | ScheduleMeeting
  | SubmitMeetingTopic
  | ConveneMeeting
  | BriefLeadAtMeeting
  | ProposeMeetingDecision
  | RecordMeetingStatement
  | TakeMeetingDecision
  | RecordMeetingMinutes
  | CloseMeeting;
