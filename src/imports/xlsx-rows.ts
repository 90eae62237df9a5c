import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../common/heavy-modules.js';
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

/**
 * The first worksheet of an .xlsx, read as a stream (exceljs' WorkbookReader): the header is the
 * first non-empty row, empty rows are skipped, and reading stops as soon as a limit is passed.
 */
export async function readSheet(data: Buffer, limits: SheetLimits): Promise<ParsedSheet> {
  // An .xlsx is a zip: "PK\x03\x04". Anything else (a .xls, a CSV renamed) is refused up front.
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) throw notXlsx();
  const { stream } = await loadExcelJS();
  const reader = new stream.xlsx.WorkbookReader(Readable.from([data]), {
    entries: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
  });
  let headers: string[] | null = null;
  const rows: ParsedSheet['rows'] = [];
  try {
    for await (const sheet of reader) {
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
      break; // the first worksheet only
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw notXlsx();
  }
  if (!headers) throw invalidField('file', '表格是空的：没有表头行', 'isNotEmpty');
  if (rows.length === 0) throw invalidField('file', '表格只有表头，没有问题行', 'isNotEmpty');
  return { headers, rows };
}
