import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

export const DEADLINE_KINDS = ['supervision-item', 'transfer-acknowledgement', 'transfer-decision', 'disposition-conclusion'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/**
 * The deadline scheduler's work list (催办台账): one row per deadline that can be chased, open until the
 * obligation is met. Like follow_up_clocks it stores the clock (start + configured parameter, or a fixed
 * date), never a computed due date: the scheduler computes due dates at tick time from the configuration
 * and the editable working-day calendar. `lastStep`/`lastStepDueOn` record the furthest rung already fired
 * (from the reminder events themselves), so a tick only issues commands for rungs not yet fired; the
 * deterministic command id and the decider's per-step check are the guards behind it.
 */
@Entity('reminder_deadlines')
@Index('ix_reminder_deadlines_open', ['closedOn', 'kind'])
export class ReminderDeadlineEntity {
  /** `<kind>:<itemId | transferId | leadId>` */
  @PrimaryColumn({ type: 'varchar', name: 'deadline_id' })
  deadlineId!: string;

  @Column({ type: 'varchar', name: 'kind' })
  kind!: DeadlineKind;

  /** the stream the reminder command goes to (supervision-… / lead-…) */
  @Column({ type: 'varchar', name: 'stream_id' })
  streamId!: string;

  /** the supervision item or lead */
  @Column({ type: 'varchar', name: 'ref_id' })
  refId!: string;

  @Column({ type: 'varchar', name: 'transfer_id', nullable: true })
  transferId!: string | null;

  @Column({ type: 'varchar', name: 'method', nullable: true })
  method!: string | null;

  /** the agency that owes the step */
  @Column({ type: 'varchar', name: 'agency' })
  agency!: string;

  @Column({ type: 'varchar', name: 'start_on' })
  startOn!: string;

  /** a ClockConfig key (`transferAcknowledgeWorkingDays`, `dispositionWorkingDays.talk-inquiry`, …) or null for a fixed date */
  @Column({ type: 'varchar', name: 'clock_param', nullable: true })
  clockParam!: string | null;

  @Column({ type: 'varchar', name: 'fixed_due_on', nullable: true })
  fixedDueOn!: string | null;

  /** set when the obligation was met (or paused: a supervision result awaiting review) */
  @Column({ type: 'varchar', name: 'closed_on', nullable: true })
  closedOn!: string | null;

  @Column({ type: 'varchar', name: 'last_step', nullable: true })
  lastStep!: string | null;

  @Column({ type: 'varchar', name: 'last_step_due_on', nullable: true })
  lastStepDueOn!: string | null;

  @Column({ type: 'bigint', name: 'updated_position', transformer: bigintAsNumber })
  updatedPosition!: number;
}
