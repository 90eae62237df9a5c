import { computeRates } from './digest-figures.js';
import { csvField, digestCsv, digestTable, digestXlsx, percent } from './digest-export.js';
import {
  EMPTY_COUNTS,
  type Digest,
  type DigestCounts,
  type DigestFigures,
} from './digest-model.js';
import { readZipEntry } from '../bulletin/docx-text.js';
import ExcelJS from 'exceljs';

async function readXlsx(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(
    buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer,
  );
  return workbook;
}

function figures(overrides: Partial<DigestCounts>): DigestFigures {
  const counts: DigestCounts = { ...EMPTY_COUNTS, ...overrides };
  return { ...counts, ...computeRates(counts) };
}

const digest: Digest = {
  from: '2026-11-16',
  to: '2026-11-22',
  periodStart: '2026-11-15T16:00:00.000Z',
  periodEnd: '2026-11-22T16:00:00.000Z',
  clampedToNow: false,
  timeZone: 'Asia/Shanghai',
  generatedAt: '2026-11-23T00:00:00.000Z',
  rules: {
    minVolume: 5,
    greenShare: 0.3333,
    redShare: 0.3333,
    minRankedForCards: 2,
    minRankedForRed: 3,
    superviseAfterHours: 0,
    notifyAfterHours: 72,
    recurrenceDeduction: { enabled: false, pointsPerRecurrence: 1, max: 10 },
  },
  units: [
    {
      unitId: 'u1',
      unitName: '东辛房街道',
      rank: 1,
      card: 'green',
      unrankedReason: null,
      infoAdopted: 3,
      figures: figures({
        received: 8,
        closed: 6,
        closedOnTime: 5,
        closedUnverified: 2,
        due: 6,
        dueClosed: 5,
        dueClosedOnTime: 4,
        medianHoursToClose: 27.5,
      }),
    },
    {
      unitId: 'u2',
      unitName: '=HYPERLINK("x")',
      rank: null,
      card: null,
      unrankedReason: 'below_min_volume',
      figures: figures({ due: 1 }),
    },
  ],
  categories: [
    {
      categoryId: 'c1',
      categoryName: '楼道堆物',
      groupName: '市容环境',
      figures: figures({ closed: 6 }),
    },
  ],
  totals: figures({ received: 8, closed: 6 }),
  coverage: {
    from: '2026-11-16',
    to: '2026-11-22',
    plans: 1,
    overall: { planned: 2, visited: 1, rate: 0.5 },
    byInspector: [
      { inspectorId: 'i1', inspectorName: '李督导', planned: 2, visited: 1, rate: 0.5 },
    ],
    bySiteKind: [{ kind: '社区', planned: 2, visited: 1, rate: 0.5 }],
    byUnit: [{ unitId: 'u1', unitName: '东辛房街道', planned: 2, visited: 1, rate: 0.5 }],
  },
};

