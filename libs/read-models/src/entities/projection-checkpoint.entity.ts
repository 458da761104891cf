import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

/** One row per projection: the global position up to which its rows are committed. */
@Entity('projection_checkpoints')
export class ProjectionCheckpointEntity {
  @PrimaryColumn({ type: 'varchar', name: 'name' })
  name!: string;

  @Column({ type: 'bigint', name: 'position', transformer: bigintAsNumber })
  position!: number;
}
