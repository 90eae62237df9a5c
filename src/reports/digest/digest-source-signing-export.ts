import type ExcelJS from 'exceljs';
import {
  BODY_FONT_SIZE,
  CELL_BORDER,
  printedSheetOptions,
  rowHeightFor,
  styleHeaderRow,
} from '../../common/xlsx-print.js';
import { xmlSafeCell } from '../../common/xml-text.js';
import type { Digest, SourceFigures } from './digest-model.js';

/**
 * The digest's 来源 and 签收 figures as tables: rows for the CSV (a second and third block) and
 * two .xlsx sheets (按来源, 签收). 签收 appears only where 签收 is required (a unit row carries
 * `acknowledgement`), like in the JSON.
 */

type Cell = string | number | null;

export const SOURCE_HEADERS = [
  '维度',
  '名称',
  '来源',
  '权重',
  '新增',
  '结案',
  '按期结案',
  '超期未结',
] as const;

export const SIGNING_HEADERS = [
  '责任单位',
  '应签收',
  '按时签收',
  '签收率',
  '签收用时中位数(小时)',
] as const;

const sourceCells = (s: SourceFigures): Cell[] => [
  s.sourceName,
  s.weight,
  s.raised,
  s.closed,
  s.closedOnTime,
  s.openOverdue,
];

/** 全区 per source (every configured one), then each unit's sources with any figure. */
export function sourceRows(d: Digest): Cell[][] {
  return [
    ...(d.sources ?? []).map((s) => ['合计', '全区', ...sourceCells(s)]),
    ...d.units.flatMap((u) =>
      (u.bySource ?? []).map((s) => ['单位', u.unitName, ...sourceCells(s)]),
    ),
  ];
}

/** One row per unit with 签收 figures; none where 签收 is not required. Rates as fractions. */
export function signingRows(d: Digest): Cell[][] {
  return d.units.flatMap((u) =>
    u.acknowledgement
      ? [
          [
            u.unitName,
            u.acknowledgement.assigned,
            u.acknowledgement.signedInTime,
            u.acknowledgement.signingRate,
            u.acknowledgement.medianHoursToSign,
          ],
        ]
      : [],
  );
}

/** A plain printed table sheet: header row styled and frozen, numbers centred in `formats`. */
function addTableSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  heading: string,
  headers: readonly string[],
  widths: readonly number[],
  rows: Cell[][],
  formats: Record<number, string>,
  leadColumns: number,
  headerLines = 1,
): void {
  const sheet = workbook.addWorksheet(
    name,
    printedSheetOptions({ title: heading, frozenColumns: leadColumns }),
  );
  sheet.columns = widths.map((width) => ({ width }));
  styleHeaderRow(sheet.addRow([...headers]), headerLines);
  for (const values of rows) {
    const row = sheet.addRow(values.map((v) => (typeof v === 'string' ? xmlSafeCell(v) : v)));
    for (let col = 1; col <= headers.length; col += 1) {
      row.getCell(col).style = {
        font: { size: BODY_FONT_SIZE, bold: values[0] === '合计' },
        alignment: {
          vertical: 'middle',
          horizontal: col <= leadColumns ? 'left' : 'center',
          wrapText: true,
        },
        border: CELL_BORDER,
        ...(formats[col] ? { numFmt: formats[col] } : {}),
      };
    }
    row.height = rowHeightFor(1);
  }
}

/** The 按来源 sheet, and the 签收 sheet where 签收 is required. */
export function addSourceAndSigningSheets(
  workbook: ExcelJS.Workbook,
  heading: string,
  d: Digest,
): void {
  addTableSheet(
    workbook,
    '按来源',
    heading,
    SOURCE_HEADERS,
    [8, 16, 12, 7, 8, 8, 10, 10],
    sourceRows(d),
    // General, not 0.##: Excel prints 1 under 0.## as "1.".
    { 4: 'General', 5: '0', 6: '0', 7: '0', 8: '0' },
    3,
  );
  const signing = signingRows(d);
  if (signing.length) {
    addTableSheet(
      workbook,
      '签收',
      heading,
      // The last header is broken where a reader would: in one line it is cut off.
      SIGNING_HEADERS.map((h) => (h === '签收用时中位数(小时)' ? '签收用时\n中位数(小时)' : h)),
      [16, 10, 10, 10, 14],
      signing,
      { 2: '0', 3: '0', 4: '0.00%', 5: '0.0' },
      1,
      2,
    );
  }
}