describe('digest export', () => {
  it.each<[string | number | null, string]>([
    [null, ''],
    [12, '12'],
    ['东辛房街道', '东辛房街道'],
    ['a,b', '"a,b"'],
    ['说"好"', '"说""好"""'],
    ['=1+1', "'=1+1"],
    ['-5', "'-5"],
  ])('csvField(%p) = %p', (cell, expected) => {
    expect(csvField(cell)).toBe(expected);
  });

  it.each<[number | null, string | null]>([
    [null, null],
    [0, '0.00%'],
    [0.6667, '66.67%'],
    [1, '100.00%'],
  ])('percent(%p) = %p', (rate, expected) => {
    expect(percent(rate)).toBe(expected);
  });

  it('lays the digest out as one table: units, the total, then categories', () => {
    const table = digestTable(digest);
    expect(table.map((row) => row.slice(0, 4))).toEqual([
      ['维度', '名称', '排名', '评牌'],
      ['单位', '东辛房街道', 1, '绿牌'],
      ['单位', '=HYPERLINK("x")', null, '未达最低任务量'],
      ['合计', '全区', null, null],
      ['问题类别', '楼道堆物', null, null],
    ]);
    const header = table[0];
    const row = table[1];
    const at = (name: string) => row[header.indexOf(name)];
    expect([
      at('收到任务'),
      at('结案用时中位数(小时)'),
      at('按期结案率'),
      at('结案率'),
      at('返工率'),
      at('未经复查销号'),
      at('未经复查销号占比'),
      at('综合指标值'),
    ]).toEqual([8, 27.5, '66.67%', '83.33%', null, 2, '33.33%', '72.22']);
  });

  it('ends the table with 信息采用: per unit, summed in 合计, empty for categories', () => {
    const table = digestTable(digest);
    expect(table[0].slice(-3)).toEqual(['反弹扣分', '综合指标值', '信息采用']);
    // u2 comes from a week stored before items were counted: empty, not 0.
    expect(table.map((row) => row.at(-1))).toEqual(['信息采用', 3, null, 3, null]);
    expect(table.every((row) => row.length === table[0].length)).toBe(true);
  });

  it('writes CSV with a BOM, CRLF and formula cells defused', () => {
    const csv = digestCsv(digest);
    expect(csv.startsWith('\uFEFF维度,名称,排名,评牌,收到任务,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(6);
    expect(csv).toContain(`\r\n单位,"'=HYPERLINK(""x"")",,未达最低任务量,`);
  });

  it('writes an .xlsx without the characters XML forbids in names', async () => {
    const hostile: Digest = {
      ...digest,
      units: digest.units.map((u) => ({ ...u, unitName: `${u.unitName}\u0001\uFFFE` })),
    };
    const sheet = readZipEntry(await digestXlsx(hostile), 'xl/worksheets/sheet1.xml').toString(
      'utf8',
    );
    const strings = readZipEntry(await digestXlsx(hostile), 'xl/sharedStrings.xml').toString(
      'utf8',
    );
    for (const c of ['\u0001', '\uFFFE']) expect(sheet + strings).not.toContain(c);
    expect(sheet + strings).toContain('东辛房街道');
  });

  it('writes an .xlsx with a sheet for units and one for categories', async () => {
    const buffer = await digestXlsx(digest);
    const workbook = readZipEntry(buffer, 'xl/workbook.xml').toString('utf8');
    expect(workbook).toContain('name="单位排名"');
    expect(workbook).toContain('name="问题类别"');
  });

  it('prints each sheet on A3 landscape, one page wide, with the header frozen and repeated', async () => {
    const workbook = await readXlsx(await digestXlsx(digest));
    for (const sheet of workbook.worksheets) {
      expect(sheet.pageSetup).toMatchObject({
        paperSize: 8,
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: '1:1',
      });
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.headerFooter.oddHeader).toContain(
        '创城督导整改综合评价（2026-11-16 至 2026-11-22）',
      );
      expect(sheet.headerFooter.oddFooter).toContain('第 &P 页 共 &N 页');
      const header = sheet.getRow(1);
      expect(header.getCell(1).alignment?.wrapText).toBe(true);
      expect(header.getCell(1).font?.bold).toBe(true);
    }
  });

  it('fills 评牌 cells with their colour and keeps the word', async () => {
    const workbook = await readXlsx(
      await digestXlsx({
        ...digest,
        units: [
          { ...digest.units[0], card: 'green' },
          { ...digest.units[0], unitName: '城子街道', rank: 2, card: 'yellow' },
          { ...digest.units[0], unitName: '永定镇', rank: 3, card: 'red' },
          digest.units[1],
        ],
      }),
    );
    const sheet = workbook.getWorksheet('单位排名');
    if (!sheet) throw new Error('sheet 单位排名 missing');
    const card = (row: number) => sheet.getRow(row).getCell(3);
    expect([2, 3, 4, 5].map((r) => card(r).value)).toEqual([
      '绿牌',
      '黄牌',
      '红牌',
      '未达最低任务量',
    ]);
    expect([2, 3, 4].map((r) => (card(r).fill as ExcelJS.FillPattern).fgColor?.argb)).toEqual([
      'FF7BC67B',
      'FFFFD966',
      'FFFF6B6B',
    ]);
    expect((card(5).fill as ExcelJS.FillPattern | undefined)?.pattern ?? 'none').toBe('none');
    // The header is whole: wrapped, never cut to fit.
    expect(sheet.getRow(1).values).toContain('未经复查\n销号占比');
  });

  it('gives every figure column one number format', async () => {
    const workbook = await readXlsx(await digestXlsx(digest));
    const sheet = workbook.getWorksheet('单位排名');
    if (!sheet) throw new Error('sheet 单位排名 missing');
    const headers = (sheet.getRow(1).values as unknown[]).map((v) =>
      String(v).replaceAll('\n', ''),
    );
    const formats = (header: string) =>
      [2, 3, 4].map((r) => sheet.getRow(r).getCell(headers.indexOf(header)).numFmt);
    expect(formats('综合指标值')).toEqual(['0.00', '0.00', '0.00']);
    expect(formats('按期结案率')).toEqual(['0.00%', '0.00%', '0.00%']);
    expect(formats('结案用时中位数(小时)')).toEqual(['0.0', '0.0', '0.0']);
    expect(formats('收到任务')).toEqual(['0', '0', '0']);
    // 信息采用 last, a count: the unit's, empty for a unit without it, the units' sum in 合计.
    expect(headers.at(-1)).toBe('信息采用');
    const info = headers.length - 1;
    expect([2, 3, 4].map((r) => sheet.getRow(r).getCell(info).value)).toEqual([3, null, 3]);
    expect(formats('信息采用')).toEqual(['0', '0', '0']);
  });
});
