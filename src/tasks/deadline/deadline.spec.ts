import { fileURLToPath } from 'node:url';
import {
  DEFAULT_WORKING_HOURS,
  type DeadlineRule,
  MAX_WORK_DAYS,
  MAX_WORK_HOURS,
  type WorkingHours,
  computeDeadline,
  describeRule,
  isDeadlineRule,
  parseDeadlineRule,
} from './deadline.js';
import { type WorkingCalendar, loadWorkingCalendar } from './working-calendar.js';

const calendar = loadWorkingCalendar(
  fileURLToPath(new URL('../../../config/calendar', import.meta.url)),
);
const hours: WorkingHours = { morning: ['09:00', '12:00'], afternoon: ['13:30', '17:30'] };

/** Beijing wall-clock time → instant, so the tables read the way the office talks. */
function bj(local: string): Date {
  return new Date(`${local}+08:00`);
}

function due(start: Date, rule: DeadlineRule, cal: WorkingCalendar = calendar): string {
  return computeDeadline(start, rule, cal, hours).toISOString();
}

const days = (n: number): DeadlineRule => ({ kind: 'work_days', days: n });
const workHours = (n: number): DeadlineRule => ({ kind: 'work_hours', hours: n });

describe('computeDeadline: 立行立改', () => {
  it.each([
    ['2026-09-30T15:00:00', '2026-10-01T15:00:00', 'runs through a holiday'],
    ['2026-03-07T23:00:00', '2026-03-08T23:00:00', 'runs through a weekend night'],
    ['2026-03-09T10:15:42.123', '2026-03-10T10:15:42.123', 'keeps seconds and milliseconds'],
    ['2026-12-31T20:00:00', '2027-01-01T20:00:00', 'crosses the year'],
  ])('%s → %s (%s)', (start, expected) => {
    expect(due(bj(start), { kind: 'immediate' })).toBe(bj(expected).toISOString());
  });

  it('is exactly 24 hours', () => {
    const start = new Date('2026-05-01T03:21:00Z');
    expect(
      computeDeadline(start, { kind: 'immediate' }, calendar, hours).getTime() - start.getTime(),
    ).toBe(24 * 3_600_000);
  });
});

