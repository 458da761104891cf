import type { DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';

export const IMPORT_KINDS = ['leads', 'cases', 'recoveries'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** One imported row: what it became, with the number it had in the office's old Excel ledger. */
export interface ImportedRow {
  kind: ImportKind;
  /** the spreadsheet row (header = row 1) */
  row: number;
  /** lead id, case id or recovery id */
  itemId: string;
  /** the number in the original ledger (原台账编号), kept verbatim */
  originalNo?: string;
  /** the number assigned in this system's register of the item's ORIGINAL year (LC-2013-0004) */
  ledgerNo?: string;
}

/**
 * The manifest of one ledger import (stream `import-<batchId>`, batchId derived from the file's SHA-256),
 * appended in the same atomic append as the items it imported. It keeps the mapping from the old
 * ledger's numbers to ours, which the lead and case events themselves have no field for.
 */
export type LedgerImportRecorded = DomainEvent<
  'import.batch-recorded',
  { batchId: string; fileName: string; fileSha256: string; importedOn: LocalDate; rows: ImportedRow[]; skippedRows: number[] }
>;

export type LedgerImportEvent = LedgerImportRecorded;
