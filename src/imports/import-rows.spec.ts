import type { DeadlineRule } from '../tasks/deadline/deadline.js';
import {
  lookupsOf,
  mappingProblems,
  parseOfficeTime,
  resolveRow,
  suggestMapping,
  type ImportMapping,
} from './import-rows.js';
import { cellValue } from './xlsx-rows.js';

const NOW = new Date('2026-11-28T02:00:00Z'); // 10:00 in Beijing
const rule: DeadlineRule = { kind: 'work_days', days: 3 } as DeadlineRule;
const lookups = lookupsOf(
  [{ id: 'c1', code: 'HJ07', name: '楼道堆物', deadlineRule: rule, duplicateRadiusM: 50 }],
  [
    {
      id: 's1',
      code: 'XS01',
      name: '西山社区',
      address: '西山路1号',
      lat: 39.9,
      lng: 116.1,
      defaultUnitId: 'u1',
    },
    {
      id: 's2',
      code: null,
      name: '永定楼公园',
      address: null,
      lat: null,
      lng: null,
      defaultUnitId: 'gone',
    },
  ],
  [
    { id: 'u1', code: 'DXF', name: '东辛房街道' },
    { id: 'u2', code: 'CZ', name: '城子街道' },
  ],
);
const headers = ['类别', '点位', '地址', '描述', '纬度', '经度', '发现时间', '单位', '时限'];
const mapping: ImportMapping = {
  category: '类别',
  site: '点位',
  address: '地址',
  description: '描述',
  lat: '纬度',
  lng: '经度',
  foundAt: '发现时间',
  unit: '单位',
  deadline: '时限',
};
const DEADLINE = new Date('2026-12-03T10:00:00Z');
const resolve = (cells: (string | number | null)[]) =>
  resolveRow({ row: 2, cells }, headers, mapping, lookups, NOW, () => DEADLINE);
const codes = (cells: (string | number | null)[]) =>
  resolve(cells).errors.map((e) => [e.column, e.code]);

describe('suggestMapping', () => {
  it('guesses from the usual header names, one column per field', () => {
    expect(suggestMapping(['序号', '问题类型', '检查点位', '问题描述', '发现日期'], null)).toEqual({
      category: '问题类型',
      site: '检查点位',
      description: '问题描述',
      foundAt: '发现日期',
    });
  });
  it('prefers what the source used last, where the file has that column', () => {
    expect(
      suggestMapping(['类目', '情况', '问题描述'], {
        category: '类目',
        description: '情况',
        site: '无',
      }),
    ).toEqual({ category: '类目', description: '情况' });
  });
});

describe('mappingProblems', () => {
  it('names unknown and doubly used columns and the fields that need one', () => {
    expect(
      mappingProblems(['a', 'b'], { category: 'a', description: 'a', address: 'z' }).map((p) => [
        p.field,
        p.code,
      ]),
    ).toEqual([
      ['mapping.address', 'unknownColumn'],
      ['mapping.description', 'columnUsedTwice'],
    ]);
    expect(mappingProblems(['a'], {}).map((p) => p.field)).toEqual([
      'mapping.category',
      'mapping.description',
      'mapping.site',
    ]);
  });
  it('is content with category, description and a site or an address', () => {
    expect(
      mappingProblems(['a', 'b', 'c'], { category: 'a', description: 'b', address: 'c' }),
    ).toEqual([]);
  });
});

describe('parseOfficeTime', () => {
  it.each([
    ['2026-11-28', false, '2026-11-27T16:00:00.000Z'],
    ['2026/11/28 09:30', false, '2026-11-28T01:30:00.000Z'],
    ['2026年11月28日', false, '2026-11-27T16:00:00.000Z'],
    ['2026-12-05', true, '2026-12-05T15:59:59.000Z'],
  ])('%s (end of day %p) → %s', (text, end, iso) => {
    expect(parseOfficeTime(text, end)?.toISOString()).toBe(iso);
  });
  it.each(['2026-13-45', '2026-02-30', '明天', '2026-11-28 25:00'])('%s is not a time', (text) => {
    expect(parseOfficeTime(text)).toBeNull();
  });
  it('does not take a number for a time', () => expect(parseOfficeTime(46000)).toBeNull());
});

