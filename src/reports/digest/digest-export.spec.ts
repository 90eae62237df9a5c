import { computeRates } from './digest-figures.js';
import {
  cardLabel,
  csvField,
  digestCsv,
  digestTable,
  digestXlsx,
  infoAdoptedTotal,
  percent,
} from './digest-export.js';
import {
  EMPTY_COUNTS,
  type Digest,
  type DigestCounts,
  type DigestFigures,
  type UnitDigestRow,
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

/** A unit whose every figure differs, so a value under the wrong header shows. */
const distinct: DigestFigures = {
  ...figures({}),
  received: 1,
  closed: 2,
  closedOnTime: 3,
  openOverdue: 4,
  supervised: 5,
  notified: 6,
  medianHoursToClose: 7.5,
  due: 8,
  dueOnHold: 9,
  volume: 10,
  dueClosed: 11,
  dueClosedOnTime: 12,
  checks: 13,
  failedChecks: 14,
  closedUnverified: 15,
  closedFlagged: 16,
  recurrences: 17,
  repeatLocations: 18,
  inHand: 19,
  extensionsGranted: 20,
  onTimeClosureRate: 0.21,
  closureRate: 0.22,
  reworkRate: 0.23,
  extensionRate: 0.24,
  unverifiedShare: 0.25,
  recurrenceDeduction: 2.6,
  compositeIndex: 27,
};

const FIGURE_HEADERS = [
  '收到任务',
  '结案',
  '按期结案',
  '超期未结',
  '督办',
  '通报',
  '结案用时中位数(小时)',
  '到期任务',
  '挂账',
  '应结案',
  '到期已结案',
  '到期按期结案',
  '复查',
  '复查不通过',
  '未经复查销号',
  '照片存疑销号',
  '反弹',
  '重复点位',
  '在办任务',
  '批准延期',
  '按期结案率',
  '结案率',
  '返工率',
  '延期率',
  '未经复查销号占比',
  '反弹扣分',
  '综合指标值',
];

/** The same headers as printed in .xlsx: broken into short lines for narrow columns. */
const PRINTED_FIGURE_HEADERS = [
  '收到\n任务',
  '结案',
  '按期\n结案',
  '超期\n未结',
  '督办',
  '通报',
  '结案用时\n中位数\n(小时)',
  '到期\n任务',
  '挂账',
  '应结案',
  '到期\n已结案',
  '到期按期\n结案',
  '复查',
  '复查\n不通过',
  '未经复查\n销号',
  '照片存疑\n销号',
  '反弹',
  '重复\n点位',
  '在办\n任务',
  '批准\n延期',
  '按期\n结案率',
  '结案率',
  '返工率',
  '延期率',
  '未经复查\n销号占比',
  '反弹\n扣分',
  '综合\n指标值',
];

/**
 * Widths of the figure columns: the longest printed line at 1.9 a CJK character and 1 any other,
 * plus 1.5, at least 7 (4 CJK characters: 9.1; 3: 7.2; 2: 7).
 */
const FIGURE_WIDTHS = [
  7, 7, 7, 7, 7, 7, 9.1, 7, 7, 7.2, 7.2, 9.1, 7, 7.2, 9.1, 9.1, 7, 7, 7, 7, 7.2, 7.2, 7.2, 7.2, 9.1,
  7, 7.2,
];

const withSources: Digest = {
  ...digest,
  sources: [
    {
      source: 'inspection',
      sourceName: '督导检查',
      weight: 1,
      raised: 5,
      closed: 4,
      closedOnTime: 3,
      openOverdue: 1,
    },
    {
      source: 'hotline',
      sourceName: '12345',
      weight: 1.5,
      raised: 2,
      closed: 1,
      closedOnTime: 1,
      openOverdue: 0,
    },
  ],
  units: [
    {
      ...digest.units[0],
      bySource: [
        {
          source: 'inspection',
          sourceName: '督导检查',
          weight: 1,
          raised: 3,
          closed: 2,
          closedOnTime: 2,
          openOverdue: 0,
        },
      ],
      acknowledgement: { assigned: 8, signedInTime: 6, signingRate: 0.75, medianHoursToSign: 1.5 },
    },
    {
      ...digest.units[1],
      acknowledgement: { assigned: 0, signedInTime: 0, signingRate: null, medianHoursToSign: null },
    },
  ],
};

const values = (row: ExcelJS.Row): unknown[] => (row.values as unknown[]).slice(1);
const rounded = (widths: (number | undefined)[]) =>
  widths.map((w) => (w === undefined ? w : Math.round(w * 100) / 100));

describe('digest export: every column', () => {
  it('names every figure column of the table, in order, 信息采用 last', () => {
    expect(digestTable(digest)[0]).toEqual([
      '维度',
      '名称',
      '排名',
      '评牌',
      ...FIGURE_HEADERS,
      '信息采用',
    ]);
  });

  it('puts each figure under its own header: counts as numbers, rates as %, the index with 2 decimals', () => {
    const table = digestTable({ ...digest, units: [{ ...digest.units[0], figures: distinct }] });
    expect(table[1]).toEqual([
      '单位',
      '东辛房街道',
      1,
      '绿牌',
      ...[1, 2, 3, 4, 5, 6, 7.5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
      ...['21.00%', '22.00%', '23.00%', '24.00%', '25.00%', '2.60', '27.00'],
      3,
    ]);
  });

  it.each<[Partial<UnitDigestRow>, string | null]>([
    [{ card: 'yellow' }, '黄牌'],
    [{ card: null, rank: null, unrankedReason: 'no_index' }, '无到期任务'],
    [{ card: null, rank: null, unrankedReason: 'below_min_volume' }, '未达最低任务量'],
    [{ card: null, rank: 4, unrankedReason: null }, null],
  ])('评牌 of %j is %p', (unit, label) => {
    expect(cardLabel({ ...digest.units[0], ...unit })).toBe(label);
  });

  it('leaves 信息采用 of 合计 empty when no unit carries it', () => {
    const none: Digest = {
      ...digest,
      units: digest.units.map((u) => ({ ...u, infoAdopted: undefined })),
    };
    expect(infoAdoptedTotal(none)).toBeNull();
    expect(infoAdoptedTotal({ ...digest, units: [] })).toBeNull();
    expect(infoAdoptedTotal(digest)).toBe(3);
    expect(
      infoAdoptedTotal({
        ...digest,
        units: [digest.units[0], { ...digest.units[1], infoAdopted: 0 }],
      }),
    ).toBe(3);
  });

  it('writes the 按来源 and 签收 blocks after the table, each after an empty line', () => {
    const lines = digestCsv(withSources).split('\r\n');
    expect(lines.slice(5)).toEqual([
      '',
      '维度,名称,来源,权重,新增,结案,按期结案,超期未结',
      '合计,全区,督导检查,1,5,4,3,1',
      '合计,全区,12345,1.5,2,1,1,0',
      '单位,东辛房街道,督导检查,1,3,2,2,0',
      '',
      '责任单位,应签收,按时签收,签收率,签收用时中位数(小时)',
      '东辛房街道,8,6,75.00%,1.5',
      `"'=HYPERLINK(""x"")",0,0,,`,
      '',
    ]);
    expect(lines[4]).toBe(digestTable(withSources)[4].map(csvField).join(','));
  });

  it('writes only the 签收 block when there is nothing by source', () => {
    const lines = digestCsv({
      ...withSources,
      sources: undefined,
      units: withSources.units.map((u) => ({ ...u, bySource: undefined })),
    }).split('\r\n');
    expect(lines.slice(5, 7)).toEqual(['', '责任单位,应签收,按时签收,签收率,签收用时中位数(小时)']);
  });
});

describe('digest export: .xlsx layout', () => {
  it('names the workbook and its sheets; 签收 only where it is required', async () => {
    const plain = await readXlsx(await digestXlsx(digest));
    expect(plain.creator).toBe('创城督导整改');
    expect(plain.title).toBe('创城督导整改综合评价（2026-11-16 至 2026-11-22）');
    expect(plain.worksheets.map((s) => s.name)).toEqual([
      '单位排名',
      '问题类别',
      '督导覆盖率',
      '按来源',
    ]);
    const full = await readXlsx(await digestXlsx(withSources));
    expect(full.worksheets.map((s) => s.name)).toEqual([
      '单位排名',
      '问题类别',
      '督导覆盖率',
      '按来源',
      '签收',
    ]);
  });

  it('lays out 单位排名: printed headers, widths, values, frozen lead columns', async () => {
    const workbook = await readXlsx(
      await digestXlsx({
        ...digest,
        units: [{ ...digest.units[0], figures: distinct }, digest.units[1]],
      }),
    );
    const sheet = workbook.getWorksheet('单位排名');
    if (!sheet) throw new Error('sheet 单位排名 missing');
    expect(values(sheet.getRow(1))).toEqual([
      '责任单位',
      '排名',
      '评牌',
      ...PRINTED_FIGURE_HEADERS,
      '信息\n采用',
    ]);
    expect(sheet.getRow(1).height).toBe(46); // three lines of header
    expect(rounded(sheet.columns.map((c) => c.width))).toEqual([16, 5.5, 15, ...FIGURE_WIDTHS, 7]);
    expect(values(sheet.getRow(2))).toEqual([
      '东辛房街道',
      1,
      '绿牌',
      ...[1, 2, 3, 4, 5, 6, 7.5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
      ...[0.21, 0.22, 0.23, 0.24, 0.25, 2.6, 27],
      3,
    ]);
    expect(sheet.getRow(4).getCell(1).value).toBe('合计');
    expect(sheet.getRow(4).getCell(2).value).toBeNull();
    expect(sheet.getRow(4).getCell(3).value).toBeNull();
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 3, ySplit: 1 });
  });

  it('formats every figure column by its kind, on both sheets', async () => {
    const workbook = await readXlsx(await digestXlsx(digest));
    const count = '0';
    const expected = [
      ...Array<string>(6).fill(count),
      '0.0', // 结案用时中位数(小时)
      ...Array<string>(13).fill(count),
      ...Array<string>(5).fill('0.00%'),
      '0.00', // 反弹扣分
      '0.00', // 综合指标值
    ];
    for (const [name, lead] of [
      ['单位排名', 3],
      ['问题类别', 2],
    ] as const) {
      const row = workbook.getWorksheet(name)?.getRow(2);
      const formats = FIGURE_HEADERS.map((_, i) => row?.getCell(lead + i + 1).numFmt);
      expect([name, formats]).toEqual([name, expected]);
    }
  });

  it('styles body cells: lead text left, rank and card centred, figures centred with their format', async () => {
    const workbook = await readXlsx(await digestXlsx(digest));
    const sheet = workbook.getWorksheet('单位排名');
    if (!sheet) throw new Error('sheet 单位排名 missing');
    const row = sheet.getRow(3); // the unranked unit: no card, not bold
    const border = {
      top: { style: 'thin', color: { argb: 'FF808080' } },
      left: { style: 'thin', color: { argb: 'FF808080' } },
      bottom: { style: 'thin', color: { argb: 'FF808080' } },
      right: { style: 'thin', color: { argb: 'FF808080' } },
    };
    const last = FIGURE_HEADERS.length + 4;
    for (const col of [1, 2, 3, 4, last]) {
      const cell = row.getCell(col);
      expect(cell.font).toMatchObject({ size: 10 });
      expect(cell.font?.bold).toBeFalsy();
      expect(cell.border).toMatchObject(border);
      expect(cell.alignment).toEqual({
        vertical: 'middle',
        horizontal: col === 1 ? 'left' : 'center',
        wrapText: true,
      });
    }
    expect(row.getCell(1).numFmt).toBeFalsy();
    expect(row.getCell(4).numFmt).toBe('0');
    expect(row.getCell(last).numFmt).toBe('0');
    expect(
      row.getCell(3).fill?.type === 'pattern' ? row.getCell(3).fill : undefined,
    ).not.toMatchObject({ pattern: 'solid' });
  });

  it('prints the card bold in its colour, and the whole 合计 row bold', async () => {
    const workbook = await readXlsx(await digestXlsx(digest));
    const sheet = workbook.getWorksheet('单位排名');
    if (!sheet) throw new Error('sheet 单位排名 missing');
    expect(sheet.getRow(2).getCell(3).font).toMatchObject({ size: 10, bold: true });
    expect(sheet.getRow(2).getCell(1).font?.bold).toBeFalsy();
    expect(sheet.getRow(2).getCell(4).font?.bold).toBeFalsy();
    const total = sheet.getRow(4);
    expect(total.getCell(1).value).toBe('合计');
    for (const col of [1, 4, FIGURE_HEADERS.length + 4]) {
      expect(total.getCell(col).font).toMatchObject({ size: 10, bold: true });
    }
  });

  it('grows a row to a lead name that wraps', async () => {
    const long = '门头沟区城子街道办事处综合执法队'; // 15 CJK characters: two lines at width 16
    const workbook = await readXlsx(
      await digestXlsx({
        ...digest,
        units: [digest.units[0], { ...digest.units[1], unitName: long }],
        categories: [{ ...digest.categories[0], categoryName: long }],
      }),
    );
    const units = workbook.getWorksheet('单位排名');
    expect([2, 3, 4].map((r) => units?.getRow(r).height)).toEqual([17, 30, 17]);
    const categories = workbook.getWorksheet('问题类别');
    expect(categories?.getRow(2).height).toBe(43); // three lines at width 14
  });

  it('lays out 问题类别: category and group, then the figures', async () => {
    const workbook = await readXlsx(
      await digestXlsx({
        ...digest,
        categories: [{ ...digest.categories[0], figures: distinct }],
      }),
    );
    const sheet = workbook.getWorksheet('问题类别');
    if (!sheet) throw new Error('sheet 问题类别 missing');
    expect(values(sheet.getRow(1))).toEqual(['问题类别', '分组', ...PRINTED_FIGURE_HEADERS]);
    // 分组 is 9 wide, exceljs' default, which it does not store.
    expect(rounded(sheet.columns.map((c) => c.width))).toEqual([14, undefined, ...FIGURE_WIDTHS]);
    expect(values(sheet.getRow(2))).toEqual([
      '楼道堆物',
      '市容环境',
      ...[1, 2, 3, 4, 5, 6, 7.5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
      ...[0.21, 0.22, 0.23, 0.24, 0.25, 2.6, 27],
    ]);
    expect(sheet.rowCount).toBe(2);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 1 });
    expect(sheet.getRow(2).getCell(2).alignment?.horizontal).toBe('left');
    expect(sheet.getRow(2).getCell(2).font?.bold).toBeFalsy();
  });

  it('lays out 按来源: the district first, lead columns left, numbers centred, 合计 bold', async () => {
    const hostile: Digest = {
      ...withSources,
      units: [
        { ...withSources.units[0], unitName: '东辛房\u0001\uFFFE街道' },
        withSources.units[1],
      ],
    };
    const buffer = await digestXlsx(hostile);
    // The character is gone from the file itself (a reader may drop it too, hiding a leak).
    const xml = ['xl/worksheets/sheet4.xml', 'xl/sharedStrings.xml'].map((entry) =>
      readZipEntry(buffer, entry).toString('utf8'),
    );
    for (const c of ['\u0001', '\uFFFE']) expect(xml.join('')).not.toContain(c);
    expect(xml.join('')).toContain('东辛房街道');
    const workbook = await readXlsx(buffer);
    const sheet = workbook.getWorksheet('按来源');
    if (!sheet) throw new Error('sheet 按来源 missing');
    expect(values(sheet.getRow(1))).toEqual([
      '维度',
      '名称',
      '来源',
      '权重',
      '新增',
      '结案',
      '按期结案',
      '超期未结',
    ]);
    expect(sheet.getRow(1).height).toBe(18);
    expect(sheet.columns.map((c) => c.width)).toEqual([8, 16, 12, 7, 8, 8, 10, 10]);
    expect([2, 3, 4].map((r) => values(sheet.getRow(r)))).toEqual([
      ['合计', '全区', '督导检查', 1, 5, 4, 3, 1],
      ['合计', '全区', '12345', 1.5, 2, 1, 1, 0],
      ['单位', '东辛房街道', '督导检查', 1, 3, 2, 2, 0],
    ]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 3, ySplit: 1 });
    const formats = [1, 2, 3, 4, 5, 6, 7, 8].map((c) => sheet.getRow(2).getCell(c).numFmt);
    // 权重 is General, which is also what a cell without a format shows.
    expect(formats).toEqual([undefined, undefined, undefined, undefined, '0', '0', '0', '0']);
    const horizontal = [1, 2, 3, 4, 8].map((c) => sheet.getRow(4).getCell(c).alignment);
    expect(horizontal).toEqual(
      ['left', 'left', 'left', 'center', 'center'].map((h) => ({
        vertical: 'middle',
        horizontal: h,
        wrapText: true,
      })),
    );
    expect([2, 4].map((r) => sheet.getRow(r).getCell(8).font)).toMatchObject([
      { size: 10 },
      { size: 10 },
    ]);
    expect([2, 3, 4].map((r) => Boolean(sheet.getRow(r).getCell(8).font?.bold))).toEqual([
      true,
      true,
      false,
    ]);
    expect(sheet.getRow(4).getCell(8).border).toMatchObject({ top: { style: 'thin' } });
    expect([2, 3, 4].map((r) => sheet.getRow(r).height)).toEqual([17, 17, 17]);
  });

  it('lays out 签收: one row per unit where 签收 is required, the rate as a percentage', async () => {
    const workbook = await readXlsx(await digestXlsx(withSources));
    const sheet = workbook.getWorksheet('签收');
    if (!sheet) throw new Error('sheet 签收 missing');
    expect(values(sheet.getRow(1))).toEqual([
      '责任单位',
      '应签收',
      '按时签收',
      '签收率',
      '签收用时\n中位数(小时)',
    ]);
    expect(sheet.getRow(1).height).toBe(32); // two lines
    expect(sheet.columns.map((c) => c.width)).toEqual([16, 10, 10, 10, 14]);
    expect(values(sheet.getRow(2))).toEqual(['东辛房街道', 8, 6, 0.75, 1.5]);
    expect(sheet.getRow(3).getCell(4).value).toBeNull();
    expect(sheet.rowCount).toBe(3);
    expect([1, 2, 3, 4, 5].map((c) => sheet.getRow(2).getCell(c).numFmt)).toEqual([
      undefined,
      '0',
      '0',
      '0.00%',
      '0.0',
    ]);
    expect([1, 2].map((c) => sheet.getRow(2).getCell(c).alignment?.horizontal)).toEqual([
      'left',
      'center',
    ]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
  });
});
