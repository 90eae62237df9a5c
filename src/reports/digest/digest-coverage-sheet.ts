import type ExcelJS from 'exceljs';
import {
  BODY_FONT_SIZE,
  CELL_BORDER,
  printedSheetOptions,
  rowHeightFor,
  styleHeaderRow,
} from '../../common/xlsx-print.js';
import { xmlSafeCell } from '../../common/xml-text.js';
import type { CoverageFigures, PlanCoverage } from '../../plans/coverage.reader.js';

const HEADERS = ['维度', '名称', '计划点位', '已督导', '覆盖率'] as const;
const WIDTHS = [12, 20, 10, 10, 10] as const;

/** The rows of the 督导覆盖率 part: 合计, then per inspector, per site kind and per unit. */
export function coverageRows(c: PlanCoverage): [string, string, CoverageFigures][] {
  return [
    ['合计', '全部计划', c.overall],
    ...c.byInspector.map((r): [string, string, CoverageFigures] => ['督导员', r.inspectorName, r]),
    ...c.bySiteKind.map((r): [string, string, CoverageFigures] => ['点位类型', r.kind, r]),
    ...c.byUnit.map((r): [string, string, CoverageFigures] => ['责任单位', r.unitName, r]),
  ];
}

/**
 * The digest's 督导覆盖率 sheet: planned and visited 点位 and the rate, overall and by
 * inspector, site kind and unit; a note row when no plan overlaps the period.
 */
export function addCoverageSheet(
  workbook: ExcelJS.Workbook,
  heading: string,
  coverage: PlanCoverage,
): void {
  const sheet = workbook.addWorksheet(
    '督导覆盖率',
    printedSheetOptions({ title: heading, frozenColumns: 2 }),
  );
  sheet.columns = WIDTHS.map((width) => ({ width }));
  styleHeaderRow(sheet.addRow([...HEADERS]), 1);
  if (coverage.plans === 0) {
    const row = sheet.addRow(['本期无督导计划']);
    row.getCell(1).font = { size: BODY_FONT_SIZE };
    return;
  }
  for (const [dimension, name, f] of coverageRows(coverage)) {
    const row = sheet.addRow([dimension, xmlSafeCell(name), f.planned, f.visited, f.rate]);
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cell.style = {
        font: { size: BODY_FONT_SIZE, bold: dimension === '合计' },
        alignment: { vertical: 'middle', horizontal: col <= 2 ? 'left' : 'center' },
        border: CELL_BORDER,
        ...(col === 5 ? { numFmt: '0.0%' } : col > 2 ? { numFmt: '0' } : {}),
      };
    });
    row.height = rowHeightFor(1);
  }
}
