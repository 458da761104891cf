import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

export type CaseStatus = 'open' | 'closed';

/** 案件台账: one row per case. */
@Entity('case_register')
@Index('ix_case_register_status', ['status', 'filedPosition'])
@Index('ix_case_register_lead_agency', ['leadAgency', 'filedPosition'])
@Index('ix_case_register_position', ['filedPosition'])
@Index('ix_case_register_flags', ['major', 'difficult'])
export class CaseRegisterEntity {
  @PrimaryColumn({ type: 'varchar', name: 'case_id' })
  caseId!: string;

  @Column({ type: 'varchar', name: 'case_no' })
  caseNo!: string;

  @Column({ type: 'integer', name: 'year' })
  year!: number;

  @Column({ type: 'varchar', name: 'title' })
  title!: string;

  @Column({ type: 'varchar', name: 'lead_agency' })
  leadAgency!: string;

  @Column({ type: 'simple-json', name: 'co_agencies' })
  coAgencies!: string[];

  @Column({ type: 'simple-json', name: 'lead_ids' })
  leadIds!: string[];

  /** people implicated, for 回避 (a user implicated in a case never sees it) */
  @Column({ type: 'simple-json', name: 'subject_names' })
  subjectNames!: string[];

  @Column({ type: 'boolean', name: 'major' })
  major!: boolean;

  @Column({ type: 'boolean', name: 'difficult' })
  difficult!: boolean;

  @Column({ type: 'varchar', name: 'status' })
  status!: CaseStatus;

  @Column({ type: 'varchar', name: 'filed_on' })
  filedOn!: string;

  @Column({ type: 'varchar', name: 'closed_on', nullable: true })
  closedOn!: string | null;

  @Column({ type: 'varchar', name: 'last_progress_on', nullable: true })
  lastProgressOn!: string | null;

  @Column({ type: 'varchar', name: 'last_stage', nullable: true })
  lastStage!: string | null;

  /** net of corrections, integer fen */
  @Column({ type: 'bigint', name: 'recovered_fen', transformer: bigintAsNumber })
  recoveredFen!: number;

  @Column({ type: 'varchar', name: 'judicial_transfer_on', nullable: true })
  judicialTransferOn!: string | null;

  @Column({ type: 'integer', name: 'sanction_count' })
  sanctionCount!: number;

  @Column({ type: 'bigint', name: 'filed_position', transformer: bigintAsNumber })
  filedPosition!: number;

  @Column({ type: 'integer', name: 'version' })
  version!: number;

  @Column({ type: 'bigint', name: 'last_position', transformer: bigintAsNumber })
  lastPosition!: number;
}
