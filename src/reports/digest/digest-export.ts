import ExcelJS from 'exceljs';
import type { Card, Digest, DigestFigures, UnitDigestRow, UnrankedReason } from './digest-model.js';
import { csvField } from '../../common/csv.js';
import { xmlSafeCell } from '../../common/xml-text.js';

/**
 * The digest as the office opens it: one table (CSV) or two sheets (.xlsx) with Chinese headers.
 * Rates are written as percentages, the index with two decimals; an undefined rate is empty.
 */

export type DigestCell = string | number | null;

interface FigureColumn {
  header: string;
  value: (f: DigestFigures) => number | null;
  kind: 'count' | 'rate' | 'hours' | 'index';
}

export const FIGURE_COLUMNS: readonly FigureColumn[] = [
  { header: '收到任务', value: (f) => f.received, kind: 'count' },
  { header: '结案', value: (f) => f.closed, kind: 'count' },
  { header: '按期结案', value: (f) => f.closedOnTime, kind: 'count' },
  { header: '超期未结', value: (f) => f.openOverdue, kind: 'count' },
  { header: '督办', value: (f) => f.supervised, kind: 'count' },
  { header: '通报', value: (f) => f.notified, kind: 'count' },
  { header: '结案用时中位数(小时)', value: (f) => f.medianHoursToClose, kind: 'hours' },
  { header: '到期任务', value: (f) => f.due, kind: 'count' },
  { header: '挂账', value: (f) => f.dueOnHold, kind: 'count' },
  { header: '应结案', value: (f) => f.volume, kind: 'count' },
  { header: '到期已结案', value: (f) => f.dueClosed, kind: 'count' },
  { header: '到期按期结案', value: (f) => f.dueClosedOnTime, kind: 'count' },
  { header: '复查', value: (f) => f.checks, kind: 'count' },
  { header: '复查不通过', value: (f) => f.failedChecks, kind: 'count' },
  { header: '未经复查销号', value: (f) => f.closedUnverified, kind: 'count' },
  { header: '在办任务', value: (f) => f.inHand, kind: 'count' },
  { header: '批准延期', value: (f) => f.extensionsGranted, kind: 'count' },
  { header: '按期结案率', value: (f) => f.onTimeClosureRate, kind: 'rate' },
  { header: '结案率', value: (f) => f.closureRate, kind: 'rate' },
  { header: '返工率', value: (f) => f.reworkRate, kind: 'rate' },
  { header: '延期率', value: (f) => f.extensionRate, kind: 'rate' },
  { header: '未经复查销号占比', value: (f) => f.unverifiedShare, kind: 'rate' },
  { header: '综合指标值', value: (f) => f.compositeIndex, kind: 'index' },
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
  const rows: DigestCell[][] = [[...LEAD_HEADERS, ...FIGURE_COLUMNS.map((c) => c.header)]];
  for (const u of d.units) {
    rows.push(['单位', u.unitName, u.rank, cardLabel(u), ...textCells(u.figures)]);
  }
  rows.push(['合计', '全区', null, null, ...textCells(d.totals)]);
  for (const c of d.categories) {
    rows.push(['问题类别', c.categoryName, null, null, ...textCells(c.figures)]);
  }
  return rows;
}

export { csvField };

/**
 * CSV: UTF-8 with a BOM (Excel on Chinese Windows reads a file without one as GBK), CRLF line
 * ends, RFC 4180 quoting. A digest is a few hundred rows at most, so it is built in memory.
 */
export function digestCsv(d: Digest): string {
  const lines = digestTable(d).map((row) => row.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function title(d: Digest): string {
  return `创城督导整改综合评价（${d.from} 至 ${d.to}）`;
}

function addSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  heading: string,
  leadHeaders: string[],
  rows: { lead: DigestCell[]; figures: DigestFigures }[],
): void {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: leadHeaders.length, ySplit: 2 }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const width = leadHeaders.length + FIGURE_COLUMNS.length;
  sheet.columns = [
    ...leadHeaders.map((_, i) => ({ width: i === 0 ? 22 : 8 })),
    ...FIGURE_COLUMNS.map((c) => ({ width: Math.max(10, c.header.length * 2 + 2) })),
  ];
  const titleRow = sheet.addRow([heading]);
  titleRow.font = { bold: true, size: 14 };
  titleRow.alignment = { horizontal: 'center' };
  sheet.mergeCells(1, 1, 1, width);
  const header = sheet.addRow([...leadHeaders, ...FIGURE_COLUMNS.map((c) => c.header)]);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  for (const { lead, figures } of rows) {
    // Unit and category names are typed by people: strip what XML cannot hold.
    const row = sheet.addRow([
      ...lead.map(xmlSafeCell),
      ...FIGURE_COLUMNS.map((c) => c.value(figures)),
    ]);
    FIGURE_COLUMNS.forEach((c, i) => {
      const cell = row.getCell(leadHeaders.length + i + 1);
      if (c.kind === 'rate') cell.numFmt = '0.00%';
      if (c.kind === 'index' || c.kind === 'hours') cell.numFmt = '0.0#';
    });
  }
}

/** .xlsx: a 单位排名 sheet (units and the 合计 row) and a 问题类别 sheet; rates are numbers. */
export async function digestXlsx(d: Digest): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '创城督导整改';
  workbook.title = title(d);
  addSheet(
    workbook,
    '单位排名',
    title(d),
    ['责任单位', '排名', '评牌'],
    [
      ...d.units.map((u) => ({
        lead: [u.unitName, u.rank, cardLabel(u)],
        figures: u.figures,
      })),
      { lead: ['合计', null, null], figures: d.totals },
    ],
  );
  addSheet(
    workbook,
    '问题类别',
    title(d),
    ['问题类别', '分组'],
    d.categories.map((c) => ({ lead: [c.categoryName, c.groupName], figures: c.figures })),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
