import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

/**
 * The 《案情专报》 register: one row per bulletin (drafts, approved, issued, corrections), for the list by
 * year. The text itself is read from the bulletin's own stream (what was signed is exactly what is shown).
 */
@Entity('bulletin_register')
@Index('ix_bulletin_register_year', ['year', 'seq'])
@Index('ix_bulletin_register_case', ['caseId'])
export class BulletinRegisterEntity {
  @PrimaryColumn({ type: 'varchar', name: 'bulletin_id' })
  bulletinId!: string;

  @Column({ type: 'varchar', name: 'case_id' })
  caseId!: string;

  @Column({ type: 'varchar', name: 'case_no' })
  caseNo!: string;

  @Column({ type: 'varchar', name: 'title' })
  title!: string;

  /** draft | approved | issued */
  @Column({ type: 'varchar', name: 'status' })
  status!: string;

  @Column({ type: 'integer', name: 'revision' })
  revision!: number;

  @Column({ type: 'varchar', name: 'drafted_on' })
  draftedOn!: string;

  @Column({ type: 'varchar', name: 'drafted_by' })
  draftedBy!: string;

  /** 签发人 as printed */
  @Column({ type: 'varchar', name: 'approved_by', nullable: true })
  approvedBy!: string | null;

  @Column({ type: 'varchar', name: 'approved_on', nullable: true })
  approvedOn!: string | null;

  /** the year of issue (the year of the register that numbered it); null until issued */
  @Column({ type: 'integer', name: 'year', nullable: true })
  year!: number | null;

  @Column({ type: 'integer', name: 'seq', nullable: true })
  seq!: number | null;

  /** 〔2026〕第3期 */
  @Column({ type: 'varchar', name: 'issue_no', nullable: true })
  issueNo!: string | null;

  @Column({ type: 'varchar', name: 'issued_on', nullable: true })
  issuedOn!: string | null;

  @Column({ type: 'simple-json', name: 'distribution', nullable: true })
  distribution!: { mainTo: string[]; copyTo: string[] } | null;

  /** set on a correction: the issued bulletin it corrects */
  @Column({ type: 'varchar', name: 'corrects_bulletin_id', nullable: true })
  correctsBulletinId!: string | null;

  @Column({ type: 'varchar', name: 'corrects_issue_no', nullable: true })
  correctsIssueNo!: string | null;

  /** on an issued bulletin: the corrections drafted for it */
  @Column({ type: 'simple-json', name: 'corrected_by' })
  correctedBy!: string[];

  /** the bulletin stream's version (If-Match) */
  @Column({ type: 'integer', name: 'version' })
  version!: number;

  @Column({ type: 'bigint', name: 'last_position', transformer: bigintAsNumber })
  lastPosition!: number;
}
