import { projectInMemory } from '../projection';
import { EventFeed } from '../testing/event-feed';
import { recoveredLossesProjection } from './recovered-losses.projection';

describe('recovered-losses projection', () => {
  it('given a recovery and its correction, then two entries, the correction booked in the original agency, category and date', () => {
    const f = new EventFeed();
    const events = [
      f.next('case.loss-recovered', { caseId: 'C1', recoveryId: 'R1', amountFen: 1_000_000, category: 'restitution', agency: 'finance-bureau', recoveredOn: '2026-03-31', note: 'n' }),
      f.next('case.loss-recovery-corrected', { caseId: 'C1', recoveryId: 'R1', correctionId: 'K1', deltaFen: -250_000, correctedAmountFen: 750_000, category: 'restitution', agency: 'finance-bureau', recoveredOn: '2026-03-31', reason: 'r', correctedOn: '2026-07-01' }),
    ];
    expect(projectInMemory(recoveredLossesProjection, [...events, events[0]])).toEqual([
      { entryId: 'correction:K1', kind: 'correction', caseId: 'C1', recoveryId: 'R1', agency: 'finance-bureau', category: 'restitution', amountFen: -250_000, recoveredOn: '2026-03-31', year: 2026, quarter: 1, bookedOn: '2026-07-01', position: 2 },
      { entryId: 'recovery:R1', kind: 'recovery', caseId: 'C1', recoveryId: 'R1', agency: 'finance-bureau', category: 'restitution', amountFen: 1_000_000, recoveredOn: '2026-03-31', year: 2026, quarter: 1, bookedOn: '2026-03-31', position: 1 },
    ]);
  });
});
