import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { DomainError } from '../common/errors/domain-error.js';
import { readSheet, type SheetLimits } from './xlsx-rows.js';

const limits: SheetLimits = { maxRows: 5, maxColumns: 4, maxCellChars: 20 };

async function workbook(sheets: [string, unknown[][]][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of sheets) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same zip with its entries stored in `order` first (the rest after, as they were). */
async function restored(data: Buffer, order: string[]): Promise<Buffer> {
  const source = await JSZip.loadAsync(data);
  const names = Object.keys(source.files).filter((n) => !source.files[n].dir);
  const out = new JSZip();
  for (const name of [...order, ...names.filter((n) => !order.includes(n))]) {
    out.file(name, await source.files[name].async('nodebuffer'));
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function refusal(data: Buffer): Promise<{ code: string; field?: string }> {
  const e: unknown = await readSheet(data, limits).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  const d = e as DomainError;
  const field = d.details?.errors?.[0];
  return { code: field?.code ?? d.code, field: field?.field };
}

describe('readSheet', () => {
  const rows = [
    ['问题类型', '问题描述', '发现日期'],
    [],
    ['楼道堆物', '三号楼楼道堆物', new Date(Date.UTC(2026, 10, 30, 9, 30))],
    ['小广告', '墙面小广告，长长长长长长长长长长长长长长长长长长', null],
  ];

  it('reads the header, skips empty rows, keeps row numbers, dates as wall clock, cut text', async () => {
    const sheet = await readSheet(await workbook([['问题清单', rows]]), limits);
    expect(sheet).toEqual({
      headers: ['问题类型', '问题描述', '发现日期'],
      rows: [
        { row: 3, cells: ['楼道堆物', '三号楼楼道堆物', '2026-11-30 09:30'] },
        // Cut at 20 characters; a row ends at its last filled cell.
        { row: 4, cells: ['小广告', '墙面小广告，长长长长长长长长长长长长长长'] },
      ],
    });
  });

  it('reads the first worksheet only', async () => {
    const data = await workbook([
      ['问题清单', rows],
      ['说明', [['填写说明'], ['不要读我']]],
    ]);
    expect((await readSheet(data, limits)).headers[0]).toBe('问题类型');
  });

  // exceljs#3064: its stream reader parsed a sheet stored before xl/workbook.xml without the
  // workbook and failed ("reading 'sheets'") — always for this order, now and then for the
  // order exceljs itself writes. The zip is read by its central directory instead.
  it('reads a zip whatever the order of its parts', async () => {
    const data = await workbook([['问题清单', rows]]);
    const late = await restored(data, [
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/sharedStrings.xml',
      'xl/worksheets/sheet1.xml',
      'xl/styles.xml',
      'xl/workbook.xml',
    ]);
    const expected = await readSheet(data, limits);
    expect(await readSheet(late, limits)).toEqual(expected);
    const reads = await Promise.all(Array.from({ length: 100 }, () => readSheet(data, limits)));
    expect(reads.every((r) => r.rows.length === 2)).toBe(true);
  });

  it('finds the first sheet through the workbook, whatever its part is called', async () => {
    const data = await workbook([
      ['说明', [['填写说明'], ['不要读我']]],
      ['问题清单', rows],
    ]);
    const zip = await JSZip.loadAsync(data);
    // The workbook lists 问题清单 first; its part has another name and an absolute address.
    const book = await zip.file('xl/workbook.xml')!.async('string');
    const sheets = /<sheet [^>]*\/>/g;
    const [a, b] = book.match(sheets)!;
    zip.file('xl/workbook.xml', book.replace(a, '\u0000').replace(b, a).replace('\u0000', b));
    const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
    zip.file(
      'xl/_rels/workbook.xml.rels',
      rels.replace('worksheets/sheet2.xml', '/xl/worksheets/清单.xml'),
    );
    zip.file(
      'xl/worksheets/清单.xml',
      await zip.file('xl/worksheets/sheet2.xml')!.async('nodebuffer'),
    );
    zip.remove('xl/worksheets/sheet2.xml');
    const moved = await zip.generateAsync({ type: 'nodebuffer' });
    expect(await readSheet(moved, limits)).toEqual(
      await readSheet(await workbook([['问题清单', rows]]), limits),
    );
  });

  it('refuses what is not a workbook, naming the file field', async () => {
    expect(await refusal(Buffer.from('序号,问题类型\n1,楼道堆物'))).toEqual({
      code: 'notXlsx',
      field: 'file',
    });
    const zip = new JSZip();
    zip.file('readme.txt', '不是工作簿');
    const notBook = await zip.generateAsync({ type: 'nodebuffer' });
    expect(await refusal(notBook)).toEqual({ code: 'notXlsx', field: 'file' });
    const broken = await workbook([['问题清单', rows]]);
    expect(await refusal(broken.subarray(0, broken.length - 200))).toEqual({
      code: 'notXlsx',
      field: 'file',
    });
  });

  it('refuses an empty sheet, a header alone, too many columns and too many rows', async () => {
    expect(await refusal(await workbook([['问题清单', [[], []]]]))).toMatchObject({
      code: 'isNotEmpty',
    });
    expect(await refusal(await workbook([['问题清单', [rows[0]]]]))).toMatchObject({
      code: 'isNotEmpty',
    });
    expect(await refusal(await workbook([['宽', [['a', 'b', 'c', 'd', 'e']]]]))).toMatchObject({
      code: 'tooManyColumns',
    });
    const many = [rows[0], ...Array.from({ length: 6 }, (_, i) => ['楼道堆物', `第${i}条`])];
    expect(await refusal(await workbook([['问题清单', many]]))).toMatchObject({
      code: 'tooManyRows',
    });
    const five = [rows[0], ...Array.from({ length: 5 }, (_, i) => ['楼道堆物', `第${i}条`])];
    expect((await readSheet(await workbook([['问题清单', five]]), limits)).rows).toHaveLength(5);
  });
});
