import { DomainError } from '../../common/errors/domain-error.js';
import {
  countedPeriod,
  resolveDigestDays,
  type DigestDaysQuery,
  type DigestDays,
} from './digest-period.js';

/** A Beijing wall-clock time as an instant. */
const bj = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

// Tuesday 2026-12-01 14:30 in Beijing (06:30 UTC).
const TUESDAY = bj('2026-12-01 14:30');

function fieldOf(q: DigestDaysQuery, now: Date): string | undefined {
  try {
    resolveDigestDays(q, now);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    expect(e.kind).toBe('invalid');
    return e.details?.errors?.[0]?.field;
  }
  return undefined;
}

function problemOf(q: DigestDaysQuery, now: Date): unknown {
  try {
    resolveDigestDays(q, now);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    expect(e.message).toBe(`${e.details?.errors?.[0]?.field}: ${e.details?.errors?.[0]?.message}`);
    return e.details?.errors?.[0];
  }
  return undefined;
}

describe('resolveDigestDays: which days a request asks for', () => {
  it.each<[string, DigestDaysQuery, Date, DigestDays]>([
    ['nothing: the last full week', {}, TUESDAY, { from: '2026-11-23', to: '2026-11-29' }],
    [
      'period=last-week',
      { period: 'last-week' },
      TUESDAY,
      { from: '2026-11-23', to: '2026-11-29' },
    ],
    [
      'this week so far, on a Tuesday',
      { period: 'this-week' },
      TUESDAY,
      { from: '2026-11-30', to: '2026-12-06' },
    ],
    // Monday 07:00 Beijing is still Sunday 23:00 UTC: the week is Shanghai's.
    [
      'this week on a Monday morning',
      { period: 'this-week' },
      bj('2026-11-30 07:00'),
      { from: '2026-11-30', to: '2026-12-06' },
    ],
    [
      'this week at Monday 00:00 exactly',
      { period: 'this-week' },
      bj('2026-11-30 00:00'),
      { from: '2026-11-30', to: '2026-12-06' },
    ],
    // Sunday 23:30 Beijing is Sunday 15:30 UTC: still the week that began on Monday the 30th.
    [
      'this week on a Sunday night',
      { period: 'this-week' },
      bj('2026-12-06 23:30'),
      { from: '2026-11-30', to: '2026-12-06' },
    ],
    [
      'a period reaching into the future is accepted (and clamped)',
      { from: '2026-11-30', to: '2026-12-06' },
      TUESDAY,
      { from: '2026-11-30', to: '2026-12-06' },
    ],
    [
      'from today',
      { from: '2026-12-01', to: '2026-12-01' },
      TUESDAY,
      { from: '2026-12-01', to: '2026-12-01' },
    ],
    [
      'from alone: seven days',
      { from: '2026-11-09' },
      TUESDAY,
      { from: '2026-11-09', to: '2026-11-15' },
    ],
    [
      'to alone: seven days up to it',
      { to: '2026-11-15' },
      TUESDAY,
      { from: '2026-11-09', to: '2026-11-15' },
    ],
  ])('%s', (_name, q, now, expected) => {
    expect(resolveDigestDays(q, now)).toEqual(expected);
  });

  const DATE = 'a real date YYYY-MM-DD from 2000 to 2099';
  const FUTURE = (day: string) => `the period must not start in the future (${day} has not begun)`;
  it.each<[string, DigestDaysQuery, string, string, string]>([
    [
      'a from in the future',
      { from: '2026-12-02', to: '2026-12-06' },
      'from',
      'notFuture',
      FUTURE('2026-12-02'),
    ],
    [
      'a from alone in the future',
      { from: '2026-12-02' },
      'from',
      'notFuture',
      FUTURE('2026-12-02'),
    ],
    [
      'a to alone whose week has not begun',
      { to: '2026-12-20' },
      'to',
      'notFuture',
      FUTURE('2026-12-14'),
    ],
    ['year 9999 as from', { from: '9999-12-25' }, 'from', 'isDate', `from must be ${DATE}`],
    [
      'year 9999 as to',
      { from: '2026-11-30', to: '9999-12-31' },
      'to',
      'isDate',
      `to must be ${DATE}`,
    ],
    [
      'year 9999 as both',
      { from: '9999-12-25', to: '9999-12-31' },
      'from',
      'isDate',
      `from must be ${DATE}`,
    ],
    ['year 9999 alone as to', { to: '9999-12-31' }, 'to', 'isDate', `to must be ${DATE}`],
    ['year 0202', { from: '0202-11-16' }, 'from', 'isDate', `from must be ${DATE}`],
    ['not a day', { from: '2026-02-30' }, 'from', 'isDate', `from must be ${DATE}`],
    [
      'reversed',
      { from: '2026-11-15', to: '2026-11-09' },
      'to',
      'afterFrom',
      'to must not be before from',
    ],
    [
      'too long',
      { from: '2024-01-01', to: '2026-01-01' },
      'to',
      'maxRange',
      'a digest covers at most 366 days',
    ],
    [
      '367 days',
      { from: '2025-01-01', to: '2026-01-02' },
      'to',
      'maxRange',
      'a digest covers at most 366 days',
    ],
    [
      'period and from together',
      { period: 'this-week', from: '2026-11-30' },
      'period',
      'exclusive',
      'give either period or from/to, not both',
    ],
    [
      'period and to together',
      { period: 'last-week', to: '2026-11-29' },
      'period',
      'exclusive',
      'give either period or from/to, not both',
    ],
    [
      'an unknown period',
      { period: 'next-week' },
      'period',
      'isIn',
      'period must be one of last-week, this-week',
    ],
  ])(
    'refuses %s with a 400 naming the field, its rule and words',
    (_name, q, field, code, message) => {
      expect(fieldOf(q, TUESDAY)).toBe(field);
      expect(problemOf(q, TUESDAY)).toEqual({ field, code, message });
    },
  );

  it('accepts 366 days', () => {
    expect(resolveDigestDays({ from: '2025-01-01', to: '2026-01-01' }, TUESDAY)).toEqual({
      from: '2025-01-01',
      to: '2026-01-01',
    });
  });
});

