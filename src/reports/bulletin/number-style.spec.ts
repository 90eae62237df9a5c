import {
  chineseOrdinal,
  formatChineseDate,
  formatCount,
  formatDayOfMonth,
} from './number-style.js';

describe('formatCount', () => {
  it.each<[number, string]>([
    [0, '0'],
    [1, '1'],
    [4, '4'],
    [6, '6'],
    [9, '9'],
    [10, '10'],
    [13, '13'],
    [15, '15'],
    [16, '10余'],
    [19, '10余'],
    [20, '20'],
    [23, '20余'],
    [30, '30'],
    [34, '30余'],
    [80, '80'],
    [86, '80余'],
    [99, '90余'],
    [100, '100'],
    [105, '100余'],
    [210, '210'],
    [217, '210余'],
    [230, '230'],
    [236, '230余'],
    [630, '630'],
    [639, '630余'],
    [999, '990余'],
    [1000, '1000'],
    [1009, '1000余'],
    [1900, '1900'],
    [1934, '1900余'],
    [9999, '9900余'],
    [10000, '10000'],
    [12000, '12000'],
    [12345, '12000余'],
    [123456, '123000余'],
  ])('%i → %s', (n, expected) => {
    expect(formatCount(n)).toBe(expected);
  });

  it.each<[number, number, string]>([
    [20, 20, '20'],
    [23, 20, '20余'],
    [30, 40, '30'],
    [12, 9, '10余'],
    [7, 5, '7'],
    [16, 0, '10余'],
    [0, 0, '0'],
  ])('%i with exactUpTo %i → %s', (n, exactUpTo, expected) => {
    expect(formatCount(n, { exactUpTo })).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %p', (n) => {
    expect(() => formatCount(n)).toThrow(RangeError);
  });
});

describe('formatDayOfMonth', () => {
  it.each<[string, string]>([
    ['2026-11-07', '7日'],
    ['2026-11-22', '22日'],
    ['2026-02-01', '1日'],
    ['2024-02-29', '29日'],
  ])('%s → %s', (date, expected) => {
    expect(formatDayOfMonth(date)).toBe(expected);
  });

  it.each(['2026-11-7', '2026/11/07', '2025-02-29', '2026-13-01', '2026-04-31', ''])(
    'refuses %p',
    (date) => {
      expect(() => formatDayOfMonth(date)).toThrow(RangeError);
    },
  );
});

describe('formatChineseDate', () => {
  it.each<[string, string]>([
    ['2026-11-22', '2026年11月22日'],
    ['2022-04-07', '2022年4月7日'],
    ['2027-01-01', '2027年1月1日'],
  ])('%s → %s', (date, expected) => {
    expect(formatChineseDate(date)).toBe(expected);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => formatChineseDate('22 Nov 2026')).toThrow(RangeError);
  });
});

describe('chineseOrdinal', () => {
  it.each<[number, string]>([
    [1, '一'],
    [2, '二'],
    [3, '三'],
    [4, '四'],
    [9, '九'],
    [10, '十'],
    [11, '十一'],
    [15, '十五'],
    [19, '十九'],
    [20, '二十'],
    [21, '二十一'],
    [99, '九十九'],
  ])('%i → %s', (n, expected) => {
    expect(chineseOrdinal(n)).toBe(expected);
  });

  it.each([0, -1, 100, 2.5])('refuses %p', (n) => {
    expect(() => chineseOrdinal(n)).toThrow(RangeError);
  });
});
