import { once } from 'node:events';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import type { EscalationLevel, Light } from '../deadline/traffic-light.js';
import { csvField } from '../../common/csv.js';
import { xmlSafeCell } from '../../common/xml-text.js';

/**
 * 整改台账: the office's ledger of rectification tasks, exported from a filtered task list as
 * CSV or .xlsx. Both writers pull rows one at a time from an async iterable (a DB cursor in
 * production) and push them out as they go, so a 100k-row ledger never sits in memory.
 */

export interface LedgerRow {
  number: string;
  /** Task status code: pending_dispatch | assigned | submitted | on_hold | closed | cancelled. */
  status: string;
  categoryName: string;
  groupName: string;
  unitName: string | null;
  siteName: string | null;
  address: string | null;
  description: string;
  /** e.g. '2026-11-10 公园广场创城督导检查'. */
  inspectionLabel: string | null;
  createdAt: Date;
  assignedAt: Date | null;
  deadline: Date | null;
  submittedAt: Date | null;
  closedAt: Date | null;
  overdue: boolean;
  overdueHours: number;
  light: Light | null;
  escalation: EscalationLevel | null;
  reworkCount: number;
  reopenCount: number;
  extensionCount: number;
  closedOnTime: boolean | null;
  closedUnverified: boolean | null;
}

export interface LedgerColumn {
  key: keyof LedgerRow;
  header: string;
  /** Excel column width in characters; a CJK character takes about two. */
  width: number;
}

export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { key: 'number', header: '编号', width: 18 },
  { key: 'status', header: '状态', width: 8 },
  { key: 'categoryName', header: '问题类别', width: 14 },
  { key: 'groupName', header: '类别分组', width: 12 },
  { key: 'unitName', header: '责任单位', width: 20 },
  { key: 'siteName', header: '点位', width: 20 },
  { key: 'address', header: '地址', width: 30 },
  { key: 'description', header: '问题描述', width: 50 },
  { key: 'inspectionLabel', header: '所属督导检查', width: 32 },
  { key: 'createdAt', header: '发现时间', width: 17 },
  { key: 'assignedAt', header: '派遣时间', width: 17 },
  { key: 'deadline', header: '整改时限', width: 17 },
  { key: 'submittedAt', header: '反馈时间', width: 17 },
  { key: 'closedAt', header: '销号时间', width: 17 },
  { key: 'overdue', header: '是否超期', width: 10 },
  { key: 'overdueHours', header: '超期时长(小时)', width: 15 },
  { key: 'light', header: '亮灯', width: 8 },
  { key: 'escalation', header: '督办等级', width: 10 },
  { key: 'reworkCount', header: '返工次数', width: 10 },
  { key: 'reopenCount', header: '反弹次数', width: 10 },
  { key: 'extensionCount', header: '延期次数', width: 10 },
  { key: 'closedOnTime', header: '按期销号', width: 10 },
  { key: 'closedUnverified', header: '未经复查销号', width: 14 },
];

export const LEDGER_STATUS_LABELS: Readonly<Record<string, string>> = {
  pending_dispatch: '待派遣',
  assigned: '整改中',
  submitted: '待复查',
  on_hold: '挂账',
  closed: '已销号',
  cancelled: '已撤销',
};

export const LEDGER_LIGHT_LABELS: Readonly<Record<Light, string>> = {
  green: '绿灯',
  yellow: '黄灯',
  red: '红灯',
};

export const LEDGER_ESCALATION_LABELS: Readonly<Record<EscalationLevel, string>> = {
  none: '无',
  reminder: '提醒',
  supervise: '督办',
  notify: '通报',
};

/** null is an empty cell; numbers stay numbers in .xlsx so the office can sort and sum them. */
export type LedgerCell = string | number | null;

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * `YYYY-MM-DD HH:mm` in Beijing time. China has had no daylight saving since 1991, so a fixed
 * +08:00 shift is exact for every date the service can hold and needs no tz database.
 */
