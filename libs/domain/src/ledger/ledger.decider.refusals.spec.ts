import type { Actor } from '../shared/actor';
import { given } from '../testing/given-when-then';
import { audit, ctx } from '../testing/fixtures';
import { ledgerDecider } from './ledger.decider';
import type { LedgerCommand } from './ledger.commands';
import type { LedgerEvent, LedgerKind } from './ledger.events';

/** Refusals of the ledger decider that ledger.decider.spec.ts does not pin down to code, kind AND field. */
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };
const assign = (ledger: string, year: number, actor: Actor = audit, itemId = 'L9'): LedgerCommand => ({
  type: 'AssignLedgerNumber',
  ledger: ledger as LedgerKind,
  year,
  itemId,
  ctx: ctx(actor),
});
const first: LedgerEvent = { type: 'ledger.number-assigned', data: { ledger: 'lead', year: 2026, seq: 1, number: 'LC-2026-0001', itemId: 'L1' } };

describe('ledgerDecider refusals (code, kind and field)', () => {
  it('an agency user bound to no agency draws no number', () => {
    given(ledgerDecider).when(assign('lead', 2026, agencyWithoutAgency)).thenRefuses('agency-missing', 'forbidden');
  });

  it.each(['ledger', 'toString', 'LEAD', ''])('an unknown ledger kind %j is refused on ledger', (kind) => {
    given(ledgerDecider).when(assign(kind, 2026)).thenRefuses('ledger-kind-invalid', 'invalid', 'ledger');
  });

  it.each([999, 10000, 2026.5, Number.NaN])('the year %p is refused on year', (year) => {
    given(ledgerDecider).when(assign('lead', year)).thenRefuses('ledger-year-invalid', 'invalid', 'year');
  });

  it('a command for another register (kind or year) is refused on ledger', () => {
    given(ledgerDecider, first).when(assign('lead', 2027)).thenRefuses('ledger-mismatch', 'invalid', 'ledger');
    given(ledgerDecider, first).when(assign('case', 2026)).thenRefuses('ledger-mismatch', 'invalid', 'ledger');
  });
});
