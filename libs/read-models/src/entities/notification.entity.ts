import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

export const NOTIFICATION_KINDS = ['reminder', 'escalation'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** 催办通知: one row per reminder or escalation event, for the per-agency notification feed. */
@Entity('notifications')
@Index('ix_notifications_agency', ['agency', 'position'])
@Index('ix_notifications_kind', ['kind', 'position'])
@Index('ix_notifications_position', ['position'])
export class NotificationEntity {
  /** `<streamId>@<streamVersion>` of the event: one notification per event, stable across rebuilds */
  @PrimaryColumn({ type: 'varchar', name: 'notification_id' })
  notificationId!: string;

  @Column({ type: 'varchar', name: 'kind' })
  kind!: NotificationKind;

  /** what is chased: supervision-item, transfer-acknowledgement, transfer-decision, disposition-conclusion */
  @Column({ type: 'varchar', name: 'subject' })
  subject!: string;

  /** the supervision item or lead id (links to its record and history) */
  @Column({ type: 'varchar', name: 'ref_id' })
  refId!: string;

  /** DB-… / LC-… */
  @Column({ type: 'varchar', name: 'ref' })
  ref!: string;

  /** the agency reminded */
  @Column({ type: 'varchar', name: 'agency' })
  agency!: string;

  /** the zh-CN text shown to people */
  @Column({ type: 'varchar', name: 'title' })
  title!: string;

  @Column({ type: 'varchar', name: 'step' })
  step!: string;

  @Column({ type: 'integer', name: 'level', nullable: true })
  level!: number | null;

  @Column({ type: 'varchar', name: 'to_role', nullable: true })
  toRole!: string | null;

  @Column({ type: 'varchar', name: 'due_on' })
  dueOn!: string;

  @Column({ type: 'integer', name: 'days_overdue', nullable: true })
  daysOverdue!: number | null;

  /** the business date of the reminder / escalation */
  @Column({ type: 'varchar', name: 'created_on' })
  createdOn!: string;

  @Column({ type: 'bigint', name: 'position', transformer: bigintAsNumber })
  position!: number;
}
