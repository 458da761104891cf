import ExcelJS from 'exceljs';

export interface LedgerColumn<Row> {
  header: string;
  width?: number;
  value: (row: Row) => string | number | boolean | null;
  numFmt?: string;
}

/**
 * A ledger (台账) sheet written row by row from an async source, so an export never holds more than one
 * page of the read model plus the workbook being built.
 */
export async function renderLedgerXlsx<Row>(sheetName: string, columns: LedgerColumn<Row>[], pages: AsyncIterable<Row[]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '反腐败协调小组工作平台';
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 16, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  ws.getRow(1).font = { bold: true };
  for await (const page of pages) {
    for (const row of page) ws.addRow(columns.map((c) => c.value(row)));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
