import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

/**
 * One row per integration relay (libs/messaging): the global position up to which every published event
 * has been acknowledged by the broker. Kept apart from projection_checkpoints on purpose: a projection
 * rebuild resets those, and must never make the relay republish the whole log to member agencies.
 */
@Entity('relay_checkpoints')
export class RelayCheckpointEntity {
  @PrimaryColumn({ type: 'varchar', name: 'name' })
  name!: string;

  @Column({ type: 'bigint', name: 'position', transformer: bigintAsNumber })
  position!: number;

  /** ISO instant of the last move (operators: "when did the relay last make progress?") */
  @Column({ type: 'varchar', name: 'updated_at', nullable: true })
  updatedAt!: string | null;
}
