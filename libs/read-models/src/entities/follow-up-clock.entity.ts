import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

export const FOLLOW_UP_KINDS = [
  'supervision-item',
  'transfer-acknowledgement',
  'transfer-decision',
  'lead-disposition',
  'disposition-conclusion',
  'case-progress',
] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

export type FollowUpClockType = 'working-days' | 'calendar-days' | 'fixed-date';

/**
 * Which configured clock applies (a key of the query's `clocks` option; `dispositionWorkingDays.<method>`
 * for disposition conclusions). Stored as a name, not a number: clocks are configuration and can change
 * after the obligation opened.
 */
export type FollowUpClockParam =
  | 'transferAcknowledgeWorkingDays'
  | 'transferDecisionWorkingDays'
  | 'leadDispositionWorkingDays'
  | `dispositionWorkingDays.${string}`
  | 'majorCaseProgressDays';

/**
 * One row per follow-up obligation: who must do what, since when, by which clock, and when (if ever) it
 * was satisfied. Due dates are NOT stored (except fixed ones): they are computed at query time from the
 * clock configuration and the editable working-day calendar. An obligation that restarts (a progress
 * report restarts the major-case clock, a sent-back result reopens a supervision item, a lead that comes
 * back to an agency) archives the previous period under `<id>@v<stream version>` so that "overdue as of a
 * past date" still sees it.
 */
@Entity('follow_up_clocks')
// partial: open obligations only, with every column the overdue query returns (index-only); satisfied ones
// for "as of a past date" along each side of the range; clock first (see migrations/1768521600000-overdue-clock-indexes.ts)
@Index('ix_follow_up_clocks_open', ['clock', 'clockParam', 'startOn', 'fixedDueOn', 'kind', 'agency', 'satisfiedOn'], { where: '"satisfied_on" IS NULL' })
@Index('ix_follow_up_clocks_open_counts', ['clock', 'clockParam', 'kind', 'agency', 'startOn', 'fixedDueOn', 'satisfiedOn'], { where: '"satisfied_on" IS NULL' })
@Index('ix_follow_up_clocks_open_agency', ['agency', 'clock', 'clockParam', 'startOn', 'fixedDueOn', 'kind', 'satisfiedOn'], { where: '"satisfied_on" IS NULL' })
@Index('ix_follow_up_clocks_satisfied', ['clock', 'clockParam', 'startOn', 'satisfiedOn', 'fixedDueOn', 'kind', 'agency'], { where: '"satisfied_on" IS NOT NULL' })
@Index('ix_follow_up_clocks_satisfied_agency', ['agency', 'clock', 'clockParam', 'startOn', 'satisfiedOn', 'fixedDueOn', 'kind'], { where: '"satisfied_on" IS NOT NULL' })
@Index('ix_follow_up_clocks_satisfied_on', ['clock', 'clockParam', 'satisfiedOn', 'startOn', 'fixedDueOn', 'kind', 'agency'], { where: '"satisfied_on" IS NOT NULL' })
@Index('ix_follow_up_clocks_satisfied_on_agency', ['agency', 'clock', 'clockParam', 'satisfiedOn', 'startOn', 'fixedDueOn', 'kind'], { where: '"satisfied_on" IS NOT NULL' })
@Index('ix_follow_up_clocks_param', ['clockParam', 'startOn'])
export class FollowUpClockEntity {
  @PrimaryColumn({ type: 'varchar', name: 'obligation_id' })
  obligationId!: string;

  @Column({ type: 'varchar', name: 'kind' })
  kind!: FollowUpKind;

  /** the lead, transfer, supervision item or case the obligation is about */
  @Column({ type: 'varchar', name: 'ref_id' })
  refId!: string;

  /** human reference: ledger no (LC-…), item no (DB-…) or case no (AJ-…) */
  @Column({ type: 'varchar', name: 'ref' })
  ref!: string;

  @Column({ type: 'varchar', name: 'agency' })
  agency!: string;

  @Column({ type: 'varchar', name: 'title' })
  title!: string;

  @Column({ type: 'varchar', name: 'start_on' })
  startOn!: string;

  @Column({ type: 'varchar', name: 'clock' })
  clock!: FollowUpClockType;

  @Column({ type: 'varchar', name: 'clock_param', nullable: true })
  clockParam!: FollowUpClockParam | null;

  @Column({ type: 'varchar', name: 'fixed_due_on', nullable: true })
  fixedDueOn!: string | null;

  @Column({ type: 'varchar', name: 'satisfied_on', nullable: true })
  satisfiedOn!: string | null;

  @Column({ type: 'varchar', name: 'satisfied_by', nullable: true })
  satisfiedBy!: string | null;

  @Column({ type: 'bigint', name: 'opened_position', transformer: bigintAsNumber })
  openedPosition!: number;
}
