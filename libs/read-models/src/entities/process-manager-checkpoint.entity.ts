import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

/**
 * One row per process manager (libs/platform/src/process-manager): the global position up to which its
 * reactions have been carried out. Separate from projection_checkpoints on purpose: a projection rebuild
 * resets those, and must never make a process manager act again.
 */
@Entity('process_manager_checkpoints')
export class ProcessManagerCheckpointEntity {
  @PrimaryColumn({ type: 'varchar', name: 'name' })
  name!: string;

  @Column({ type: 'bigint', name: 'position', transformer: bigintAsNumber })
  position!: number;
}
