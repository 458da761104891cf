import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

/**
 * Lead status, derived from the row's own fields (see deriveLeadStatus) so it can never disagree with them:
 *  - registered  held by an agency, no transfer pending, no disposition yet
 *  - in-transfer a transfer is pending (sent or forwarded, not yet accepted or returned)
 *  - disposed    a disposition other than 予以了结 was decided (talk-inquiry, preliminary-verification,
 *                hold-pending), whether or not it is concluded yet
 *  - closed      the disposition is 予以了结 (close)
 *  - converted   the lead was converted into a case (立案)
 */
export const LEAD_STATUSES = ['registered', 'in-transfer', 'disposed', 'closed', 'converted'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** 线索台账: one row per lead. Never any informant field — only the `hasInformant` boolean. */
@Entity('lead_register')
// filter, list order, then what a second filter, the total and the agency scope need (index-only reads;
// see migrations/1768435200000-query-indexes.ts)
@Index('ix_lead_register_status', ['status', 'registeredPosition', 'holderAgency', 'source', 'leadId'])
@Index('ix_lead_register_holder', ['holderAgency', 'registeredPosition', 'status', 'source', 'leadId'])
@Index('ix_lead_register_source', ['source', 'registeredPosition', 'status', 'holderAgency', 'leadId'])
@Index('ix_lead_register_position', ['registeredPosition', 'leadId'])
@Index('ix_lead_register_ledger_no', ['ledgerNo'])
// on the expression TRIM(subject_name), for 回避 lookups (RecusalService.hiddenFrom): created by the migration
@Index('ix_lead_register_subject_name', { synchronize: false })
export class LeadRegisterEntity {
  @PrimaryColumn({ type: 'varchar', name: 'lead_id' })
  leadId!: string;

  @Column({ type: 'varchar', name: 'ledger_no' })
  ledgerNo!: string;

  @Column({ type: 'integer', name: 'year' })
  year!: number;

  @Column({ type: 'varchar', name: 'source' })
  source!: string;

  @Column({ type: 'varchar', name: 'reporting_agency' })
  reportingAgency!: string;

  @Column({ type: 'varchar', name: 'holder_agency' })
  holderAgency!: string;

  @Column({ type: 'varchar', name: 'status' })
  status!: LeadStatus;

  @Column({ type: 'varchar', name: 'subject_name' })
  subjectName!: string;

  @Column({ type: 'varchar', name: 'subject_post' })
  subjectPost!: string;

  @Column({ type: 'varchar', name: 'subject_unit' })
  subjectUnit!: string;

  @Column({ type: 'varchar', name: 'subject_rank', nullable: true })
  subjectRank!: string | null;

  @Column({ type: 'text', name: 'allegation' })
  allegation!: string;

  @Column({ type: 'varchar', name: 'category', nullable: true })
  category!: string | null;

  @Column({ type: 'varchar', name: 'received_on' })
  receivedOn!: string;

  @Column({ type: 'boolean', name: 'important' })
  important!: boolean;

  @Column({ type: 'boolean', name: 'has_informant' })
  hasInformant!: boolean;

  @Column({ type: 'varchar', name: 'pending_transfer_id', nullable: true })
  pendingTransferId!: string | null;

  @Column({ type: 'varchar', name: 'pending_from_agency', nullable: true })
  pendingFromAgency!: string | null;

  @Column({ type: 'varchar', name: 'pending_to_agency', nullable: true })
  pendingToAgency!: string | null;

  @Column({ type: 'boolean', name: 'pending_acknowledged', nullable: true })
  pendingAcknowledged!: boolean | null;

  @Column({ type: 'integer', name: 'transfer_count' })
  transferCount!: number;

  @Column({ type: 'varchar', name: 'disposition_method', nullable: true })
  dispositionMethod!: string | null;

  @Column({ type: 'varchar', name: 'disposition_decided_on', nullable: true })
  dispositionDecidedOn!: string | null;

  @Column({ type: 'varchar', name: 'disposition_concluded_on', nullable: true })
  dispositionConcludedOn!: string | null;

  @Column({ type: 'varchar', name: 'case_id', nullable: true })
  caseId!: string | null;

  @Column({ type: 'varchar', name: 'case_no', nullable: true })
  caseNo!: string | null;

  /** global position of lead.registered: the stable list order */
  @Column({ type: 'bigint', name: 'registered_position', transformer: bigintAsNumber })
  registeredPosition!: number;

  /** stream version after the last applied event (the lead's ETag) */
  @Column({ type: 'integer', name: 'version' })
  version!: number;

  @Column({ type: 'bigint', name: 'last_position', transformer: bigintAsNumber })
  lastPosition!: number;
}