describe('computeDeadline: 工作日', () => {
  it.each<[string, number, string, string]>([
    // The example the office uses: 10-01…10-07 off, 10-08 Thu, 10-09 Fri, 10-10 make-up Sat.
    [
      '2026-09-30T15:00:00',
      3,
      '2026-10-10T17:30:00',
      'across National Day to the make-up Saturday',
    ],
    ['2026-09-28T10:00:00', 5, '2026-10-10T17:30:00', 'five days around National Day'],
    ['2026-09-30T15:00:00', 4, '2026-10-12T17:30:00', 'past the make-up Saturday to Monday'],
    ['2026-09-19T10:00:00', 1, '2026-09-20T17:30:00', 'make-up Sunday 09-20 counts'],
    ['2026-09-18T10:00:00', 1, '2026-09-20T17:30:00', 'Friday → make-up Sunday, not Monday'],
    ['2026-09-20T10:00:00', 1, '2026-09-21T17:30:00', 'raised on the make-up Sunday itself'],
    ['2026-09-24T10:00:00', 1, '2026-09-28T17:30:00', '中秋 09-25…27 skipped'],
    ['2026-03-06T10:00:00', 1, '2026-03-09T17:30:00', 'Friday → Monday'],
    ['2026-03-07T10:00:00', 1, '2026-03-09T17:30:00', 'Saturday → Monday'],
    ['2026-03-08T22:00:00', 1, '2026-03-09T17:30:00', 'Sunday night → Monday'],
    [
      '2026-03-09T08:00:00',
      1,
      '2026-03-10T17:30:00',
      'the start day never counts, even before hours',
    ],
    ['2026-03-09T17:29:00', 3, '2026-03-12T17:30:00', 'three ordinary days'],
    ['2026-03-09T10:00:00', 10, '2026-03-23T17:30:00', 'two weeks'],
    ['2026-02-13T10:00:00', 1, '2026-02-14T17:30:00', 'make-up Saturday before 春节'],
    ['2026-02-13T10:00:00', 2, '2026-02-24T17:30:00', 'across 春节 02-15…23'],
    ['2026-04-30T10:00:00', 1, '2026-05-06T17:30:00', 'across 劳动节 05-01…05'],
    ['2026-05-08T10:00:00', 1, '2026-05-09T17:30:00', 'make-up Saturday 05-09'],
    ['2026-06-18T10:00:00', 1, '2026-06-22T17:30:00', '端午 06-19…21 skipped'],
    ['2026-04-03T10:00:00', 1, '2026-04-07T17:30:00', '清明 04-04…06 skipped'],
    // 2025 is not loaded (weekday fallback), 2026-01-01…03 are off and 01-04 Sunday is worked.
    ['2025-12-31T10:00:00', 1, '2026-01-04T17:30:00', 'from an unloaded year into 元旦'],
    ['2027-02-04T10:00:00', 1, '2027-02-09T17:30:00', 'provisional 2027 春节'],
    ['2027-12-31T10:00:00', 1, '2028-01-03T17:30:00', 'into an unloaded year: weekends only'],
    ['2028-03-01T10:00:00', 1, '2028-03-02T17:30:00', 'inside an unloaded year'],
  ])('%s + %i 工作日 → %s (%s)', (start, n, expected) => {
    expect(due(bj(start), days(n))).toBe(bj(expected).toISOString());
  });

  describe('the start day is the Beijing day, not the UTC day', () => {
    it.each<[string, number, string, string]>([
      // 23:00 Thursday in Beijing is still Thursday in UTC (15:00Z).
      ['2026-03-05T15:00:00Z', 1, '2026-03-06T17:30:00+08:00', '23:00 Thu Beijing'],
      // 23:30Z Thursday is 07:30 Friday in Beijing: the start day is Friday, due Monday.
      ['2026-03-05T23:30:00Z', 1, '2026-03-09T17:30:00+08:00', '07:30 Fri Beijing, Thu in UTC'],
      // 16:00Z is exactly Beijing midnight.
      ['2026-03-05T16:00:00Z', 1, '2026-03-09T17:30:00+08:00', '00:00 Fri Beijing'],
      ['2026-03-05T15:59:59.999Z', 1, '2026-03-06T17:30:00+08:00', 'last ms of Thu Beijing'],
      // 2026-09-30T16:30Z is 00:30 on 10-01 in Beijing: a holiday start day.
      ['2026-09-30T16:30:00Z', 3, '2026-10-10T17:30:00+08:00', '00:30 on National Day'],
    ])('%s + %i 工作日 → %s (%s)', (start, n, expected) => {
      expect(due(new Date(start), days(n))).toBe(new Date(expected).toISOString());
    });
  });

  it('uses the afternoon end from the working hours', () => {
    const short: WorkingHours = { morning: ['08:30', '12:00'], afternoon: ['14:00', '18:00'] };
    const result = computeDeadline(bj('2026-03-06T10:00:00'), days(1), calendar, short);
    expect(result.toISOString()).toBe(bj('2026-03-09T18:00:00').toISOString());
  });

  it('agrees with a day-by-day count for every start day of 2026 and 2027', () => {
    const problems: string[] = [];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2028, 0, 1); t += 86_400_000) {
      const startDay = new Date(t).toISOString().slice(0, 10);
      for (const n of [1, 2, 3, 5, 10]) {
        const result = computeDeadline(bj(`${startDay}T10:00:00`), days(n), calendar, hours);
        const local = new Date(result.getTime() + 8 * 3_600_000).toISOString();
        const dueDay = local.slice(0, 10);
        let between = 0;
        for (let d = t + 86_400_000; d < Date.parse(`${dueDay}T00:00:00Z`); d += 86_400_000) {
          if (calendar.isWorkday(new Date(d).toISOString().slice(0, 10))) between += 1;
        }
        if (
          local.slice(11, 16) !== '17:30' ||
          !calendar.isWorkday(dueDay) ||
          dueDay <= startDay ||
          between !== n - 1
        ) {
          problems.push(`${startDay} +${n} → ${local}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('computeDeadline: 工作时 (09:00–12:00, 13:30–17:30)', () => {
  it.each<[string, number, string, string]>([
    ['2026-03-09T09:00:00', 2, '2026-03-09T11:00:00', 'inside the morning'],
    ['2026-03-09T10:00:00', 2, '2026-03-09T12:00:00', 'ends exactly at lunch, not at 13:30'],
    ['2026-03-09T11:00:00', 2, '2026-03-09T14:30:00', 'spans lunch'],
    ['2026-03-09T12:30:00', 1, '2026-03-09T14:30:00', 'raised during lunch'],
    ['2026-03-09T12:00:00', 1, '2026-03-09T14:30:00', 'raised at the stroke of lunch'],
    ['2026-03-09T13:30:00', 4, '2026-03-09T17:30:00', 'the whole afternoon'],
    ['2026-03-09T07:00:00', 1, '2026-03-09T10:00:00', 'raised before office hours'],
    ['2026-03-09T16:30:00', 2, '2026-03-10T10:00:00', 'overnight'],
    ['2026-03-09T17:30:00', 1, '2026-03-10T10:00:00', 'raised at closing time'],
    ['2026-03-09T18:00:00', 1, '2026-03-10T10:00:00', 'raised after hours'],
    ['2026-03-09T23:00:00', 1, '2026-03-10T10:00:00', 'raised at 23:00 Beijing'],
    ['2026-03-09T09:00:00', 7, '2026-03-09T17:30:00', 'one full day is 7 hours'],
    ['2026-03-09T09:00:00', 8, '2026-03-10T10:00:00', 'a full day and one hour'],
    ['2026-03-09T09:00:00', 24, '2026-03-12T12:00:00', 'several days'],
    ['2026-03-06T16:00:00', 5, '2026-03-09T14:00:00', 'over a weekend: 1.5 h Fri, 3 h + 0.5 h Mon'],
    ['2026-03-07T10:00:00', 1, '2026-03-09T10:00:00', 'raised on Saturday'],
    ['2026-03-09T09:00:30', 1, '2026-03-09T10:00:30', 'keeps seconds'],
    ['2026-09-19T10:00:00', 1, '2026-09-20T10:00:00', 'make-up Sunday is worked'],
    ['2026-09-30T16:00:00', 8, '2026-10-08T17:00:00', 'across National Day'],
    ['2026-09-30T17:00:00', 1, '2026-10-08T09:30:00', 'half an hour before, half after the break'],
    ['2026-10-09T17:00:00', 1, '2026-10-10T09:30:00', 'into the make-up Saturday'],
    ['2027-02-04T17:00:00', 1, '2027-02-09T09:30:00', 'across provisional 2027 春节'],
  ])('%s + %i 工作时 → %s (%s)', (start, n, expected) => {
    expect(due(bj(start), workHours(n))).toBe(bj(expected).toISOString());
  });

  it.each<[string, number, string, string]>([
    // 23:00 Beijing Monday is 15:00Z Monday: nothing left that day.
    ['2026-03-09T15:00:00Z', 1, '2026-03-10T10:00:00+08:00', '23:00 Mon Beijing'],
    // 23:30Z Monday is 07:30 Tuesday in Beijing.
    ['2026-03-09T23:30:00Z', 1, '2026-03-10T10:00:00+08:00', '07:30 Tue Beijing'],
    // 01:00Z Tuesday is 09:00 Tuesday Beijing.
    ['2026-03-10T01:00:00Z', 2, '2026-03-10T11:00:00+08:00', '09:00 Tue Beijing'],
    // 15:30Z Friday is 23:30 Friday in Beijing; the next working time is Monday.
    ['2026-03-06T15:30:00Z', 1, '2026-03-09T10:00:00+08:00', '23:30 Fri Beijing'],
  ])('UTC %s + %i 工作时 → %s (%s)', (start, n, expected) => {
    expect(due(new Date(start), workHours(n))).toBe(new Date(expected).toISOString());
  });

  it('follows other working hours, including a day without a lunch break', () => {
    const continuous: WorkingHours = { morning: ['08:00', '12:00'], afternoon: ['12:00', '16:00'] };
    const start = bj('2026-03-09T11:00:00');
    expect(computeDeadline(start, workHours(2), calendar, continuous).toISOString()).toBe(
      bj('2026-03-09T13:00:00').toISOString(),
    );
    expect(computeDeadline(start, workHours(6), calendar, continuous).toISOString()).toBe(
      bj('2026-03-10T09:00:00').toISOString(),
    );
  });

  // An independent oracle: walk minute by minute and count working minutes.
  it('agrees with a minute-by-minute count for starts every 37 minutes from 09-17 to 10-12 2026', () => {
    const workdayCache = new Map<number, boolean>();
    const isWorkMinute = (localMs: number): boolean => {
      const dayNumber = Math.floor(localMs / 86_400_000);
      let workday = workdayCache.get(dayNumber);
      if (workday === undefined) {
        workday = calendar.isWorkday(new Date(dayNumber * 86_400_000).toISOString().slice(0, 10));
        workdayCache.set(dayNumber, workday);
      }
      const minute = (localMs - dayNumber * 86_400_000) / 60_000;
      return workday && ((minute >= 540 && minute < 720) || (minute >= 810 && minute < 1050));
    };
    const problems: string[] = [];
    const from = bj('2026-09-17T00:00:00').getTime();
    const to = bj('2026-10-12T00:00:00').getTime();
    for (let s = from; s < to; s += 37 * 60_000) {
      for (const n of [1, 3, 7]) {
        const result = computeDeadline(new Date(s), workHours(n), calendar, hours).getTime();
        let counted = 0;
        for (let m = s + 8 * 3_600_000; m < result + 8 * 3_600_000; m += 60_000) {
          if (isWorkMinute(m)) counted += 1;
        }
        // Every minute counted, and the last one was working time (no idle tail).
        if (counted !== n * 60 || !isWorkMinute(result + 8 * 3_600_000 - 60_000)) {
          problems.push(`${new Date(s).toISOString()} +${n}h → ${new Date(result).toISOString()}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('computeDeadline: bad input', () => {
  const start = bj('2026-03-09T10:00:00');

  it('rejects an invalid start', () => {
    expect(() => computeDeadline(new Date('nope'), days(1), calendar, hours)).toThrow(
      new RangeError('computeDeadline: start is not a valid date'),
    );
  });

  it.each<[string, unknown]>([
    ['zero days', { kind: 'work_days', days: 0 }],
    ['fractional hours', { kind: 'work_hours', hours: 1.5 }],
    ['unknown kind', { kind: 'weeks', weeks: 1 }],
  ])('rejects the rule: %s', (_label, rule) => {
    expect(() => computeDeadline(start, rule as DeadlineRule, calendar, hours)).toThrow(
      new RangeError(`computeDeadline: invalid rule ${JSON.stringify(rule)}`),
    );
  });

  it.each<[string, WorkingHours, RegExp]>([
    ['single-digit hour', { morning: ['9:00', '12:00'], afternoon: ['13:30', '17:30'] }, /HH:MM/],
    ['24:00', { morning: ['09:00', '12:00'], afternoon: ['13:30', '24:00'] }, /HH:MM/],
    ['minutes 60', { morning: ['09:60', '12:00'], afternoon: ['13:30', '17:30'] }, /HH:MM/],
    ['text before', { morning: ['T09:00', '12:00'], afternoon: ['13:30', '17:30'] }, /HH:MM/],
    ['text after', { morning: ['09:00', '12:00'], afternoon: ['13:30', '17:30h'] }, /HH:MM/],
    [
      'morning reversed',
      { morning: ['12:00', '09:00'], afternoon: ['13:30', '17:30'] },
      /must run/,
    ],
    ['empty morning', { morning: ['09:00', '09:00'], afternoon: ['13:30', '17:30'] }, /must run/],
    ['empty afternoon', { morning: ['09:00', '12:00'], afternoon: ['13:30', '13:30'] }, /must run/],
    ['overlapping', { morning: ['09:00', '14:00'], afternoon: ['13:30', '17:30'] }, /must run/],
    [
      'afternoon reversed',
      { morning: ['09:00', '12:00'], afternoon: ['17:30', '13:30'] },
      /must run/,
    ],
  ])('rejects working hours: %s', (_label, bad, message) => {
    for (const rule of [days(1), workHours(1), { kind: 'immediate' } as const]) {
      expect(() => computeDeadline(start, rule, calendar, bad)).toThrow(message);
    }
  });

  it.each<[string, WorkingHours, string]>([
    [
      'morning start',
      { morning: ['9:00', '12:00'], afternoon: ['13:30', '17:30'] },
      'working hours: morning start must be HH:MM, got "9:00"',
    ],
    [
      'morning end',
      { morning: ['09:00', '12'], afternoon: ['13:30', '17:30'] },
      'working hours: morning end must be HH:MM, got "12"',
    ],
    [
      'afternoon start',
      { morning: ['09:00', '12:00'], afternoon: ['1:30', '17:30'] },
      'working hours: afternoon start must be HH:MM, got "1:30"',
    ],
    [
      'afternoon end',
      { morning: ['09:00', '12:00'], afternoon: ['13:30', '17:30 '] },
      'working hours: afternoon end must be HH:MM, got "17:30 "',
    ],
    [
      'out of order',
      { morning: ['09:00', '14:00'], afternoon: ['13:30', '17:30'] },
      'working hours must run morning start < morning end <= afternoon start < afternoon end, ' +
        'got 09:00–14:00 and 13:30–17:30',
    ],
  ])('names the bad field: %s', (_label, bad, message) => {
    expect(() => computeDeadline(start, days(1), calendar, bad)).toThrow(new RangeError(message));
  });

  it('exports sensible default hours', () => {
    expect(
      computeDeadline(start, workHours(1), calendar, DEFAULT_WORKING_HOURS).toISOString(),
    ).toBe(bj('2026-03-09T11:00:00').toISOString());
  });
});

describe('describeRule', () => {
  it.each<[DeadlineRule, string]>([
    [{ kind: 'immediate' }, '立行立改'],
    [{ kind: 'work_days', days: 3 }, '3个工作日'],
    [{ kind: 'work_days', days: 1 }, '1个工作日'],
    [{ kind: 'work_hours', hours: 5 }, '5个工作时'],
    [{ kind: 'work_hours', hours: 48 }, '48个工作时'],
  ])('%j → %s', (rule, label) => {
    expect(describeRule(rule)).toBe(label);
  });
});

describe('parseDeadlineRule', () => {
  it.each<[string, DeadlineRule]>([
    ['立行立改', { kind: 'immediate' }],
    ['  立行立改 ', { kind: 'immediate' }],
    ['1 工作日', { kind: 'work_days', days: 1 }],
    ['1工作日', { kind: 'work_days', days: 1 }],
    ['3个工作日', { kind: 'work_days', days: 3 }],
    ['3 个 工作日', { kind: 'work_days', days: 3 }],
    ['5 工作时', { kind: 'work_hours', hours: 5 }],
    ['5个工作时', { kind: 'work_hours', hours: 5 }],
    ['０５ 工作时', { kind: 'work_hours', hours: 5 }],
    ['３个工作日', { kind: 'work_days', days: 3 }],
    [`${MAX_WORK_DAYS} 工作日`, { kind: 'work_days', days: MAX_WORK_DAYS }],
    [`${MAX_WORK_HOURS} 工作时`, { kind: 'work_hours', hours: MAX_WORK_HOURS }],
  ])('%p → %j', (text, rule) => {
    expect(parseDeadlineRule(text)).toEqual(rule);
  });

  it.each([
    '',
    '立即',
    '立行立改 1',
    '0 工作日',
    '0 工作时',
    '-1 工作日',
    '1.5 工作时',
    '3 天',
    '3 日',
    '3 小时',
    '工作日',
    '3 workdays',
    '3个工作日内',
    `${MAX_WORK_DAYS + 1} 工作日`,
    `${MAX_WORK_HOURS + 1} 工作时`,
  ])('rejects %p', (text) => {
    expect(() => parseDeadlineRule(text)).toThrow(/unrecognised deadline rule/);
  });

  it('says what it expected, with the bounds', () => {
    expect(() => parseDeadlineRule('3 天')).toThrow(
      new RangeError(
        'unrecognised deadline rule "3 天": expected 立行立改, "N 工作日" (1–250) or "N 工作时" (1–2000)',
      ),
    );
  });

  it.each<DeadlineRule>([
    { kind: 'immediate' },
    { kind: 'work_days', days: 7 },
    { kind: 'work_hours', hours: 12 },
  ])('reads back what describeRule writes: %j', (rule) => {
    expect(parseDeadlineRule(describeRule(rule))).toEqual(rule);
  });
});

describe('isDeadlineRule', () => {
  it.each<[unknown, boolean]>([
    [{ kind: 'immediate' }, true],
    [{ kind: 'work_days', days: 1 }, true],
    [{ kind: 'work_hours', hours: 24 }, true],
    [{ kind: 'work_days', days: MAX_WORK_DAYS }, true],
    [{ kind: 'work_days', days: MAX_WORK_DAYS + 1 }, false],
    [{ kind: 'work_hours', hours: MAX_WORK_HOURS + 1 }, false],
    [{ kind: 'work_days', days: 0 }, false],
    [{ kind: 'work_days', days: -2 }, false],
    [{ kind: 'work_days', days: 1.5 }, false],
    [{ kind: 'work_days', days: '3' }, false],
    [{ kind: 'work_days', days: Number.NaN }, false],
    [{ kind: 'work_days' }, false],
    [{ kind: 'work_days', hours: 3 }, false],
    [{ kind: 'work_hours', days: 3 }, false],
    [{ kind: 'immediate', days: 3 }, false],
    [{ kind: 'work_days', days: 3, note: 'x' }, false],
    [{ kind: 'work_hours', hours: 3, note: 'x' }, false],
    [{ kind: 'WORK_DAYS', days: 3 }, false],
    [{ days: 3 }, false],
    [[], false],
    [null, false],
    ['立行立改', false],
    [undefined, false],
  ])('%j → %p', (value, expected) => {
    expect(isDeadlineRule(value)).toBe(expected);
  });
});
