import { quarterOf, yearOf } from '@coord/domain';
import { RecoveredLossEntity } from '../entities/recovered-loss.entity';
import { known, perKey, type ProjectedEvent, type RowProjection } from '../projection';

type Row = RecoveredLossEntity;

function entryKey(event: ProjectedEvent): string {
  const e = known(event);
  if (e.type === 'case.loss-recovered') return `recovery:${e.data.recoveryId}`;
  if (e.type === 'case.loss-recovery-corrected') return `correction:${e.data.correctionId}`;
  throw new Error(`recovered-losses does not handle ${event.type}`);
}

const keys = (e: ProjectedEvent): readonly string[] => [entryKey(e)];

/**
 * 挽回经济损失 ledger: one immutable row per entry. A correction is its own row with the signed delta,
 * booked in the ORIGINAL recovery's agency, category and date (copied onto the event), so totals by
 * period are plain SUMs and history is never rewritten. Case number and title are joined from
 * case_register at query time rather than copied here: the row key is per entry and the projection stays
 * one pure function of one event.
 */
export const recoveredLossesProjection: RowProjection<Row> = {
  name: 'recovered-losses',
  entity: RecoveredLossEntity,
  primaryKey: 'entryId',
  handles: ['case.loss-recovered', 'case.loss-recovery-corrected'],
  keys,
  apply: perKey<Row>(keys, (row, event, key) => {
    if (row) return undefined; // entries are immutable; a replay changes nothing
    const e = known(event);
    if (e.type === 'case.loss-recovered') {
      const d = e.data;
      return {
        entryId: key,
        kind: 'recovery',
        caseId: d.caseId,
        recoveryId: d.recoveryId,
        agency: d.agency,
        category: d.category,
        amountFen: d.amountFen,
        recoveredOn: d.recoveredOn,
        year: yearOf(d.recoveredOn),
        quarter: quarterOf(d.recoveredOn),
        bookedOn: d.recoveredOn,
        position: e.position,
      };
    }
    if (e.type === 'case.loss-recovery-corrected') {
      const d = e.data;
      return {
        entryId: key,
        kind: 'correction',
        caseId: d.caseId,
        recoveryId: d.recoveryId,
        agency: d.agency,
        category: d.category,
        amountFen: d.deltaFen,
        recoveredOn: d.recoveredOn,
        year: yearOf(d.recoveredOn),
        quarter: quarterOf(d.recoveredOn),
        bookedOn: d.correctedOn,
        position: e.position,
      };
    }
    return undefined;
  }),
};