export function formatLedgerTime(date: Date | null): string | null {
  if (date === null || Number.isNaN(date.getTime())) return null;
  const local = new Date(date.getTime() + BEIJING_OFFSET_MS);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`
  );
}

function yesNo(value: boolean | null): string | null {
  return value === null ? null : value ? '是' : '否';
}

/**
 * Hours overdue to one decimal, empty while on time ("0" would read as "overdue by nothing").
 * A task a few minutes late still shows 0.1 rather than rounding down to look on time.
 */
function overdueHoursCell(row: LedgerRow): number | null {
  if (!row.overdue) return null;
  return Math.max(0.1, Math.round(row.overdueHours * 10) / 10);
}

/** One ledger row as display cells, in `LEDGER_COLUMNS` order. */
export function formatLedgerRow(row: LedgerRow): LedgerCell[] {
  return [
    row.number,
    // An unknown code is shown as is rather than failing a whole export over one new status.
    LEDGER_STATUS_LABELS[row.status] ?? row.status,
    row.categoryName,
    row.groupName,
    row.unitName,
    row.siteName,
    row.address,
    row.description,
    row.inspectionLabel,
    formatLedgerTime(row.createdAt),
    formatLedgerTime(row.assignedAt),
    formatLedgerTime(row.deadline),
    formatLedgerTime(row.submittedAt),
    formatLedgerTime(row.closedAt),
    yesNo(row.overdue),
    overdueHoursCell(row),
    row.light === null ? null : LEDGER_LIGHT_LABELS[row.light],
    row.escalation === null ? null : LEDGER_ESCALATION_LABELS[row.escalation],
    row.reworkCount,
    row.reopenCount,
    row.extensionCount,
    yesNo(row.closedOnTime),
    yesNo(row.closedUnverified),
  ];
}

// ---------------------------------------------------------------------------------------------
// CSV

export { csvField };

function csvLine(cells: readonly LedgerCell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** Lines are batched into chunks of about this size: one write per row would be slow. */
const CSV_CHUNK_CHARS = 64 * 1024;

/**
 * Writes the ledger as CSV: UTF-8 with a BOM (without it Excel on Chinese Windows reads the file
 * as GBK and shows mojibake), CRLF line ends, RFC 4180 quoting. Waits for 'drain' whenever `out`
 * is full, ends `out` and resolves with the number of data rows once it has finished.
 *
 * If `rows` or `out` fails, the error is rethrown and `out` is left open: ending it would hand
 * the client a truncated ledger that looks complete. The caller destroys it.
 */
export async function writeLedgerCsv(
  rows: AsyncIterable<LedgerRow>,
  out: NodeJS.WritableStream,
): Promise<number> {
  const output = new Output(out);
  try {
    let chunk = `\uFEFF${csvLine(LEDGER_COLUMNS.map((c) => c.header))}`;
    let count = 0;
    for await (const row of rows) {
      chunk += csvLine(formatLedgerRow(row));
      count += 1;
      if (chunk.length >= CSV_CHUNK_CHARS) {
        await output.write(chunk);
        chunk = '';
      }
    }
    await output.write(chunk);
    await output.end();
    return count;
  } finally {
    output.release();
  }
}

/**
 * The caller's stream, written with backpressure. It listens for 'error' and 'close' for the
 * whole export rather than only while waiting for 'drain': a stream that failed between two
 * writes never emits either again, and a wait begun after that would hold the DB cursor forever.
 */
class Output {
  private failure: Error | undefined;
  private waiting: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(private readonly out: NodeJS.WritableStream) {
    out.on('error', this.onError);
    out.on('close', this.onClose);
    out.on('drain', this.onDrain);
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.out.writable) throw new Error('ledger export: output is no longer writable');
    if (this.out.write(data)) return;
    await new Promise<void>((resolve, reject) => {
      if (this.failure) reject(this.failure);
      else this.waiting = { resolve, reject };
    });
  }

  /** Ends the stream and waits until everything written has been flushed. */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    this.out.end();
    await finished(this.out, { readable: false });
  }

  release(): void {
    this.out.off('error', this.onError);
    this.out.off('close', this.onClose);
    this.out.off('drain', this.onDrain);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waiting?.reject(this.failure);
    this.waiting = undefined;
  }

  private readonly onError = (error: Error): void => this.fail(error);

  // 'close' also follows a normal 'finish'; by then nothing waits, so recording it is harmless.
  private readonly onClose = (): void =>
    this.fail(new Error('ledger export: output closed before the export finished'));

  private readonly onDrain = (): void => {
    this.waiting?.resolve();
    this.waiting = undefined;
  };
}

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
 * Every new cell gets a fresh empty style object, and exceljs serialises a style to find its id
 * unless it has seen that very object before: sharing one object makes data rows about twice as
 * fast. Frozen, since it is shared by every cell.
 */
const PLAIN_STYLE: Partial<ExcelJS.Style> = Object.freeze({});

export interface LedgerXlsxOptions {
  /** Printed as a merged first row above the header and stored as the document title. */
  title?: string;
}

/**
 * Writes the ledger as one-sheet .xlsx through exceljs' streaming writer: each row is committed
 * (serialised and released) as soon as it is added. Times are text in the CSV format, so they
 * read the same in Excel, WPS and LibreOffice whatever the reader's locale or time zone; counts
 * and overdue hours are numbers. Ends `out` and resolves with the number of data rows once it
 * has finished; on failure rethrows and leaves `out` to the caller, as `writeLedgerCsv` does.
 */
export async function writeLedgerXlsx(
  rows: AsyncIterable<LedgerRow>,
  out: NodeJS.WritableStream,
  opts: LedgerXlsxOptions = {},
): Promise<number> {
  // exceljs pipes its zip into a stream.Stream; this adapter accepts any NodeJS.WritableStream,
  // passes out's backpressure on to the zip, and tells the row loop when to wait.
  const output = new Output(out);
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
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true });
    const { sheet, headerRowNumber } = openSheet(workbook, opts.title?.trim());
    let count = 0;
    for await (const row of rows) {
      if (failure) throw failure;
      const added = sheet.addRow(formatLedgerRow(row).map(xlsxCell));
      added.eachCell({ includeEmpty: true }, (cell) => {
        cell.style = PLAIN_STYLE;
      });
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
      from: { row: headerRowNumber, column: 1 },
      to: { row: headerRowNumber + Math.max(count, 1), column: LEDGER_COLUMNS.length },
    };
    sheet.commit();
    await Promise.race([workbook.commit(), failed]);
    return count;
  } finally {
    output.release();
  }
}

/** The 整改台账 sheet with its columns, optional title row and header row written. */
function openSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  title: string | undefined,
): { sheet: ExcelJS.Worksheet; headerRowNumber: number } {
  workbook.creator = '创城督导整改';
  if (title) workbook.title = title;

  const headerRowNumber = title ? 2 : 1;
  const width = LEDGER_COLUMNS.length;
  const sheet = workbook.addWorksheet(LEDGER_SHEET_NAME, {
    // The streaming writer emits the sheet view when the sheet is created, so the freeze has to
    // be given here. The 编号 column stays in view too: the sheet is 23 columns wide.
    views: [{ state: 'frozen', xSplit: 1, ySplit: headerRowNumber }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = LEDGER_COLUMNS.map((c) => ({ key: c.key, width: c.width }));

  if (title) {
    const titleRow = sheet.addRow([title]);
    titleRow.height = 28;
    titleRow.font = { bold: true, size: 14 };
    titleRow.alignment = { vertical: 'middle', horizontal: 'center' };
    sheet.mergeCells(1, 1, 1, width);
    titleRow.commit();
  }

  const header = sheet.addRow(LEDGER_COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center' };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  header.commit();
  return { sheet, headerRowNumber };
}

function xlsxCell(raw: LedgerCell): LedgerCell {
  const cell = xmlSafeCell(raw);
  return typeof cell === 'string' && cell.length > XLSX_MAX_CELL_CHARS
    ? `${cell.slice(0, XLSX_MAX_CELL_CHARS - 1)}…`
    : cell;
}
