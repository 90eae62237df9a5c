import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../../common/heavy-modules.js';
import type { Card, Digest, DigestFigures, UnitDigestRow, UnrankedReason } from './digest-model.js';
import { csvField } from '../../common/csv.js';
import { xmlSafeCell } from '../../common/xml-text.js';
import { addCoverageSheet } from './digest-coverage-sheet.js';
import {
  addSourceAndSigningSheets,
  signingRows,
  SIGNING_HEADERS,
  SOURCE_HEADERS,
  sourceRows,
} from './digest-source-signing-export.js';
import {
  BODY_FONT_SIZE,
  CELL_BORDER,
  SIGNAL_FILLS,
  printedSheetOptions,
  rowHeightFor,
  styleHeaderRow,
  wrappedLines,
} from '../../common/xlsx-print.js';

/**
 * The digest as the office opens it: one table (CSV; then the 按来源 and 签收 blocks, each after an
 * empty line with its own header) or sheets (.xlsx: 单位排名, 问题类别, 督导覆盖率, 按来源, 签收)
 * with Chinese headers.
 * Rates are written as percentages, the index with two decimals; an undefined rate is empty.
 */

export type DigestCell = string | number | null;

interface FigureColumn {
  header: string;
  /** The header as printed in .xlsx, broken into short lines for a narrow column. */
  printed?: string;
  value: (f: DigestFigures) => number | null;
  kind: 'count' | 'rate' | 'hours' | 'index';
}

export const FIGURE_COLUMNS: readonly FigureColumn[] = [
  { header: '收到任务', printed: '收到\n任务', value: (f) => f.received, kind: 'count' },
  { header: '结案', value: (f) => f.closed, kind: 'count' },
  { header: '按期结案', printed: '按期\n结案', value: (f) => f.closedOnTime, kind: 'count' },
  { header: '超期未结', printed: '超期\n未结', value: (f) => f.openOverdue, kind: 'count' },
  { header: '督办', value: (f) => f.supervised, kind: 'count' },
  { header: '通报', value: (f) => f.notified, kind: 'count' },
  {
    header: '结案用时中位数(小时)',
    printed: '结案用时\n中位数\n(小时)',
    value: (f) => f.medianHoursToClose,
    kind: 'hours',
  },
  { header: '到期任务', printed: '到期\n任务', value: (f) => f.due, kind: 'count' },
  { header: '挂账', value: (f) => f.dueOnHold, kind: 'count' },
  { header: '应结案', value: (f) => f.volume, kind: 'count' },
  { header: '到期已结案', printed: '到期\n已结案', value: (f) => f.dueClosed, kind: 'count' },
  {
    header: '到期按期结案',
    printed: '到期按期\n结案',
    value: (f) => f.dueClosedOnTime,
    kind: 'count',
  },
  { header: '复查', value: (f) => f.checks, kind: 'count' },
  { header: '复查不通过', printed: '复查\n不通过', value: (f) => f.failedChecks, kind: 'count' },
  {
    header: '未经复查销号',
    printed: '未经复查\n销号',
    value: (f) => f.closedUnverified,
    kind: 'count',
  },
  {
    header: '照片存疑销号',
    printed: '照片存疑\n销号',
    value: (f) => f.closedFlagged,
    kind: 'count',
  },
  { header: '反弹', value: (f) => f.recurrences, kind: 'count' },
  { header: '重复点位', printed: '重复\n点位', value: (f) => f.repeatLocations, kind: 'count' },
  { header: '在办任务', printed: '在办\n任务', value: (f) => f.inHand, kind: 'count' },
  { header: '批准延期', printed: '批准\n延期', value: (f) => f.extensionsGranted, kind: 'count' },
  {
    header: '按期结案率',
    printed: '按期\n结案率',
    value: (f) => f.onTimeClosureRate,
    kind: 'rate',
  },
  { header: '结案率', value: (f) => f.closureRate, kind: 'rate' },
  { header: '返工率', value: (f) => f.reworkRate, kind: 'rate' },
  { header: '延期率', value: (f) => f.extensionRate, kind: 'rate' },
  {
    header: '未经复查销号占比',
    printed: '未经复查\n销号占比',
    value: (f) => f.unverifiedShare,
    kind: 'rate',
  },
  {
    header: '反弹扣分',
    printed: '反弹\n扣分',
    value: (f) => f.recurrenceDeduction,
    kind: 'index',
  },
  { header: '综合指标值', printed: '综合\n指标值', value: (f) => f.compositeIndex, kind: 'index' },
];

export const CARD_LABELS: Readonly<Record<Card, string>> = {
  green: '绿牌',
  yellow: '黄牌',
  red: '红牌',
};

