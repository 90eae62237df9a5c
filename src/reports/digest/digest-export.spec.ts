import { computeRates } from './digest-figures.js';
import { csvField, digestCsv, digestTable, digestXlsx, percent } from './digest-export.js';
import {
  EMPTY_COUNTS,
  type Digest,
  type DigestCounts,
  type DigestFigures,
} from './digest-model.js';
import { readZipEntry } from '../bulletin/docx-text.js';

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
  },
  units: [
    {
      unitId: 'u1',
      unitName: '东辛房街道',
      rank: 1,
      card: 'green',
      unrankedReason: null,
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

  it('writes CSV with a BOM, CRLF and formula cells defused', () => {
    const csv = digestCsv(digest);
    expect(csv.startsWith('\uFEFF维度,名称,排名,评牌,收到任务,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(6);
    expect(csv).toContain(`\r\n单位,"'=HYPERLINK(""x"")",,未达最低任务量,`);
  });

  it('writes an .xlsx with a sheet for units and one for categories', async () => {
    const buffer = await digestXlsx(digest);
    const workbook = readZipEntry(buffer, 'xl/workbook.xml').toString('utf8');
    expect(workbook).toContain('name="单位排名"');
    expect(workbook).toContain('name="问题类别"');
  });
});
