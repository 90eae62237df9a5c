import type ExcelJS from 'exceljs';
import { loadExcelJS, loadUnzipper } from '../common/heavy-modules.js';
import { Readable } from 'node:stream';
import { DomainError, invalidField } from '../common/errors/domain-error.js';
import { ImportErrorCode } from './import-errors.js';

/** A cell as kept in the batch: text, a number, or empty. Dates become `YYYY-MM-DD HH:mm` text. */
export type ImportCell = string | number | null;

export interface ParsedSheet {
  /** The header row's texts, one per column (an empty header is `列N`). */
  headers: string[];
  /** Data rows with their row number in the sheet (1-based, as Excel shows it). */
  rows: { row: number; cells: ImportCell[] }[];
}

export interface SheetLimits {
  maxRows: number;
  maxColumns: number;
  /** Longer text in a cell is cut (a description is at most 2,000 characters anyway). */
  maxCellChars: number;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Excel keeps dates without a zone; exceljs hands them over as the wall-clock time read as UTC.
 * The office's spreadsheets are in Beijing time, so the wall-clock text is what the clerk typed.
 */
function wallClock(d: Date): string {
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return time === '00:00' ? day : `${day} ${time}`;
}

/**
 * One cell's value as the file holds it. A formula is read as the result Excel saved with the
 * file (`result`), never evaluated: `=WEBSERVICE(…)` or `=1+1` contribute only their cached
 * values, or nothing when the file has none.
 */
export function cellValue(value: ExcelJS.CellValue, maxChars: number): ImportCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : wallClock(value);
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? null : text.slice(0, maxChars);
  }
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) {
      return cellValue((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, maxChars);
    }
    if ('richText' in value) {
      return cellValue(value.richText.map((r) => r.text).join(''), maxChars);
    }
    if ('hyperlink' in value)
      return cellValue((value as ExcelJS.CellHyperlinkValue).text, maxChars);
    if ('error' in value) return null;
  }
  return null;
}

const notXlsx = (): DomainError =>
  new DomainError('invalid', ImportErrorCode.IMPORT_NOT_XLSX, 'file: 不是可读取的 .xlsx 文件', {
    errors: [{ field: 'file', code: 'notXlsx', message: '不是可读取的 .xlsx 文件' }],
  });

/** What exceljs' streaming WorkbookReader keeps and does inside, beyond its declared types. */
interface ReaderParts {
  model?: { sheets?: { rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(
    entry: AsyncIterable<unknown>,
    sheetNo: string,
  ): Generator<{ eventType: string; value: ExcelJS.stream.xlsx.WorksheetReader }>;
}

/**
 * The workbook's first worksheet (as Excel shows them, from xl/workbook.xml), ready to be read
 * row by row, or null when it has none.
 *
 * exceljs' own streaming reader walks the zip in stored order. Where a worksheet comes before
 * xl/workbook.xml — in every file exceljs writes, our 导入模板 included — it parks the sheet in a
 * temporary file and, now and then, reaches it before the workbook was read: "Cannot read
 * properties of undefined (reading 'sheets')" (exceljs#3064; here 9 reads in 3,000 on a loaded
 * machine, and a clerk's upload refused as 不是可读取的 .xlsx). We hold the whole upload, so the
 * zip is opened by its central directory instead and the parts are parsed in the order they
 * depend on each other — relationships, workbook, shared strings, styles, then the sheet,
 * streamed from the buffer (as exceljs#3065 proposes) — with exceljs' own parsers and no
 * temporary files.
 */
async function firstWorksheet(data: Buffer): Promise<ExcelJS.stream.xlsx.WorksheetReader | null> {
  const [{ stream }, unzipper] = await Promise.all([loadExcelJS(), loadUnzipper()]);
  const zip = await unzipper.Open.buffer(data);
  const entry = (path: string): Readable | null =>
    zip.files.find((f) => f.path === path && f.type === 'File')?.stream() ?? null;
  // The reader's own input is never read: the parts below are handed to its parsers one by one
  // from the zip's central directory, so it gets an empty stream.
  const reader = new stream.xlsx.WorkbookReader(Readable.from([]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
  }) as unknown as ReaderParts;
  const rels = entry('xl/_rels/workbook.xml.rels');
  const book = entry('xl/workbook.xml');
  if (!rels || !book) throw notXlsx();
  await reader._parseRels(rels);
  await reader._parseWorkbook(book);
  const strings = entry('xl/sharedStrings.xml');
  // The cache fills as the generator runs; with 'cache' it yields nothing.
  if (strings) for await (const _ of reader._parseSharedStrings(strings)) void _;
  const styles = entry('xl/styles.xml');
  if (styles) await reader._parseStyles(styles);
  const first = reader.model?.sheets?.[0];
  const target = reader.workbookRels?.find((r) => r.Id === first?.rId)?.Target;
  // A target is relative to xl/ ("worksheets/sheet1.xml") or absolute ("/xl/worksheets/…").
  const path = target?.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const sheet = target ? entry(path) : null;
  if (!sheet) return null;
  // exceljs names the reader from the number in the part's name; any name reads the same.
  const sheetNo = /(\d+)\.xml$/.exec(path)?.[1] ?? '1';
  for (const { eventType, value } of reader._parseWorksheet(sheet, sheetNo)) {
    if (eventType === 'worksheet') return value;
  }
  return null;
}

/**
 * The first worksheet of an .xlsx, read as a stream: the header is the first non-empty row,
 * empty rows are skipped, and reading stops as soon as a limit is passed.
 */
export async function readSheet(data: Buffer, limits: SheetLimits): Promise<ParsedSheet> {
  // An .xlsx is a zip: "PK\x03\x04". Anything else (a .xls, a CSV renamed) is refused up front.
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) throw notXlsx();
  let headers: string[] | null = null;
  const rows: ParsedSheet['rows'] = [];
  try {
    const sheet = await firstWorksheet(data);
    if (sheet) {
      for await (const row of sheet) {
        const cells: ImportCell[] = [];
        // row.cellCount is the last used column; cells are 1-based.
        const width = Math.min(row.cellCount, limits.maxColumns + 1);
        for (let c = 1; c <= width; c += 1) {
          cells.push(cellValue(row.getCell(c).value, limits.maxCellChars));
        }
        if (cells.every((v) => v === null)) continue;
        if (!headers) {
          if (row.cellCount > limits.maxColumns) {
            throw invalidField('file', `表格不能超过 ${limits.maxColumns} 列`, 'tooManyColumns');
          }
          headers = cells.map((v, i) => (v === null ? `列${i + 1}` : String(v)));
          continue;
        }
        if (rows.length >= limits.maxRows) {
          throw invalidField('file', `一次最多导入 ${limits.maxRows} 行`, 'tooManyRows');
        }
        rows.push({ row: row.number, cells: cells.slice(0, headers.length) });
      }
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw notXlsx();
  }
  if (!headers) throw invalidField('file', '表格是空的：没有表头行', 'isNotEmpty');
  if (rows.length === 0) throw invalidField('file', '表格只有表头，没有问题行', 'isNotEmpty');
  return { headers, rows };
}