export const UNRANKED_LABELS: Readonly<Record<UnrankedReason, string>> = {
  below_min_volume: '未达最低任务量',
  no_index: '无到期任务',
};

const LEAD_HEADERS = ['维度', '名称', '排名', '评牌'] as const;

/**
 * 信息采用 (信息报送 items the office adopted in the period, info-items.reader.ts): after the
 * figures, beside the index and not part of it. A unit's count; the 合计 row the units' sum;
 * empty for a category (items belong to units) and for a unit of a week stored before it was
 * counted.
 */
export const INFO_ADOPTED_HEADER = '信息采用';

/** 信息采用 of the whole district: the units' sum, null when no unit row carries it. */
export function infoAdoptedTotal(d: Digest): number | null {
  const known = d.units.filter((u) => u.infoAdopted !== undefined);
  return known.length ? known.reduce((n, u) => n + (u.infoAdopted ?? 0), 0) : null;
}

/** 绿牌/黄牌/红牌 for a ranked unit, why not for an unranked one. */
export function cardLabel(u: UnitDigestRow): string | null {
  if (u.card !== null) return CARD_LABELS[u.card];
  return u.unrankedReason === null ? null : UNRANKED_LABELS[u.unrankedReason];
}

/** '0.8571' → '85.71%'; null → null. */
export function percent(rate: number | null): string | null {
  return rate === null ? null : `${(rate * 100).toFixed(2)}%`;
}

function textCells(f: DigestFigures): DigestCell[] {
  return FIGURE_COLUMNS.map((c) => {
    const value = c.value(f);
    if (value === null) return null;
    if (c.kind === 'rate') return percent(value);
    if (c.kind === 'index') return value.toFixed(2);
    return value;
  });
}

/**
 * The digest as rows of one rectangular table: a header, one row per unit (ranked first), the
 * 合计 row, then one row per category. The 维度 column says which.
 */
export function digestTable(d: Digest): DigestCell[][] {
  const rows: DigestCell[][] = [
    [...LEAD_HEADERS, ...FIGURE_COLUMNS.map((c) => c.header), INFO_ADOPTED_HEADER],
  ];
  for (const u of d.units) {
    rows.push([
      '单位',
      u.unitName,
      u.rank,
      cardLabel(u),
      ...textCells(u.figures),
      u.infoAdopted ?? null,
    ]);
  }
  rows.push(['合计', '全区', null, null, ...textCells(d.totals), infoAdoptedTotal(d)]);
  for (const c of d.categories) {
    rows.push(['问题类别', c.categoryName, null, null, ...textCells(c.figures), null]);
  }
  return rows;
}

export { csvField };

/**
 * CSV: UTF-8 with a BOM (Excel on Chinese Windows reads a file without one as GBK), CRLF line
 * ends, RFC 4180 quoting. A digest is a few hundred rows at most, so it is built in memory.
 */
export function digestCsv(d: Digest): string {
  const blocks = [digestTable(d)];
  // Then, each after an empty line with its own header: 按来源, and 签收 where it is required.
  const bySource = sourceRows(d);
  if (bySource.length) blocks.push([[...SOURCE_HEADERS], ...bySource]);
  const signing = signingRows(d).map(([unit, assigned, inTime, rate, median]) => [
    unit,
    assigned,
    inTime,
    percent(rate as number | null),
    median,
  ]);
  if (signing.length) blocks.push([[...SIGNING_HEADERS], ...signing]);
  const lines = blocks
    .map((rows) => rows.map((row) => row.map(csvField).join(',')).join('\r\n'))
    .join('\r\n\r\n');
  return `\uFEFF${lines}\r\n`;
}

function title(d: Digest): string {
  return `创城督导整改综合评价（${d.from} 至 ${d.to}）`;
}

/** One number format per kind, the same in every row: 85.71%, 73.00, 27.5, 6. */
export const FIGURE_NUMBER_FORMATS: Readonly<Record<FigureColumn['kind'], string>> = {
  count: '0',
  rate: '0.00%',
  hours: '0.0',
  index: '0.00',
};

/** A lead column of a sheet: its header, width and how its cells look. */
interface LeadColumn {
  header: string;
  width: number;
  centred?: boolean;
}

interface SheetRow {
  lead: DigestCell[];
  figures: DigestFigures;
  /** Cells after the figures, one per trailing column of the sheet. */
  trail?: (number | null)[];
  card?: Card | null;
  total?: boolean;
}

/** A count column after the figures (单位排名's 信息采用). */
interface TrailColumn {
  header: string;
  printed: string;
}

