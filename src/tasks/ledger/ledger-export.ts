import { once } from 'node:events';
import { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../../common/heavy-modules.js';
import { LedgerOutput } from './ledger-output.js';
import { xmlSafeCell } from '../../common/xml-text.js';
import {
  BODY_FONT_SIZE,
  CELL_BORDER,
  SIGNAL_FILLS,
  printedSheetOptions,
  rowHeightFor,
  styleHeaderRow,
  wrappedLines,
} from '../../common/xlsx-print.js';
import {
  DEFAULT_LEDGER_CONTEXT,
  LEDGER_COLUMNS,
  type LedgerCell,
  type LedgerColumn,
  type LedgerFormatContext,
  type LedgerRow,
  type Signal,
} from './ledger-row.js';

export * from './ledger-row.js';

/**
 * 整改台账: the office's ledger of rectification tasks, exported from a filtered task list as
 * CSV or .xlsx. Both writers pull rows one at a time from an async iterable (a DB cursor in
 * production) and push them out as they go, so a 100k-row ledger never sits in memory.
 */

export { csvField, writeLedgerCsv } from './ledger-csv.js';

// ---------------------------------------------------------------------------------------------
// XLSX

export const LEDGER_SHEET_NAME = '整改台账';

/** Excel refuses cells longer than this, and would report the whole file as damaged. */
const XLSX_MAX_CELL_CHARS = 32_767;

/**
 * How often the row loop yields to the event loop. exceljs hands worksheet XML to zlib in 64 KB
 * batches without honouring backpressure, and zlib finishes at most about one batch per event-loop
 * turn, so a producer that never waits (rows already in memory, a fast cursor) outruns it and the
 * whole sheet piles up as pending buffers (measured: ~0.6 KB per row when yielding every 200
 * rows). Twenty rows are well under one batch, which kept memory flat over 200k rows.
 */
const XLSX_YIELD_EVERY_ROWS = 20;

/**
 * A photo column of the CSV becomes this many columns in .xlsx, one link each: a cell holds one
 * link only. A task with more photos says so in its last slot; the CSV lists every one.
 */
export const XLSX_PHOTO_SLOTS = 3;

/** One column of the .xlsx sheet: a ledger column, or one photo slot of a photo column. */
interface SheetColumn {
  header: string;
  /** As printed: `header` with line breaks. */
  printed: string;
  width: number;
  column: LedgerColumn;
  slot?: number;
}

const SHEET_COLUMNS: readonly SheetColumn[] = LEDGER_COLUMNS.flatMap((column) =>
  column.kind === 'photos'
    ? Array.from({ length: XLSX_PHOTO_SLOTS }, (_, slot) => ({
        header: `${column.header}${slot + 1}`,
        printed: `${column.header}\n${slot + 1}`,
        width: column.width,
        column,
        slot,
      }))
    : [
        {
          header: column.header,
          printed: column.xlsxHeader ?? column.header,
          width: column.width,
          column,
        },
      ],
);

/**
 * The .xlsx header row, in sheet order (photo columns expanded into slots), with the line breaks
 * that keep a narrow column's header in two tidy lines.
 */
export const LEDGER_XLSX_HEADERS: readonly string[] = SHEET_COLUMNS.map((c) => c.printed);

/**
 * Photo links are for the screen: the printed page (the print area) stops before them, so the
 * paper keeps its width for the text.
 */
export const LEDGER_PRINTED_COLUMNS = SHEET_COLUMNS.filter((c) => c.slot === undefined).length;

/**
 * Cell styles, one shared frozen object per column kind and fill: exceljs serialises a style to
 * find its id unless it has seen that very object before, so sharing makes rows about twice as
 * fast (and a fresh object per cell would cost memory per row).
 */
const styles = new Map<string, Partial<ExcelJS.Style>>();

function styleOf(column: LedgerColumn, signal: Signal | null): Partial<ExcelJS.Style> {
  const key = `${column.kind}|${signal ?? ''}`;
  let style = styles.get(key);
  if (!style) {
    const centred = ['label', 'flag', 'count', 'hours'].includes(column.kind);
    style = Object.freeze({
      font:
        column.kind === 'photos'
          ? { size: BODY_FONT_SIZE, color: { argb: 'FF0563C1' }, underline: true }
          : { size: BODY_FONT_SIZE },
      alignment: {
        vertical: 'top',
        horizontal: centred ? 'center' : 'left',
        wrapText: true,
      },
      border: CELL_BORDER,
      ...(column.kind === 'count' ? { numFmt: '0' } : {}),
      ...(column.kind === 'hours' ? { numFmt: '0.0' } : {}),
      ...(signal ? { fill: SIGNAL_FILLS[signal] } : {}),
    }) as Partial<ExcelJS.Style>;
    styles.set(key, style);
  }
  return style;
}

/** A string literal inside a formula: quotes doubled, and never longer than Excel allows. */
const formulaText = (s: string): string => `"${s.slice(0, 250).replaceAll('"', '""')}"`;

/** The value of one photo slot: a HYPERLINK formula (streams; a native link is kept in memory). */
function photoCell(
  ids: readonly string[],
  slot: number,
  ctx: LedgerFormatContext,
): ExcelJS.CellFormulaValue | null {
  const id = ids[slot];
  if (id === undefined) return null;
  const more = slot === XLSX_PHOTO_SLOTS - 1 && ids.length > XLSX_PHOTO_SLOTS;
  const label = more ? `照片${slot + 1}(共${ids.length}张)` : `照片${slot + 1}`;
  return {
    formula: `HYPERLINK(${formulaText(ctx.photoUrl(id))},${formulaText(label)})`,
    result: label,
  };
}

export interface LedgerXlsxOptions {
  /** Printed in the page header and stored as the document title. */
  title?: string;
  ctx?: LedgerFormatContext;
}

/**
 * Writes the ledger as one-sheet .xlsx through exceljs' streaming writer: each row is committed
 * (serialised and released) as soon as it is added. Times are text in the CSV format, so they
 * read the same in Excel, WPS and LibreOffice whatever the reader's locale or time zone; counts
 * and overdue hours are numbers. Laid out for printing (`printedSheetOptions`): A3 landscape,
 * one page wide, the header repeated and frozen. Ends `out` and resolves with the number of
 * data rows once it has finished; on failure rethrows and leaves `out` to the caller, as
 * `writeLedgerCsv` does.
 */
export async function writeLedgerXlsx(
  rows: AsyncIterable<LedgerRow>,
  out: NodeJS.WritableStream,
  opts: LedgerXlsxOptions = {},
): Promise<number> {
  const ctx = opts.ctx ?? DEFAULT_LEDGER_CONTEXT;
  // exceljs pipes its zip into a stream.Stream; this adapter accepts any NodeJS.WritableStream,
  // passes out's backpressure on to the zip, and tells the row loop when to wait.
  const output = new LedgerOutput(out);
  const sink = new Writable({
    write(data: Buffer, _encoding, callback) {
      output.write(data).then(() => callback(), callback);
    },
    final(callback) {
      output.end().then(() => callback(), callback);
    },
  });
  let failure: Error | undefined;
  // exceljs only listens for the sink's errors once it finalises: an error before that would
  // leave `workbook.commit()` waiting forever, so every wait below races this promise.
  const failed = new Promise<never>((_resolve, reject) => {
    sink.on('error', (error) => {
      failure ??= error;
      reject(failure);
    });
  });
  failed.catch(() => undefined); // observed through `failure` and the races below

  try {
    const { stream } = await loadExcelJS();
    const workbook = new stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true });
    const sheet = openSheet(workbook, opts.title?.trim() || LEDGER_SHEET_NAME);
    let count = 0;
    for await (const row of rows) {
      if (failure) throw failure;
      const values = sheetCells(row, ctx);
      const added = sheet.addRow(values);
      let lines = 1;
      SHEET_COLUMNS.forEach((c, i) => {
        added.getCell(i + 1).style = styleOf(c.column, c.column.signal?.(row) ?? null);
        const value = values[i];
        if (typeof value === 'string') lines = Math.max(lines, wrappedLines(value, c.width));
      });
      added.height = rowHeightFor(lines);
      added.commit();
      count += 1;
      if (sink.writableNeedDrain) {
        await Promise.race([once(sink, 'drain'), failed]);
      } else if (count % XLSX_YIELD_EVERY_ROWS === 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    if (failure) throw failure;

    // Written when the sheet is committed, so the filter range can cover the data as well.
    sheet.autoFilter = {
      from: { row: 1, column: 1 },
      to: { row: 1 + Math.max(count, 1), column: SHEET_COLUMNS.length },
    };
    // Read into the workbook's defined names when the workbook is committed. exceljs puts a `$`
    // before each corner's column only; the rows need one too, or a reader takes them as
    // relative to the selected cell.
    sheet.pageSetup.printArea = `A$1:${columnLetter(LEDGER_PRINTED_COLUMNS)}$${1 + count}`;
    sheet.commit();
    await Promise.race([workbook.commit(), failed]);
    return count;
  } finally {
    output.release();
  }
}

function sheetCells(row: LedgerRow, ctx: LedgerFormatContext): ExcelJS.CellValue[] {
  return SHEET_COLUMNS.map((c) =>
    c.slot === undefined
      ? xlsxCell(c.column.cell(row, ctx))
      : photoCell(c.column.photos?.(row) ?? [], c.slot, ctx),
  );
}

/** The 整改台账 sheet with its columns, print layout and header row written. */
function openSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, title: string): ExcelJS.Worksheet {
  workbook.creator = '创城督导整改';
  workbook.title = title;
  // The streaming writer emits the sheet view and page setup when the sheet is created, so they
  // are given here. The 编号 column stays in view too: the sheet is 30-odd columns wide.
  const sheet = workbook.addWorksheet(
    LEDGER_SHEET_NAME,
    printedSheetOptions({ title, frozenColumns: 1 }),
  );
  sheet.columns = SHEET_COLUMNS.map((c) => ({ width: c.width }));
  const header = sheet.addRow([...LEDGER_XLSX_HEADERS]);
  styleHeaderRow(header, 3);
  header.commit();
  return sheet;
}

/** 1 → A, 27 → AA. */
function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) {
    s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  }
  return s;
}

function xlsxCell(raw: LedgerCell): LedgerCell {
  const cell = xmlSafeCell(raw);
  return typeof cell === 'string' && cell.length > XLSX_MAX_CELL_CHARS
    ? `${cell.slice(0, XLSX_MAX_CELL_CHARS - 1)}…`
    : cell;
}
