import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './column-options';

/**
 * 挽回经济损失 ledger: one row per entry — a recovery (+amount) or a compensating correction (±delta),
 * the correction booked in the ORIGINAL recovery's agency, category and date so that period totals for
 * a closed quarter change only through an explicit correction of that quarter's entry.
 */
@Entity('recovered_losses')
// covering indexes for the totals (see migrations/1768435200000-query-indexes.ts)
@Index('ix_recovered_losses_on', ['recoveredOn', 'agency', 'category', 'caseId', 'amountFen', 'year', 'quarter'])
@Index('ix_recovered_losses_case', ['caseId', 'amountFen'])
@Index('ix_recovered_losses_year', ['year', 'caseId', 'amountFen'])
@Index('ix_recovered_losses_agency', ['agency', 'recoveredOn'])
export class RecoveredLossEntity {
  /** `recovery:<recoveryId>` or `correction:<correctionId>` */
  @PrimaryColumn({ type: 'varchar', name: 'entry_id' })
  entryId!: string;

  @Column({ type: 'varchar', name: 'kind' })
  kind!: 'recovery' | 'correction';

  @Column({ type: 'varchar', name: 'case_id' })
  caseId!: string;

  @Column({ type: 'varchar', name: 'recovery_id' })
  recoveryId!: string;

  @Column({ type: 'varchar', name: 'agency' })
  agency!: string;

  @Column({ type: 'varchar', name: 'category' })
  category!: string;

  /** integer fen; negative for a correction that lowers the recovery */
  @Column({ type: 'bigint', name: 'amount_fen', transformer: bigintAsNumber })
  amountFen!: number;

  @Column({ type: 'varchar', name: 'recovered_on' })
  recoveredOn!: string;

  @Column({ type: 'integer', name: 'year' })
  year!: number;

  @Column({ type: 'integer', name: 'quarter' })
  quarter!: number;

  /** when the entry was booked: recoveredOn for a recovery, correctedOn for a correction */
  @Column({ type: 'varchar', name: 'booked_on' })
  bookedOn!: string;

  @Column({ type: 'bigint', name: 'position', transformer: bigintAsNumber })
  position!: number;
}
