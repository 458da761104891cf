import type { Decider, WithContext } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { assertOffice } from '../shared/guards';
import type { ImportedRow, LedgerImportEvent } from './ledger-import.events';

export type RecordImportBatch = WithContext<{
  type: 'RecordImportBatch';
  batchId: string;
  fileName: string;
  fileSha256: string;
  rows: ImportedRow[];
  skippedRows: number[];
}>;
export type LedgerImportCommand = RecordImportBatch;
export type LedgerImportState = { status: 'none' } | { status: 'recorded' };

/** Historical ledgers are brought in by the office only; the same file is recorded once. */
export const ledgerImportDecider: Decider<LedgerImportCommand, LedgerImportState, LedgerImportEvent> = {
  initialState: { status: 'none' },
  decide(command, state) {
    assertOffice(command.ctx.actor);
    if (state.status !== 'none') return []; // the same file again: nothing new
    if (command.rows.length === 0) refuse('import-empty', '导入文件中没有新的记录', 'invalid', 'file');
    const { batchId, fileName, fileSha256, rows, skippedRows } = command;
    return [{ type: 'import.batch-recorded', data: { batchId, fileName, fileSha256, importedOn: command.ctx.today, rows, skippedRows } }];
  },
  evolve: () => ({ status: 'recorded' }),
};
