import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

export const MEETING_STATUSES = ['scheduled', 'in-session', 'minuted', 'closed'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export interface MeetingTopicRow {
  topicId: string;
  agency: string;
  title: string;
  summary: string;
  submittedOn: string;
  /** 临时动议: submitted after the cut-off or at the meeting */
  late: boolean;
  justification: string | null;
}

export interface MeetingStatementRow {
  agency: string;
  position: 'agree' | 'disagree' | 'defer';
  reason: string;
  isPrincipalLeader: boolean;
}

export interface MeetingDecisionRow {
  decisionId: string;
  title: string;
  topicId: string | null;
  proposedOn: string;
  actionItems: { actionId: string; title: string; assigneeAgency: string; dueOn: string }[];
  statements: MeetingStatementRow[];
  /** null until taken */
  passed: boolean | null;
  counts: { agree: number; disagree: number; defer: number; present: number; shouldAttend: number } | null;
  takenOn: string | null;
}

/**
 * 联席会议登记簿: one row per meeting, with its topics (late ones flagged), attendance, briefed leads and
 * decisions (every statement and the counts). A meeting is a small aggregate, so its parts are JSON
 * columns rather than child tables: the register is read a meeting at a time.
 */
@Entity('meeting_register')
@Index('ix_meeting_register_scheduled', ['scheduledOn'])
@Index('ix_meeting_register_half_year', ['halfYear'])
export class MeetingRegisterEntity {
  @PrimaryColumn({ type: 'varchar', name: 'meeting_id' })
  meetingId!: string;

  @Column({ type: 'varchar', name: 'kind' })
  kind!: 'regular' | 'special';

  @Column({ type: 'varchar', name: 'title' })
  title!: string;

  @Column({ type: 'varchar', name: 'half_year', nullable: true })
  halfYear!: string | null;

  @Column({ type: 'varchar', name: 'scheduled_on' })
  scheduledOn!: string;

  @Column({ type: 'varchar', name: 'topic_cutoff_on' })
  topicCutoffOn!: string;

  @Column({ type: 'varchar', name: 'status' })
  status!: MeetingStatus;

  @Column({ type: 'varchar', name: 'held_on', nullable: true })
  heldOn!: string | null;

  @Column({ type: 'simple-json', name: 'attendees' })
  attendees!: string[];

  @Column({ type: 'simple-json', name: 'expected_members' })
  expectedMembers!: string[];

  @Column({ type: 'varchar', name: 'principal_leader', nullable: true })
  principalLeader!: string | null;

  @Column({ type: 'simple-json', name: 'topics' })
  topics!: MeetingTopicRow[];

  @Column({ type: 'integer', name: 'late_topic_count' })
  lateTopicCount!: number;

  @Column({ type: 'simple-json', name: 'briefed_leads' })
  briefedLeads!: { leadId: string; agency: string }[];

  @Column({ type: 'simple-json', name: 'decisions' })
  decisions!: MeetingDecisionRow[];

  @Column({ type: 'integer', name: 'passed_decision_count' })
  passedDecisionCount!: number;

  @Column({ type: 'text', name: 'minutes', nullable: true })
  minutes!: string | null;

  @Column({ type: 'varchar', name: 'minutes_recorded_on', nullable: true })
  minutesRecordedOn!: string | null;

  @Column({ type: 'varchar', name: 'closed_on', nullable: true })
  closedOn!: string | null;

  @Column({ type: 'bigint', name: 'scheduled_position', transformer: bigintAsNumber })
  scheduledPosition!: number;

  @Column({ type: 'integer', name: 'version' })
  version!: number;
}
