import { ledgerDecider } from './ledger.decider';
import { nextLedgerNumber } from './next-ledger-number';
import type { LedgerEvent } from './ledger.events';

const assigned = (seq: number, itemId: string): LedgerEvent => ({
  type: 'ledger.number-assigned',
  data: { ledger: 'lead', year: 2026, seq, number: `LC-2026-${String(seq).padStart(4, '0')}`, itemId },
});

describe('nextLedgerNumber', () => {
  it('given an empty register, then the first number is 0001', () => {
    expect(nextLedgerNumber(ledgerDecider.initialState, 'lead', 2026, 'a')).toBe('LC-2026-0001');
  });

  it('given 41 numbers assigned, when a new item asks, then it gets 0042', () => {
    let state = ledgerDecider.initialState;
    for (let i = 1; i <= 41; i++) state = ledgerDecider.evolve(state, assigned(i, `item-${i}`));
    expect(nextLedgerNumber(state, 'lead', 2026, 'new')).toBe('LC-2026-0042');
  });

  it('given the item already holds a number, when it asks again, then it gets the same number', () => {
    const state = [assigned(1, 'a'), assigned(2, 'b')].reduce(ledgerDecider.evolve, ledgerDecider.initialState);
    expect(nextLedgerNumber(state, 'lead', 2026, 'a')).toBe('LC-2026-0001');
  });
});
