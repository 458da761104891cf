import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

/**
 *  - in-progress          assigned (交办), working; also after a refused extension or a sent-back result
 *  - extension-requested  an extension request awaits approval
 *  - awaiting-review      a result was reported and awaits the office's review (审结)
 *  - closed               closed (after an accepted result, or by the office)
 */
export const SUPERVISION_STATUSES = ['in-progress', 'extension-requested', 'awaiting-review', 'closed'] as const;
export type SupervisionStatus = (typeof SUPERVISION_STATUSES)[number];

/** 督办台账: one row per supervision item. */
@Entity('supervision_board')
@Index('ix_supervision_board_status', ['status', 'dueOn'])
@Index('ix_supervision_board_assignee', ['assigneeAgency', 'dueOn'])
@Index('ix_supervision_board_position', ['openedPosition'])
export class SupervisionBoardEntity {
  @PrimaryColumn({ type: 'varchar', name: 'item_id' })
  itemId!: string;

  @Column({ type: 'varchar', name: 'item_no' })
  itemNo!: string;

  @Column({ type: 'varchar', name: 'title' })
  title!: string;

  @Column({ type: 'varchar', name: 'origin' })
  origin!: string;

  @Column({ type: 'varchar', name: 'assignee_agency' })
  assigneeAgency!: string;

  @Column({ type: 'varchar', name: 'due_on' })
  dueOn!: string;

  @Column({ type: 'varchar', name: 'status' })
  status!: SupervisionStatus;

  @Column({ type: 'varchar', name: 'pending_extension_request_id', nullable: true })
  pendingExtensionRequestId!: string | null;

  @Column({ type: 'varchar', name: 'pending_extension_due_on', nullable: true })
  pendingExtensionDueOn!: string | null;

  @Column({ type: 'integer', name: 'extension_count' })
  extensionCount!: number;

  @Column({ type: 'varchar', name: 'last_progress_on', nullable: true })
  lastProgressOn!: string | null;

  @Column({ type: 'text', name: 'result_summary', nullable: true })
  resultSummary!: string | null;

  @Column({ type: 'varchar', name: 'result_reported_on', nullable: true })
  resultReportedOn!: string | null;

  @Column({ type: 'integer', name: 'sent_back_count' })
  sentBackCount!: number;

  @Column({ type: 'varchar', name: 'case_id', nullable: true })
  caseId!: string | null;

  @Column({ type: 'varchar', name: 'lead_id', nullable: true })
  leadId!: string | null;

  @Column({ type: 'varchar', name: 'opened_on' })
  openedOn!: string;

  @Column({ type: 'varchar', name: 'closed_on', nullable: true })
  closedOn!: string | null;

  @Column({ type: 'bigint', name: 'opened_position', transformer: bigintAsNumber })
  openedPosition!: number;

  @Column({ type: 'integer', name: 'version' })
  version!: number;
}
