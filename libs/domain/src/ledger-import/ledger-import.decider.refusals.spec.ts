import type { Actor } from '../shared/actor';
import { given } from '../testing/given-when-then';
import { auditor, ctx, leadership } from '../testing/fixtures';
import { ledgerImportDecider, type LedgerImportCommand } from './ledger-import.decider';

/** Refusals of the ledger-import decider that ledger-import.decider.spec.ts does not pin down. */
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };
const record = (actor: Actor): LedgerImportCommand => ({
  type: 'RecordImportBatch',
  batchId: 'b1',
  fileName: 'cases.xlsx',
  fileSha256: 'ab',
  rows: [{ kind: 'cases', row: 2, itemId: 'c1', originalNo: '纪案〔2013〕5号', ledgerNo: 'AJ-2013-0001' }],
  skippedRows: [],
  ctx: ctx(actor),
});

describe('ledgerImportDecider refusals (code, kind and field)', () => {
  it('readers never import, and an agency user bound to no agency neither', () => {
    given(ledgerImportDecider).when(record(leadership)).thenRefuses('read-only-role', 'forbidden');
    given(ledgerImportDecider).when(record(auditor)).thenRefuses('read-only-role', 'forbidden');
    given(ledgerImportDecider).when(record(agencyWithoutAgency)).thenRefuses('agency-missing', 'forbidden');
  });
});
