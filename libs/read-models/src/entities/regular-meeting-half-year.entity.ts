import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

/**
 * One row per half-year in which a regular joint meeting (联席会议定期会议) was held. The overdue follow-ups
 * list every completed half-year WITHOUT a row here ("每半年至少召开一次").
 */
@Entity('regular_meeting_half_years')
export class RegularMeetingHalfYearEntity {
  /** `2026-H1` / `2026-H2` */
  @PrimaryColumn({ type: 'varchar', name: 'half_year' })
  halfYear!: string;

  @Column({ type: 'varchar', name: 'first_held_on' })
  firstHeldOn!: string;

  @Column({ type: 'integer', name: 'meeting_count' })
  meetingCount!: number;

  @Column({ type: 'bigint', name: 'last_position', transformer: bigintAsNumber })
  lastPosition!: number;
}
