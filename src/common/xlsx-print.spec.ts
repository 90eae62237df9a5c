import { printedSheetOptions, rowHeightFor, wrappedLines } from './xlsx-print.js';

describe('printedSheetOptions', () => {
  it('prints on A3 landscape, one page wide, the header on every page and frozen', () => {
    const o = printedSheetOptions({ title: 'A & B 台账', frozenColumns: 2 });
    expect(o.pageSetup).toMatchObject({
      paperSize: 8,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    });
    expect(o.views).toEqual([{ state: 'frozen', xSplit: 2, ySplit: 1 }]);
    expect(o.headerFooter?.oddHeader).toBe('&C&"-,Bold"&14A && B 台账');
    expect(o.headerFooter?.oddFooter).toBe('&C第 &P 页 共 &N 页');
  });
});

describe('wrappedLines', () => {
  it.each<[string, number, number]>([
    ['', 10, 1],
    ['2026-11-20 11:40', 10.5, 2],
    ['2026-11', 10.5, 1],
    ['已销号', 7, 1],
    ['楼道堆物'.repeat(5), 22, 2],
    ['a\nb\nc', 20, 3],
  ])('%j in %p → %p lines', (text, width, lines) => {
    expect(wrappedLines(text, width)).toBe(lines);
  });

  it('sizes a row to its lines, within a page', () => {
    expect(rowHeightFor(1)).toBe(17);
    expect(rowHeightFor(3)).toBe(43);
    expect(rowHeightFor(1000)).toBe(400);
  });
});
