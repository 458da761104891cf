import ExcelJS from 'exceljs';
import type { ImportKind } from '@coord/domain';

/** A cell as read: text, number, boolean, date (XLSX) or empty. */
export type CellValue = string | number | boolean | Date | null;

export interface RawRow {
  /** the row number a person sees in the spreadsheet (header = 1) */
  row: number;
  values: Record<string, CellValue>;
}

export interface RawSheet {
  kind: ImportKind;
  rows: RawRow[];
  /** headers that are neither a known column nor ignorable (reported as errors on row 1) */
  unknownHeaders: string[];
}

/** Column headers accepted per ledger, Chinese first (as the offices' own ledgers have them). */
export const HEADER_ALIASES: Record<ImportKind, Record<string, string>> = {
  leads: {
    原编号: 'originalNo', 原台账编号: 'originalNo', originalno: 'originalNo',
    线索来源: 'source', 来源: 'source', source: 'source',
    报送单位: 'reportingAgency', reportingagency: 'reportingAgency',
    被反映人: 'subjectName', subjectname: 'subjectName',
    职务: 'subjectPost', subjectpost: 'subjectPost',
    工作单位: 'subjectUnit', subjectunit: 'subjectUnit',
    职级: 'subjectRank', subjectrank: 'subjectRank',
    反映问题: 'allegation', allegation: 'allegation',
    问题类别: 'category', category: 'category',
    受理日期: 'receivedOn', receivedon: 'receivedOn',
    重要线索: 'important', important: 'important',
  },
  cases: {
    原编号: 'originalNo', 原案件编号: 'originalNo', originalno: 'originalNo',
    案件名称: 'title', title: 'title',
    被调查人: 'subjectName', subjectname: 'subjectName',
    职务: 'subjectPost', subjectpost: 'subjectPost',
    工作单位: 'subjectUnit', subjectunit: 'subjectUnit',
    主办单位: 'leadAgency', leadagency: 'leadAgency',
    协办单位: 'coAgencies', coagencies: 'coAgencies',
    立案日期: 'filedOn', filedon: 'filedOn',
    结案日期: 'closedOn', closedon: 'closedOn',
    结案情况: 'closeSummary', closesummary: 'closeSummary',
    重大: 'major', major: 'major',
    疑难: 'difficult', difficult: 'difficult',
    线索来源: 'source', source: 'source',
    反映问题: 'allegation', allegation: 'allegation',
  },
  recoveries: {
    案件原编号: 'caseNo', 原案件编号: 'caseNo', caseno: 'caseNo',
    '金额（分）': 'amountFen', '金额(分)': 'amountFen', amountfen: 'amountFen',
    '金额（元）': 'amountYuan', '金额(元)': 'amountYuan', amountyuan: 'amountYuan',
    挽损类别: 'category', 类别: 'category', category: 'category',
    挽损单位: 'agency', agency: 'agency',
    挽损日期: 'recoveredOn', recoveredon: 'recoveredOn',
    备注: 'note', note: 'note',
  },
};

/** Columns an office ledger commonly has that carry nothing to import. */
const IGNORED_HEADERS = new Set(['序号', 'no', '#']);

export const SHEET_KINDS: Record<string, ImportKind> = {
  线索: 'leads', 线索台账: 'leads', leads: 'leads',
  案件: 'cases', 案件台账: 'cases', cases: 'cases',
  挽损: 'recoveries', 挽损台账: 'recoveries', 挽回经济损失: 'recoveries', recoveries: 'recoveries',
};

const normHeader = (h: string) => h.replace(/\s+/g, '').toLowerCase();

function toSheet(kind: ImportKind, header: CellValue[], body: { row: number; cells: CellValue[] }[]): RawSheet {
  const aliases = HEADER_ALIASES[kind];
  const fields: (string | undefined)[] = [];
  const unknownHeaders: string[] = [];
  for (const h of header) {
    const text = h === null ? '' : String(h).trim();
    const field = text === '' ? undefined : aliases[normHeader(text)] ?? aliases[text.replace(/\s+/g, '')];
    if (text !== '' && field === undefined && !IGNORED_HEADERS.has(normHeader(text))) unknownHeaders.push(text);
    fields.push(field);
  }
  const rows: RawRow[] = [];
  for (const { row, cells } of body) {
    if (cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''))) continue; // blank line
    const values: Record<string, CellValue> = {};
    fields.forEach((f, i) => {
      if (f !== undefined) values[f] = cells[i] ?? null;
    });
    rows.push({ row, values });
  }
  return { kind, rows, unknownHeaders };
}

/** exceljs cell values come as rich text, formulas, hyperlinks …: reduce each to a plain value. */
function plain(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return plain((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v) return String((v as { text: unknown }).text);
  }
  return String(v as unknown);
}

export class LedgerFileError extends Error {}

/**
 * XLSX: each worksheet named 线索 / 案件 / 挽损 (or leads / cases / recoveries) is read as that ledger;
 * with `kind` given, the first worksheet is read as that kind whatever its name.
 */
export async function parseXlsx(file: Buffer, kind?: ImportKind): Promise<RawSheet[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new LedgerFileError('无法读取 Excel 文件（仅支持 .xlsx）');
  }
  const sheets: RawSheet[] = [];
  for (const ws of wb.worksheets) {
    const sheetKind = kind ?? SHEET_KINDS[ws.name.trim().toLowerCase()] ?? SHEET_KINDS[ws.name.trim()];
    if (sheetKind === undefined) continue;
    const width = ws.columnCount;
    const read = (n: number): CellValue[] => Array.from({ length: width }, (_, i) => plain(ws.getRow(n).getCell(i + 1).value));
    const body: { row: number; cells: CellValue[] }[] = [];
    for (let n = 2; n <= ws.rowCount; n++) body.push({ row: n, cells: read(n) });
    sheets.push(toSheet(sheetKind, read(1), body));
    if (kind !== undefined) break;
  }
  if (sheets.length === 0) throw new LedgerFileError('文件中没有可导入的工作表（工作表应命名为“线索”“案件”或“挽损”，或在请求中指定 kind）');
  return sheets;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF), UTF-8 with or without BOM. */
export function parseCsv(text: string, kind: ImportKind): RawSheet {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  if (records.length === 0) throw new LedgerFileError('CSV 文件为空');
  const [header, ...body] = records as [string[], ...string[][]];
  return toSheet(
    kind,
    header,
    body.map((cells, i) => ({ row: i + 2, cells: cells.map((c) => (c === '' ? null : c)) })),
  );
}
