import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

/** Agencies that handle a case: lead (主办), co (协办), judicial (移送司法 recipient). Key `${caseId}|${agency}`. */
@Entity('case_access')
@Index('ix_case_access_agency', ['agency', 'caseId'], { unique: true })
@Index('ix_case_access_case', ['caseId'])
export class CaseAccessEntity {
  @PrimaryColumn({ type: 'varchar', name: 'access_key' })
  accessKey!: string;

  @Column({ type: 'varchar', name: 'case_id' })
  caseId!: string;

  @Column({ type: 'varchar', name: 'agency' })
  agency!: string;

  /** lead | co | judicial — the first way the agency came to handle it */
  @Column({ type: 'varchar', name: 'role' })
  role!: string;

  @Column({ type: 'bigint', name: 'since_position', transformer: bigintAsNumber })
  sincePosition!: number;
}
