import ExcelJS from 'exceljs';
import { emptyCoverage, type PlanCoverage } from '../../plans/coverage.reader.js';
import { BODY_FONT_SIZE } from '../../common/xlsx-print.js';
import { addCoverageSheet, coverageRows } from './digest-coverage-sheet.js';

const coverage: PlanCoverage = {
  from: '2026-11-16',
  to: '2026-11-22',
  plans: 2,
  overall: { planned: 5, visited: 3, rate: 0.6 },
  byInspector: [
    { inspectorId: 'a', inspectorName: '李督导', planned: 3, visited: 2, rate: 2 / 3 },
    { inspectorId: 'b', inspectorName: '王督导', planned: 2, visited: 1, rate: 0.5 },
  ],
  bySiteKind: [{ kind: '社区', planned: 5, visited: 3, rate: 0.6 }],
  byUnit: [{ unitId: null, unitName: '未指定单位', planned: 5, visited: 3, rate: 0.6 }],
};

async function sheetOf(c: PlanCoverage): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  addCoverageSheet(workbook, '标题', c);
  const read = new ExcelJS.Workbook();
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  await read.xlsx.load(
    buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer,
  );
  const sheet = read.getWorksheet('督导覆盖率');
  if (!sheet) throw new Error('sheet 督导覆盖率 missing');
  return sheet;
}

describe('the digest 督导覆盖率 sheet', () => {
  it('lists 合计, then inspectors, site kinds and units', () => {
    expect(coverageRows(coverage).map(([d, n, f]) => [d, n, f.planned, f.visited])).toEqual([
      ['合计', '全部计划', 5, 3],
      ['督导员', '李督导', 3, 2],
      ['督导员', '王督导', 2, 1],
      ['点位类型', '社区', 5, 3],
      ['责任单位', '未指定单位', 5, 3],
    ]);
  });

  it('writes the rate as a number formatted as a percentage', async () => {
    const sheet = await sheetOf(coverage);
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '维度',
      '名称',
      '计划点位',
      '已督导',
      '覆盖率',
    ]);
    expect(sheet.getRow(2).values).toEqual([undefined, '合计', '全部计划', 5, 3, 0.6]);
    expect(sheet.getRow(2).getCell(5).numFmt).toBe('0.0%');
    expect(sheet.rowCount).toBe(6);
  });

  it('says so when no plan overlaps the period', async () => {
    const sheet = await sheetOf(emptyCoverage('2026-11-16', '2026-11-22'));
    expect(sheet.getRow(2).getCell(1).value).toBe('本期无督导计划');
    expect(sheet.rowCount).toBe(2);
  });

  it('styles the rows: 合计 bold, names left, figures centred, counts whole, the rate in %', async () => {
    const sheet = await sheetOf(coverage);
    expect(sheet.columns.map((c) => c.width)).toEqual([12, 20, 10, 10, 10]);
    const style = (row: number, col: number) => {
      const cell = sheet.getRow(row).getCell(col);
      return [cell.font?.bold ?? false, cell.alignment?.horizontal, cell.numFmt ?? null];
    };
    expect([1, 2, 3, 4, 5].map((col) => style(2, col))).toEqual([
      [true, 'left', null],
      [true, 'left', null],
      [true, 'center', '0'],
      [true, 'center', '0'],
      [true, 'center', '0.0%'],
    ]);
    expect([1, 2, 3, 4, 5].map((col) => style(3, col))).toEqual([
      [false, 'left', null],
      [false, 'left', null],
      [false, 'center', '0'],
      [false, 'center', '0'],
      [false, 'center', '0.0%'],
    ]);
    expect(sheet.getRow(3).getCell(1).font?.size).toBe(BODY_FONT_SIZE);
    expect(sheet.getRow(3).getCell(1).border?.top).toBeDefined();
    expect(sheet.getRow(3).getCell(4).alignment?.vertical).toBe('middle');
  });

  it('borders and formats the empty rate of a row with nothing planned like the others', async () => {
    const sheet = await sheetOf({
      ...coverage,
      byInspector: [],
      bySiteKind: [{ kind: '社区', planned: 0, visited: 0, rate: null }],
      byUnit: [],
    });
    const rate = sheet.getRow(3).getCell(5);
    expect(rate.value).toBeNull();
    expect(rate.border?.top).toBeDefined();
    expect(rate.numFmt).toBe('0.0%');
  });

  it('writes the note in the body font', async () => {
    const sheet = await sheetOf(emptyCoverage('2026-11-16', '2026-11-22'));
    expect(sheet.getRow(2).getCell(1).font?.size).toBe(BODY_FONT_SIZE);
  });
});