/** Width of a figure column: its longest printed header line, at least a 6-digit number. */
function figureWidth(c: { header: string; printed?: string }): number {
  const lines = (c.printed ?? c.header).split('\n');
  return Math.max(
    7,
    ...lines.map((l) => [...l].reduce((w, ch) => w + (ch > '\u2e7f' ? 1.9 : 1), 1.5)),
  );
}

const bodyStyle = (centred: boolean, numFmt?: string): Partial<ExcelJS.Style> => ({
  font: { size: BODY_FONT_SIZE },
  alignment: { vertical: 'middle', horizontal: centred ? 'center' : 'left', wrapText: true },
  border: CELL_BORDER,
  ...(numFmt ? { numFmt } : {}),
});

/**
 * One sheet laid out for printing (`printedSheetOptions`): the header in row 1, frozen with the
 * lead columns, repeated on every printed page; 评牌 cells filled 红/黄/绿 with the word kept.
 */
function addSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  heading: string,
  lead: LeadColumn[],
  rows: SheetRow[],
  trail: TrailColumn[] = [],
): void {
  const sheet = workbook.addWorksheet(
    name,
    printedSheetOptions({ title: heading, frozenColumns: lead.length }),
  );
  sheet.columns = [
    ...lead.map((c) => ({ width: c.width })),
    ...FIGURE_COLUMNS.map((c) => ({ width: figureWidth(c) })),
    ...trail.map((c) => ({ width: figureWidth(c) })),
  ];
  const header = sheet.addRow([
    ...lead.map((c) => c.header),
    ...FIGURE_COLUMNS.map((c) => c.printed ?? c.header),
    ...trail.map((c) => c.printed),
  ]);
  styleHeaderRow(header, 3);
  const cardColumn = lead.findIndex((c) => c.header === '评牌') + 1;
  for (const r of rows) {
    // Unit and category names are typed by people: strip what XML cannot hold.
    const row = sheet.addRow([
      ...r.lead.map(xmlSafeCell),
      ...FIGURE_COLUMNS.map((c) => c.value(r.figures)),
      ...trail.map((_, i) => r.trail?.[i] ?? null),
    ]);
    let lines = 1;
    lead.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.style = bodyStyle(c.centred ?? false);
      if (typeof cell.value === 'string')
        lines = Math.max(lines, wrappedLines(cell.value, c.width));
    });
    FIGURE_COLUMNS.forEach((c, i) => {
      row.getCell(lead.length + i + 1).style = bodyStyle(true, FIGURE_NUMBER_FORMATS[c.kind]);
    });
    trail.forEach((_, i) => {
      row.getCell(lead.length + FIGURE_COLUMNS.length + i + 1).style = bodyStyle(
        true,
        FIGURE_NUMBER_FORMATS.count,
      );
    });
    if (cardColumn > 0 && r.card) {
      const cell = row.getCell(cardColumn);
      cell.fill = SIGNAL_FILLS[r.card];
      cell.font = { size: BODY_FONT_SIZE, bold: true };
    }
    if (r.total) row.eachCell((cell) => (cell.font = { size: BODY_FONT_SIZE, bold: true }));
    row.height = rowHeightFor(lines);
  }
}

/**
 * .xlsx: a 单位排名 sheet (units and the 合计 row), a 问题类别 sheet and a 督导覆盖率 sheet; rates
 * are numbers.
 */
export async function digestXlsx(d: Digest): Promise<Buffer> {
  const { Workbook } = await loadExcelJS();
  const workbook = new Workbook();
  workbook.creator = '创城督导整改';
  workbook.title = title(d);
  addSheet(
    workbook,
    '单位排名',
    title(d),
    [
      { header: '责任单位', width: 16 },
      { header: '排名', width: 5.5, centred: true },
      { header: '评牌', width: 15, centred: true },
    ],
    [
      ...d.units.map((u) => ({
        lead: [u.unitName, u.rank, cardLabel(u)],
        figures: u.figures,
        trail: [u.infoAdopted ?? null],
        card: u.card,
      })),
      { lead: ['合计', null, null], figures: d.totals, trail: [infoAdoptedTotal(d)], total: true },
    ],
    [{ header: INFO_ADOPTED_HEADER, printed: '信息\n采用' }],
  );
  addSheet(
    workbook,
    '问题类别',
    title(d),
    [
      { header: '问题类别', width: 14 },
      { header: '分组', width: 9 },
    ],
    d.categories.map((c) => ({ lead: [c.categoryName, c.groupName], figures: c.figures })),
  );
  addCoverageSheet(workbook, title(d), d.coverage);
  addSourceAndSigningSheets(workbook, title(d), d);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
