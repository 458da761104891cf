import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

export interface BulletinSubject {
  name: string;
  post: string;
  unit: string;
  rank: string | null;
}

export interface BulletinLead {
  leadId: string;
  ledgerNo: string;
  source: string;
  allegation: string;
  subject: BulletinSubject;
  receivedOn: string;
  disposition: { method: string; rationale: string; decidedOn: string } | null;
}

/** 案情报告 by stage: 初核/审查调查 reports are the facts established and measures taken. */
export interface BulletinProgress {
  reportId: string;
  stage: string;
  summary: string;
  agency: string;
  reportedOn: string;
}

export interface BulletinSanction {
  sanctionId: string;
  personName: string;
  kind: string;
  level: string | null;
  measure: string | null;
  decidedOn: string;
  agency: string;
}

/** 《案情专报》 sources: one row per case with everything a bulletin is assembled from. No informant, ever. */
@Entity('case_bulletin_sources')
@Index('ix_case_bulletin_sources_flags', ['major', 'difficult', 'filedOn'])
export class CaseBulletinSourceEntity {
  @PrimaryColumn({ type: 'varchar', name: 'case_id' })
  caseId!: string;

  @Column({ type: 'varchar', name: 'case_no' })
  caseNo!: string;

  @Column({ type: 'varchar', name: 'title' })
  title!: string;

  @Column({ type: 'varchar', name: 'lead_agency' })
  leadAgency!: string;

  @Column({ type: 'simple-json', name: 'co_agencies' })
  coAgencies!: string[];

  @Column({ type: 'boolean', name: 'major' })
  major!: boolean;

  @Column({ type: 'boolean', name: 'difficult' })
  difficult!: boolean;

  @Column({ type: 'varchar', name: 'status' })
  status!: 'open' | 'closed';

  @Column({ type: 'varchar', name: 'filed_on' })
  filedOn!: string;

  @Column({ type: 'varchar', name: 'closed_on', nullable: true })
  closedOn!: string | null;

  @Column({ type: 'text', name: 'closing_summary', nullable: true })
  closingSummary!: string | null;

  @Column({ type: 'simple-json', name: 'subjects' })
  subjects!: BulletinSubject[];

  @Column({ type: 'simple-json', name: 'leads' })
  leads!: BulletinLead[];

  @Column({ type: 'simple-json', name: 'progress' })
  progress!: BulletinProgress[];

  @Column({ type: 'simple-json', name: 'sanctions' })
  sanctions!: BulletinSanction[];

  @Column({ type: 'simple-json', name: 'judicial_transfer', nullable: true })
  judicialTransfer!: { toAgency: string; summary: string; transferredOn: string } | null;

  @Column({ type: 'simple-json', name: 'court_result', nullable: true })
  courtResult!: { result: string; decidedOn: string } | null;

  /** net recovered, integer fen */
  @Column({ type: 'bigint', name: 'recovered_fen', transformer: bigintAsNumber })
  recoveredFen!: number;

  /** net recovered per category (confiscation/restitution/fine), integer fen */
  @Column({ type: 'simple-json', name: 'recovered_by_category' })
  recoveredByCategory!: Record<string, number>;

  @Column({ type: 'integer', name: 'version' })
  version!: number;

  @Column({ type: 'bigint', name: 'last_position', transformer: bigintAsNumber })
  lastPosition!: number;
}
