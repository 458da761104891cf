import { given } from '../testing/given-when-then';
import { ctx, audit, office, TODAY } from '../testing/fixtures';
import { ledgerImportDecider } from './ledger-import.decider';

const record = (actor = office, rows = [{ kind: 'cases' as const, row: 2, itemId: 'c1', originalNo: '纪案〔2013〕5号', ledgerNo: 'AJ-2013-0001' }]) => ({
  type: 'RecordImportBatch' as const,
  batchId: 'b1',
  fileName: 'cases.xlsx',
  fileSha256: 'ab',
  rows,
  skippedRows: [],
  ctx: ctx(actor),
});

describe('ledger import manifest (历史台账导入)', () => {
  it('given nothing, when the office records a batch, then the manifest keeps each row with its original and assigned numbers', () => {
    given(ledgerImportDecider)
      .when(record())
      .then([
        {
          type: 'import.batch-recorded',
          data: { batchId: 'b1', fileName: 'cases.xlsx', fileSha256: 'ab', importedOn: TODAY, rows: record().rows, skippedRows: [] },
        },
      ]);
  });

  it('given a recorded batch, when the same file is recorded again, then nothing new is written', () => {
    const recorded = ledgerImportDecider.decide(record(), ledgerImportDecider.initialState);
    given(ledgerImportDecider, ...recorded).when(record()).thenNothing();
  });

  it('refuses agency users and an empty batch', () => {
    given(ledgerImportDecider).when(record(audit)).thenRefuses('office-only', 'forbidden');
    given(ledgerImportDecider).when(record(office, [])).thenRefuses('import-empty', 'invalid', 'file');
  });
});