describe('countedPeriod: the instants counted', () => {
  it.each<[string, DigestDays, Date, { start: string; end: string; clampedToNow: boolean }]>([
    [
      'a week that is over: its whole days, not clamped',
      { from: '2026-11-23', to: '2026-11-29' },
      TUESDAY,
      { start: '2026-11-22T16:00:00.000Z', end: '2026-11-29T16:00:00.000Z', clampedToNow: false },
    ],
    [
      'a week that ends on Sunday, asked on Tuesday: counted up to now',
      { from: '2026-11-30', to: '2026-12-06' },
      TUESDAY,
      { start: '2026-11-29T16:00:00.000Z', end: '2026-12-01T06:30:00.000Z', clampedToNow: true },
    ],
    [
      'this week on a Monday morning: seven hours',
      { from: '2026-11-30', to: '2026-12-06' },
      bj('2026-11-30 07:00'),
      { start: '2026-11-29T16:00:00.000Z', end: '2026-11-29T23:00:00.000Z', clampedToNow: true },
    ],
    [
      'this week on a Sunday night: up to 23:30',
      { from: '2026-11-30', to: '2026-12-06' },
      bj('2026-12-06 23:30'),
      { start: '2026-11-29T16:00:00.000Z', end: '2026-12-06T15:30:00.000Z', clampedToNow: true },
    ],
    [
      'a period ending exactly now is whole',
      { from: '2026-11-30', to: '2026-12-06' },
      bj('2026-12-07 00:00'),
      { start: '2026-11-29T16:00:00.000Z', end: '2026-12-06T16:00:00.000Z', clampedToNow: false },
    ],
    [
      'a start after now (refused upstream) is an empty period, never a reversed one',
      { from: '2026-12-02', to: '2026-12-06' },
      TUESDAY,
      { start: '2026-12-01T16:00:00.000Z', end: '2026-12-01T16:00:00.000Z', clampedToNow: true },
    ],
  ])('%s', (_name, days, now, expected) => {
    const p = countedPeriod(days, now);
    expect({
      start: p.start.toISOString(),
      end: p.end.toISOString(),
      clampedToNow: p.clampedToNow,
    }).toEqual(expected);
  });
});
