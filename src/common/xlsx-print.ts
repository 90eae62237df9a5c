import type ExcelJS from 'exceljs';

/**
 * How the office's .xlsx files are laid out for the printer, shared by the 台账 and the digest.
 * A clerk prints them on A3 landscape (a 20–30 column table on A4 shrinks to about 3 pt text),
 * scaled to the paper's width only, so a long table runs onto more pages instead of shrinking;
 * the header row is repeated on every page and frozen on screen, and every page carries the
 * title and 第 N 页 共 M 页.
 */

/** OOXML paper size code of A3 (ECMA-376 §18.3.1.63: 8 = A3 297 × 420 mm). */
export const PAPER_A3 = 8;

/** The header row's fill, a pale blue that survives a black-and-white printer as light grey. */
export const HEADER_FILL: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFD9E1F2' },
};

const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF808080' } };

/** Thin grey rules around a cell, so the printed table keeps its grid. */
export const CELL_BORDER: Partial<ExcelJS.Borders> = Object.freeze({
  top: THIN,
  left: THIN,
  bottom: THIN,
  right: THIN,
});

/** Body text size; Excel's default 11 pt wastes width on a 30-column sheet. */
export const BODY_FONT_SIZE = 10;

/** `&` starts a code in an Excel header or footer, so a literal one is doubled. */
function headerText(text: string): string {
  return text.replaceAll('&', '&&');
}

/**
 * Worksheet options for a printed table whose header is row `headerRow` (usually 1): A3
 * landscape, fit to one page wide and as many tall as it takes, header rows repeated on every
 * page, the header frozen on screen (with `frozenColumns` columns at the left), narrow margins,
 * the title centred in the page header and the page number in the footer.
 */
export function printedSheetOptions(opts: {
  title: string;
  headerRow?: number;
  frozenColumns?: number;
}): Partial<ExcelJS.AddWorksheetOptions> {
  const headerRow = opts.headerRow ?? 1;
  return {
    views: [{ state: 'frozen', xSplit: opts.frozenColumns ?? 0, ySplit: headerRow }],
    pageSetup: {
      paperSize: PAPER_A3 as ExcelJS.PageSetup['paperSize'],
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `1:${headerRow}`,
      // Inches: narrow sides, room for the page header and footer.
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.25, footer: 0.25 },
    },
    headerFooter: {
      oddHeader: `&C&"-,Bold"&14${headerText(opts.title)}`,
      oddFooter: '&C第 &P 页 共 &N 页',
      differentFirst: false,
      differentOddEven: false,
    },
  };
}

/**
 * Styles a header row: bold, wrapped (so "未达最低任务量" breaks onto a second line instead of
 * being cut), centred, filled and ruled; tall enough for `lines` lines of text.
 */
export function styleHeaderRow(row: ExcelJS.Row, lines = 2): void {
  row.height = 14 * lines + 4;
  row.eachCell({ includeEmpty: true }, (cell) => {
    cell.font = { bold: true, size: BODY_FONT_SIZE };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = HEADER_FILL;
    cell.border = CELL_BORDER;
  });
}

/** 红/黄/绿 as cell fills: strong enough to read at a glance, light enough for black text. */
export const SIGNAL_FILLS: Readonly<Record<'red' | 'yellow' | 'green', ExcelJS.Fill>> = {
  red: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFF6B6B' } },
  yellow: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFD966' } },
  green: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF7BC67B' } },
};

/** Printed height of one line of body text, in points. */
const LINE_POINTS = 13;

/**
 * How many lines `text` takes when wrapped in a column `width` characters wide. Neither Excel nor
 * LibreOffice reliably grows a row to fit wrapped text in a generated file, so rows get their
 * height from this estimate. Widths are in the default font's digits: a CJK character at body
 * size is about two, other characters about one.
 */
export function wrappedLines(text: string, width: number): number {
  const usable = Math.max(1, width - 1);
  let lines = 0;
  for (const line of text.split('\n')) {
    let units = 0;
    for (const ch of line) units += ch.codePointAt(0)! > 0x2e7f ? 1.8 : 0.95;
    lines += Math.max(1, Math.ceil(units / usable));
  }
  return lines;
}

/** A row height (points) that shows `lines` lines of body text, capped so one row fits a page. */
export function rowHeightFor(lines: number): number {
  return Math.min(400, Math.max(1, lines) * LINE_POINTS + 4);
}