describe('resolveRow', () => {
  it('routes by the site, with the category’s deadline', () => {
    const r = resolve([
      '楼道堆物',
      '西山社区',
      null,
      '堆物',
      null,
      null,
      '2026-11-27 09:00',
      null,
      null,
    ]);
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({
      category: { id: 'c1' },
      site: { id: 's1' },
      address: '西山路1号',
      lat: 39.9,
      unit: { id: 'u1' },
      routed: 'site',
      deadline: DEADLINE,
      foundAt: new Date('2026-11-27T01:00:00Z'),
    });
  });
  it('takes codes as well as names, and the list’s unit and 时限 over the route', () => {
    const r = resolve(['hj07', 'XS01', null, '堆物', null, null, null, 'CZ', '2026-12-10']);
    expect(r).toMatchObject({ unit: { id: 'u2' }, routed: 'file', foundAt: null });
    expect(r.deadline?.toISOString()).toBe('2026-12-10T15:59:59.000Z');
  });
  it('leaves a task at a site whose unit is gone for dispatch, without deadline', () => {
    expect(
      resolve(['楼道堆物', '永定楼公园', null, '堆物', null, null, null, null, null]),
    ).toMatchObject({
      unit: null,
      routed: 'none',
      deadline: null,
      errors: [],
    });
  });
  it.each([
    [
      ['楼道杂物', '西山社区', null, 'x', null, null, null, null, null],
      [['类别', 'unknownCategory']],
    ],
    [[null, '西山社区', null, 'x', null, null, null, null, null], [['类别', 'isNotEmpty']]],
    [
      ['楼道堆物', null, null, 'x', null, null, null, null, null],
      [['点位', 'siteOrAddressRequired']],
    ],
    [['楼道堆物', '东山社区', null, 'x', null, null, null, null, null], [['点位', 'unknownSite']]],
    [['楼道堆物', null, '河滩路', null, null, null, null, null, null], [['描述', 'isNotEmpty']]],
    [['楼道堆物', null, '河滩路', 'x', 'abc', 116, null, null, null], [['纬度', 'isNumber']]],
    [['楼道堆物', null, '河滩路', 'x', 95, 116, null, null, null], [['纬度', 'isLatitude']]],
    [['楼道堆物', null, '河滩路', 'x', 39.9, null, null, null, null], [['经度', 'latLngTogether']]],
    [
      ['楼道堆物', null, '河滩路', 'x', null, null, '2026-13-45', null, null],
      [['发现时间', 'isInstant']],
    ],
    [
      ['楼道堆物', null, '河滩路', 'x', null, null, '2026-10-01', null, null],
      [['发现时间', 'tooOld']],
    ],
    [
      ['楼道堆物', null, '河滩路', 'x', null, null, '2026-11-29', null, null],
      [['发现时间', 'tooFarInFuture']],
    ],
    [
      ['楼道堆物', null, '河滩路', 'x', null, null, null, '某街道', null],
      [['单位', 'unknownUnit']],
    ],
    [
      ['楼道堆物', null, '河滩路', 'x', null, null, null, null, '2026-11-27'],
      [['时限', 'deadlineNotInFuture']],
    ],
    [['楼道堆物', null, '河滩路', 'x', null, null, null, null, '下周'], [['时限', 'isInstant']]],
  ])('%j → %j', (cells, expected) => {
    expect(codes(cells)).toEqual(expected);
  });
});

describe('cellValue', () => {
  it('reads a formula as its saved result, never computing it', () => {
    expect(cellValue({ formula: '1+1', result: 7 }, 100)).toBe(7);
    expect(cellValue({ formula: 'WEBSERVICE("http://x")', result: '缓存' }, 100)).toBe('缓存');
    expect(cellValue({ formula: '1+1' } as never, 100)).toBeNull();
  });
  it('turns an Excel date into the Beijing wall-clock text the clerk typed', () => {
    expect(cellValue(new Date(Date.UTC(2026, 10, 28, 9, 30)), 100)).toBe('2026-11-28 09:30');
    expect(cellValue(new Date(Date.UTC(2026, 10, 28)), 100)).toBe('2026-11-28');
  });
  it('trims text, keeps rich text and hyperlink text, cuts long text', () => {
    expect(cellValue('  x  ', 100)).toBe('x');
    expect(cellValue({ richText: [{ text: '楼道' }, { text: '堆物' }] }, 100)).toBe('楼道堆物');
    expect(cellValue({ text: '链接', hyperlink: 'http://x' }, 100)).toBe('链接');
    expect(cellValue('abcdef', 3)).toBe('abc');
    expect(cellValue({ error: '#N/A' } as never, 100)).toBeNull();
  });
});
