// The reporting library: pure functions over the event log (periodic reports, as-of folds) and the
// document renderers (DOCX, XLSX) and ledger file parsing that go with them. No Nest, no I/O besides
// building file buffers in memory.
export * from './report-event';
export * from './report-labels';
export * from './report-period';
export * from './periodic-report.builder';
export * from './render/periodic-report.docx';
export * from './render/periodic-report.xlsx';
export * from './render/ledger.xlsx';
export * from './ledger-import/ledger-file.parser';
export * from './ledger-import/ledger-row.validation';
