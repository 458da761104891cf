import { given } from '../testing/given-when-then';
import { audit, auditor, ctx, office } from '../testing/fixtures';
import { formatLedgerNumber, ledgerDecider, ledgerNumberOf } from './ledger.decider';
import type { LedgerCommand } from './ledger.commands';
import type { LedgerEvent } from './ledger.events';

const assign = (itemId: string, extra: Partial<Pick<Extract<LedgerCommand, { type: 'AssignLedgerNumber' }>, 'ledger' | 'year'>> = {}, actor = audit): LedgerCommand => ({
  type: 'AssignLedgerNumber',
  ledger: 'lead',
  year: 2026,
  itemId,
  ctx: ctx(actor),
  ...extra,
});
const assigned = (itemId: string, seq: number): LedgerEvent => ({
  type: 'ledger.number-assigned',
  data: { ledger: 'lead', year: 2026, seq, number: formatLedgerNumber('lead', 2026, seq), itemId },
});

describe('ledgerDecider (台账编号)', () => {
  it('the first number of the year is 0001', () => {
    given(ledgerDecider).when(assign('L1')).then([{ type: 'ledger.number-assigned', data: { ledger: 'lead', year: 2026, seq: 1, number: 'LC-2026-0001', itemId: 'L1' } }]);
  });

  it('numbers are gapless: the next is lastSeq + 1', () => {
    const history = Array.from({ length: 41 }, (_, i) => assigned(`L${i + 1}`, i + 1));
    given(ledgerDecider, ...history).when(assign('L42')).then([{ type: 'ledger.number-assigned', data: { ledger: 'lead', year: 2026, seq: 42, number: 'LC-2026-0042', itemId: 'L42' } }]);
  });

  it('is idempotent per item: asking again yields nothing, and the number is found with ledgerNumberOf', () => {
    given(ledgerDecider, assigned('L1', 1), assigned('L2', 2)).when(assign('L1')).thenNothing();
    const { state } = given(ledgerDecider, assigned('L1', 1), assigned('L2', 2));
    expect(ledgerNumberOf(state, 'L2')).toBe('LC-2026-0002');
    expect(ledgerNumberOf(state, 'L3')).toBeUndefined();
  });

  it('folds a register of 20,000 numbers (every registration folds its year), and an earlier state keeps only its own numbers', () => {
    // evolve used to copy an itemId → seq map per event: O(n²), about a second per 1,000 numbers
    let state = ledgerDecider.initialState;
    const states = [state];
    for (let i = 1; i <= 20_000; i++) {
      state = ledgerDecider.evolve(state, assigned(`L${i}`, i));
      if (i === 10) states.push(state);
    }
    expect(state.lastSeq).toBe(20_000);
    expect(ledgerNumberOf(state, 'L1')).toBe('LC-2026-0001');
    expect(ledgerNumberOf(state, 'L20000')).toBe('LC-2026-20000');
    given(ledgerDecider).when(assign('L20001')).then([assigned('L20001', 1)]);
    expect(ledgerDecider.decide(assign('L20001'), state)).toEqual([assigned('L20001', 20_001)]);
    // immutable states: the state after 10 numbers does not see the later ones, the initial state none
    expect(ledgerNumberOf(states[1] as typeof state, 'L11')).toBeUndefined();
    expect(ledgerNumberOf(states[1] as typeof state, 'L10')).toBe('LC-2026-0010');
    expect(ledgerNumberOf(states[0] as typeof state, 'L1')).toBeUndefined();
  });

  it('looks items up as commands do (decide, then fold the number, 20,000 times) and every state still sees exactly its own numbers: older states, forks', () => {
    let state = ledgerDecider.initialState;
    let drawn = 0;
    let mid = state;
    for (let i = 1; i <= 20_000; i++) {
      if (i === 11) mid = state; // the state after 10 numbers, looked up again below after its index moved on
      // as a registration does with the kept fold: look up (decide), then the next state is folded; the
      // index handed from state to state makes this linear (bench:kafka's intake shows the difference)
      drawn += ledgerDecider.decide(assign(`L${i}`), state).length;
      state = ledgerDecider.evolve(state, assigned(`L${i}`, i));
    }
    expect(drawn).toBe(20_000);
    expect(ledgerDecider.decide(assign('L777'), state)).toEqual([]);
    const tip = state;
    // an older state looked up after the index moved on: it rebuilds its own, without the later numbers
    expect(ledgerNumberOf(mid, 'L10')).toBe('LC-2026-0010');
    expect(ledgerNumberOf(mid, 'L11')).toBeUndefined();
    expect(ledgerDecider.decide(assign('L11'), mid)).toEqual([assigned('L11', 11)]);
    // two states forked from the tip: each sees its own new number only, and the tip neither
    const a = ledgerDecider.evolve(tip, assigned('A', 20_001));
    const b = ledgerDecider.evolve(tip, assigned('B', 20_001));
    expect(ledgerNumberOf(a, 'A')).toBe('LC-2026-20001');
    expect(ledgerNumberOf(b, 'A')).toBeUndefined();
    expect(ledgerNumberOf(b, 'B')).toBe('LC-2026-20001');
    expect(ledgerNumberOf(a, 'B')).toBeUndefined();
    expect(ledgerNumberOf(tip, 'A')).toBeUndefined();
    expect(ledgerNumberOf(tip, 'L20000')).toBe('LC-2026-20000');
    expect(ledgerNumberOf(a, 'L1')).toBe('LC-2026-0001');
  });

  it('formats case and supervision numbers with their prefixes, wider past 9999', () => {
    expect(formatLedgerNumber('case', 2026, 7)).toBe('AJ-2026-0007');
    expect(formatLedgerNumber('supervision', 2026, 3)).toBe('DB-2026-0003');
    expect(formatLedgerNumber('lead', 2026, 12345)).toBe('LC-2026-12345');
  });

  it('refuses a command for another register than the stream holds', () => {
    given(ledgerDecider, assigned('L1', 1)).when(assign('C1', { ledger: 'case' })).thenRefuses('ledger-mismatch', 'invalid');
    given(ledgerDecider, assigned('L1', 1)).when(assign('L2', { year: 2027 })).thenRefuses('ledger-mismatch', 'invalid');
  });

  it('readers never draw numbers; the office does', () => {
    given(ledgerDecider).when(assign('L1', {}, auditor)).thenRefuses('read-only-role', 'forbidden');
    given(ledgerDecider).when(assign('L1', {}, office)).then([assigned('L1', 1)]);
  });
});
