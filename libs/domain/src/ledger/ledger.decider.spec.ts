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
