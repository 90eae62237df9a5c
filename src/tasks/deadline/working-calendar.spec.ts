import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CalendarYear,
  WorkingCalendar,
  dayOfWeek,
  isLocalDate,
  loadWorkingCalendar,
  validateCalendarYear,
} from './working-calendar.js';

const CONFIG_DIR = fileURLToPath(new URL('../../../config/calendar', import.meta.url));

// A made-up year, so these tests pin the rules rather than one year's data.
const sample: CalendarYear = {
  year: 2030,
  source: 'test',
  official: true,
  holidays: [
    { date: '2030-10-01', name: '国庆节' },
    { date: '2030-10-05', name: '国庆节' },
  ],
  makeupWorkdays: [{ date: '2030-10-12', name: '国庆节调休' }],
};

function yearWith(overrides: Record<string, unknown>): unknown {
  return { ...sample, ...overrides };
}

describe('isLocalDate', () => {
  it.each<[unknown, boolean]>([
    ['2026-10-01', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-1-01', false],
    ['2026-10-01T00:00:00Z', false],
    [' 2026-10-01', false],
    ['', false],
    [20261001, false],
    [null, false],
  ])('%p → %p', (value, expected) => {
    expect(isLocalDate(value)).toBe(expected);
  });
});

describe('dayOfWeek', () => {
  it.each([
    ['2026-10-01', 4],
    ['2026-09-20', 0],
    ['2026-10-10', 6],
    ['2027-02-06', 6],
  ])('%s is day %i', (date, day) => {
    expect(dayOfWeek(date)).toBe(day);
  });
});

describe('WorkingCalendar rules', () => {
  const cal = WorkingCalendar.fromYears([sample]);

  it.each([
    ['2030-10-01', false, 'a holiday on a Tuesday'],
    ['2030-10-05', false, 'a holiday on a Saturday'],
    ['2030-10-02', true, 'an ordinary Wednesday'],
    ['2030-10-06', false, 'an ordinary Sunday'],
    ['2030-10-12', true, 'a make-up Saturday'],
    ['2030-10-13', false, 'the Sunday after it'],
    ['2031-10-01', true, 'a Wednesday outside the loaded years (no holidays known)'],
    ['2031-10-04', false, 'a Saturday outside the loaded years'],
    ['2029-12-31', true, 'a Monday before the loaded years'],
  ])('%s is a workday: %p (%s)', (date, expected) => {
    expect(cal.isWorkday(date)).toBe(expected);
  });

  it.each([
    ['2030-01-01', true],
    ['2030-12-31', true],
    ['2029-12-31', false],
    ['2031-01-01', false],
  ])('covers %s: %p', (date, expected) => {
    expect(cal.covers(date)).toBe(expected);
  });

  it('names holidays and make-up days', () => {
    expect(cal.dayName('2030-10-01')).toBe('国庆节');
    expect(cal.dayName('2030-10-12')).toBe('国庆节调休');
    expect(cal.dayName('2030-10-02')).toBeUndefined();
  });

  it.each(['2030-10-1', '2030/10/01', '2030-02-30', ''])('rejects malformed date %p', (date) => {
    expect(() => cal.isWorkday(date)).toThrow(RangeError);
    expect(() => cal.covers(date)).toThrow(RangeError);
  });

  it('says which value is not a date', () => {
    expect(() => cal.isWorkday('2030/10/01')).toThrow(
      'expected a YYYY-MM-DD date, got "2030/10/01"',
    );
  });

  it('lists loaded and provisional years', () => {
    const both = WorkingCalendar.fromYears([
      {
        ...sample,
        year: 2031,
        official: false,
        note: 'estimate',
        holidays: [],
        makeupWorkdays: [],
      },
      sample,
    ]);
    expect(both.loadedYears()).toEqual([2030, 2031]);
    expect(both.provisionalYears()).toEqual([2031]);
  });

  it('an empty calendar is Monday to Friday', () => {
    const empty = WorkingCalendar.fromYears([]);
    expect(empty.isWorkday('2026-10-01')).toBe(true);
    expect(empty.isWorkday('2026-09-20')).toBe(false);
  });

  it('names the year whose data is wrong', () => {
    expect(() => WorkingCalendar.fromYears([{ ...sample, source: '' }])).toThrow(
      'calendar year 2030: field "source" must name the notice the data comes from',
    );
  });

  it('refuses the same year twice', () => {
    expect(() => WorkingCalendar.fromYears([sample, sample])).toThrow(/2030 is given twice/);
  });
});

describe('validateCalendarYear', () => {
  it.each([1000, 9999])('accepts the four-digit year %d at either end', (year) => {
    const raw = { ...sample, year, holidays: [], makeupWorkdays: [] };
    expect(validateCalendarYear(raw, 'f.json').year).toBe(year);
  });

  it('accepts the sample and keeps only known fields', () => {
    expect(validateCalendarYear(sample, 'f.json')).toEqual(sample);
  });

  it('keeps the note of a provisional year, and adds none where there is none', () => {
    const provisional = { ...sample, official: false, note: '按惯例推算' };
    expect(validateCalendarYear(provisional, 'f.json')).toEqual(provisional);
    expect(Object.keys(validateCalendarYear(sample, 'f.json'))).not.toContain('note');
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', [], /f\.json: must be a JSON object/],
    ['null', null, /f\.json: must be a JSON object/],
    ['a string', '2030', /f\.json: must be a JSON object/],
    [
      'holiday null',
      yearWith({ holidays: [null] }),
      /"holidays\[0\]" must be an object \{ date, name \}/,
    ],
    [
      'holiday an array',
      yearWith({ holidays: [['2030-10-01', '国庆节']] }),
      /"holidays\[0\]" must be an object \{ date, name \}/,
    ],
    ['unknown key', yearWith({ makeupWorkday: [] }), /"makeupWorkday" is not a known field/],
    ['year missing', yearWith({ year: undefined }), /"year" must be a four-digit year/],
    ['year as string', yearWith({ year: '2030' }), /"year" must be a four-digit year/],
    ['year fractional', yearWith({ year: 2030.5 }), /"year"/],
    [
      'empty source',
      yearWith({ source: ' ' }),
      /"source" must name the notice the data comes from/,
    ],
    ['year of three digits', yearWith({ year: 999 }), /"year" must be a four-digit year, got 999/],
    [
      'year of five digits',
      yearWith({ year: 10000 }),
      /"year" must be a four-digit year, got 10000/,
    ],
    ['year 2030.5', yearWith({ year: 2030.5 }), /"year" must be a four-digit year, got 2030.5/],
    ['source not a string', yearWith({ source: 1 }), /"source" must name the notice/],
    [
      'holiday name of spaces',
      yearWith({ holidays: [{ date: '2030-10-01', name: '  ' }] }),
      /"holidays\[0\]\.name" must be a non-empty string/,
    ],
    [
      'holiday name not a string',
      yearWith({ holidays: [{ date: '2030-10-01', name: 1 }] }),
      /"holidays\[0\]\.name" must be a non-empty string/,
    ],
    ['official as string', yearWith({ official: 'true' }), /"official" must be true or false/],
    ['provisional without note', yearWith({ official: false }), /"note" is required/],
    [
      'provisional with a blank note',
      yearWith({ official: false, note: ' ' }),
      /"note" is required/,
    ],
    ['note not a string', yearWith({ note: 1 }), /"note" must be a string/],
    ['holidays not an array', yearWith({ holidays: {} }), /"holidays" must be an array/],
    [
      'holiday not an object',
      yearWith({ holidays: ['2030-10-01'] }),
      /"holidays\[0\]" must be an object \{ date, name \}/,
    ],
    [
      'holiday date malformed',
      yearWith({ holidays: [{ date: '2030-10-32', name: 'x' }] }),
      /"holidays\[0\]\.date" must be a YYYY-MM-DD date/,
    ],
    [
      'holiday in another year',
      yearWith({ holidays: [{ date: '2031-01-01', name: '元旦' }] }),
      /"holidays\[0\]\.date" 2031-01-01 is not in the file's year 2030/,
    ],
    [
      'holiday listed twice',
      yearWith({
        holidays: [
          { date: '2030-10-01', name: 'a' },
          { date: '2030-10-01', name: 'b' },
        ],
      }),
      /"holidays\[1\]\.date" 2030-10-01 is listed twice/,
    ],
    [
      'holiday without name',
      yearWith({ holidays: [{ date: '2030-10-01' }] }),
      /"holidays\[0\]\.name" must be a non-empty string/,
    ],
    [
      'holiday with extra key',
      yearWith({ holidays: [{ date: '2030-10-01', name: 'a', off: true }] }),
      /"holidays\[0\]\.off" is not a known field/,
    ],
    [
      'make-up day on a weekday',
      yearWith({ makeupWorkdays: [{ date: '2030-10-11', name: '调休' }] }),
      /"makeupWorkdays\[0\]\.date" 2030-10-11 is a weekday/,
    ],
    [
      'make-up day also a holiday',
      yearWith({ makeupWorkdays: [{ date: '2030-10-05', name: '调休' }] }),
      /"makeupWorkdays\[0\]\.date" 2030-10-05 is also listed as a holiday/,
    ],
    ['make-up days missing', yearWith({ makeupWorkdays: undefined }), /"makeupWorkdays"/],
  ])('rejects %s', (_label, raw, message) => {
    expect(() => validateCalendarYear(raw, 'f.json')).toThrow(message);
  });
});

describe('loadWorkingCalendar', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'calendar-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, content: unknown): void {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }

  it('loads every year file and ignores other files', () => {
    write('2030.json', sample);
    write('2031.json', { ...sample, year: 2031, holidays: [], makeupWorkdays: [] });
    write('README.md', 'not a calendar');
    const cal = loadWorkingCalendar(dir);
    expect(cal.loadedYears()).toEqual([2030, 2031]);
    expect(cal.isWorkday('2030-10-01')).toBe(false);
  });

  it('accepts a byte-order mark', () => {
    write('2030.json', `\uFEFF${JSON.stringify(sample)}`);
    expect(loadWorkingCalendar(dir).isWorkday('2030-10-12')).toBe(true);
  });

  it('names the file that is not JSON, with the parser message and the parser error as cause', () => {
    write('2030.json', '{ "year": 2030,');
    let error: unknown;
    try {
      loadWorkingCalendar(dir);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toMatch(/2030\.json: not readable JSON: \S/);
    expect((error as Error).message).not.toMatch(/undefined$/);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('names the file and the field that is wrong', () => {
    write('2030.json', sample);
    write('2031.json', { ...sample, year: 2031, holidays: [{ date: '2031-02-30', name: 'x' }] });
    expect(() => loadWorkingCalendar(dir)).toThrow(/2031\.json: field "holidays\[0\]\.date"/);
  });

  it('refuses a file whose year differs from its name', () => {
    write('2031.json', sample);
    expect(() => loadWorkingCalendar(dir)).toThrow(
      /2031\.json: field "year" is 2030 but the file is named for 2031/,
    );
  });

  it('checks the year only against a name that is exactly YYYY.json', () => {
    write('backup-2031.json', sample);
    write('2029.json.json', { ...sample, year: 2032, holidays: [], makeupWorkdays: [] });
    expect(loadWorkingCalendar(dir).loadedYears()).toEqual([2030, 2032]);
  });

  it('removes only a leading byte-order mark', () => {
    const named = { ...sample, holidays: [{ date: '2030-10-01', name: '国庆\uFEFF节' }] };
    write('2030.json', named);
    expect(loadWorkingCalendar(dir).dayName('2030-10-01')).toBe('国庆\uFEFF节');
  });

  it('refuses the same year in two files', () => {
    write('2030.json', sample);
    write('2030-copy.json', sample);
    expect(() => loadWorkingCalendar(dir)).toThrow(/2030 is given twice/);
  });

  it('refuses a directory without year files', () => {
    expect(() => loadWorkingCalendar(dir)).toThrow(/no \*\.json year files/);
  });

  it('refuses a missing directory', () => {
    const missing = join(dir, 'nope');
    let error: unknown;
    try {
      loadWorkingCalendar(missing);
    } catch (e) {
      error = e;
    }
    // Under jest's VM modules the fs error comes from another realm (not \`instanceof Error\`
    // here), so its String() form, "Error: ENOENT…", is what the message carries.
    expect((error as Error).message).toMatch(/cannot read directory .*nope: (Error: )?ENOENT/);
    expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe('ENOENT');
  });

  it('reads config/calendar by default (relative to the working directory)', () => {
    expect(loadWorkingCalendar().loadedYears()).toEqual(
      loadWorkingCalendar(CONFIG_DIR).loadedYears(),
    );
  });

  it('does not read subdirectories', () => {
    write('2030.json', sample);
    mkdirSync(join(dir, 'old'));
    writeFileSync(join(dir, 'old', '2031.json'), 'garbage');
    expect(loadWorkingCalendar(dir).loadedYears()).toEqual([2030]);
  });
});

describe('config/calendar (the shipped data)', () => {
  const cal = loadWorkingCalendar(CONFIG_DIR);

  function daysOfYear(year: number): string[] {
    const out: string[] = [];
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
      out.push(new Date(t).toISOString().slice(0, 10));
    }
    return out;
  }

  function range(from: string, to: string): string[] {
    return daysOfYear(Number(from.slice(0, 4))).filter((d) => d >= from && d <= to);
  }

  it('loads 2026 as official and 2027 as provisional', () => {
    expect(cal.loadedYears()).toEqual(expect.arrayContaining([2026, 2027]));
    expect(cal.provisionalYears()).toContain(2027);
    expect(cal.provisionalYears()).not.toContain(2026);
  });

  // 国办发明电〔2025〕7号, transcribed independently of the JSON file.
  const off2026 = [
    ...range('2026-01-01', '2026-01-03'),
    ...range('2026-02-15', '2026-02-23'),
    ...range('2026-04-04', '2026-04-06'),
    ...range('2026-05-01', '2026-05-05'),
    ...range('2026-06-19', '2026-06-21'),
    ...range('2026-09-25', '2026-09-27'),
    ...range('2026-10-01', '2026-10-07'),
  ];
  const makeup2026 = [
    '2026-01-04',
    '2026-02-14',
    '2026-02-28',
    '2026-05-09',
    '2026-09-20',
    '2026-10-10',
  ];

  it('2026: every day of the year matches the notice', () => {
    expect(off2026).toHaveLength(33);
    const mismatches = daysOfYear(2026).filter((d) => {
      const weekend = dayOfWeek(d) === 0 || dayOfWeek(d) === 6;
      const expected = makeup2026.includes(d) || (!off2026.includes(d) && !weekend);
      return cal.isWorkday(d) !== expected;
    });
    expect(mismatches).toEqual([]);
  });

  it('2026: 248 working days (261 weekdays − 19 weekday holidays + 6 make-up days)', () => {
    expect(daysOfYear(2026).filter((d) => cal.isWorkday(d))).toHaveLength(248);
  });

  it.each([
    ['2026-02-16', '春节'],
    ['2026-10-07', '国庆节'],
    ['2026-09-20', '国庆节调休'],
    ['2026-06-19', '端午节'],
  ])('2026: %s is %s', (date, name) => {
    expect(cal.dayName(date)).toBe(name);
  });

  it('2027: the 13 statutory days off and nothing else', () => {
    const statutory = [
      '2027-01-01',
      '2027-02-05', // 除夕: 正月初一 is 2027-02-06
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-04-05', // 清明 (sun at 15°) falls on the morning of 5 April
      '2027-05-01',
      '2027-05-02',
      '2027-06-09', // 端午, 五月初五
      '2027-09-15', // 中秋, 八月十五
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ];
    const mismatches = daysOfYear(2027).filter((d) => {
      const weekend = dayOfWeek(d) === 0 || dayOfWeek(d) === 6;
      return cal.isWorkday(d) !== (!statutory.includes(d) && !weekend);
    });
    expect(mismatches).toEqual([]);
  });
});
