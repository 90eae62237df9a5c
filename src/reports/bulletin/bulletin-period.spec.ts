import { DomainError } from '../../common/errors/domain-error.js';
import { resolveBulletinPeriod, resolvePeriodChange, type PeriodInput } from './bulletin-period.js';

// Sunday 2026-11-22 17:00 in Beijing.
const now = new Date('2026-11-22T09:00:00Z');
const iso = (p: { start: Date; end: Date }): [string, string] => [
  p.start.toISOString(),
  p.end.toISOString(),
];

describe('resolveBulletinPeriod', () => {
  it.each<[string, PeriodInput, string | null, [string, string]]>([
    [
      'first issue: the 7 Shanghai days ending today, from midnight, to the end of today',
      {},
      null,
      ['2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ],
    [
      'first issue ending at a midnight: the 7 days before it',
      { periodEnd: '2026-11-15' },
      null,
      ['2026-11-08T16:00:00.000Z', '2026-11-15T16:00:00.000Z'],
    ],
    [
      // Today's inspections are dated today: an end at "now" (17:00) would leave them out.
      "next issue: from the last issue's end to the end of today, so today is in it",
      {},
      '2026-11-20T07:00:00.000Z',
      ['2026-11-20T07:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ],
    [
      'days given are inclusive',
      { periodStart: '2026-11-16', periodEnd: '2026-11-22' },
      '2026-11-01T00:00:00.000Z',
      ['2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ],
    [
      'instants with an offset',
      { periodStart: '2026-11-16T08:00:00+08:00', periodEnd: '2026-11-20T15:00:00+08:00' },
      null,
      ['2026-11-16T00:00:00.000Z', '2026-11-20T07:00:00.000Z'],
    ],
    [
      'only the end given: the start follows the last issue',
      { periodEnd: '2026-11-21' },
      '2026-11-20T07:00:00.000Z',
      ['2026-11-20T07:00:00.000Z', '2026-11-21T16:00:00.000Z'],
    ],
  ])('%s', (_name, input, lastEnd, expected) => {
    expect(iso(resolveBulletinPeriod(input, lastEnd ? new Date(lastEnd) : null, now))).toEqual(
      expected,
    );
  });

  it.each<[string, PeriodInput, string | null, number, string, string | undefined]>([
    ['a bad start', { periodStart: 'last monday' }, null, 400, 'VALIDATION_FAILED', 'periodStart'],
    ['an impossible end', { periodEnd: '2026-02-30' }, null, 400, 'VALIDATION_FAILED', 'periodEnd'],
    [
      'a date-time with a space instead of T',
      { periodEnd: '2026-11-20 15:00' },
      null,
      400,
      'VALIDATION_FAILED',
      'periodEnd',
    ],
    [
      'an end before the start',
      { periodStart: '2026-11-20', periodEnd: '2026-11-19' },
      null,
      400,
      'VALIDATION_FAILED',
      'periodEnd',
    ],
    ['an end tomorrow', { periodEnd: '2026-11-23' }, null, 400, 'VALIDATION_FAILED', 'periodEnd'],
    [
      'an end after today, as an instant',
      { periodStart: '2026-11-20', periodEnd: '2026-11-23T00:00:01+08:00' },
      null,
      400,
      'VALIDATION_FAILED',
      'periodEnd',
    ],
    [
      'an end years ahead',
      { periodStart: '2026-11-20', periodEnd: '2027-06-30' },
      '2026-11-01T00:00:00.000Z',
      400,
      'VALIDATION_FAILED',
      'periodEnd',
    ],
    [
      'a start after now',
      { periodStart: '2026-11-23' },
      null,
      400,
      'VALIDATION_FAILED',
      'periodStart',
    ],
    [
      'the last issue already reaches the end of today',
      {},
      '2026-11-22T16:00:00.000Z',
      422,
      'INVALID_PERIOD',
      undefined,
    ],
    [
      'over a year',
      { periodStart: '2025-01-01', periodEnd: '2026-11-01' },
      null,
      400,
      'VALIDATION_FAILED',
      'periodStart',
    ],
  ])('refuses %s', (_name, input, lastEnd, status, code, field) => {
    let error: unknown;
    try {
      resolveBulletinPeriod(input, lastEnd ? new Date(lastEnd) : null, now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const domain = error as DomainError;
    expect({ status: domain.kind === 'invalid' ? 400 : 422, code: domain.code }).toEqual({
      status,
      code,
    });
    expect(domain.details?.errors?.[0]?.field).toBe(field);
  });
});

describe('resolvePeriodChange', () => {
  const current = {
    start: new Date('2026-11-15T16:00:00.000Z'),
    end: new Date('2026-11-20T07:00:00.000Z'),
  };

  it.each<[string, PeriodInput, [string, string]]>([
    [
      'both bounds as days',
      { periodStart: '2026-11-10', periodEnd: '2026-11-22' },
      ['2026-11-09T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ],
    [
      'only the end: the start stays',
      { periodEnd: '2026-11-21' },
      ['2026-11-15T16:00:00.000Z', '2026-11-21T16:00:00.000Z'],
    ],
    [
      'only the start: the end stays',
      { periodStart: '2026-11-18' },
      ['2026-11-17T16:00:00.000Z', '2026-11-20T07:00:00.000Z'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(iso(resolvePeriodChange(input, current, now))).toEqual(expected);
  });

  it.each<[string, PeriodInput, string, string]>([
    ['an end after today', { periodEnd: '2026-11-23' }, 'periodEnd', 'notFuture'],
    ['a start after the kept end', { periodStart: '2026-11-21' }, 'periodStart', 'startBeforeEnd'],
    ['an end before the kept start', { periodEnd: '2026-11-14' }, 'periodEnd', 'startBeforeEnd'],
    ['a bad day', { periodStart: '2026-13-01' }, 'periodStart', 'isDateOrInstant'],
    ['over a year', { periodStart: '2025-01-01' }, 'periodStart', 'maxRange'],
  ])('refuses %s with a 400 naming the field', (_name, input, field, code) => {
    let error: unknown;
    try {
      resolvePeriodChange(input, current, now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('invalid');
    expect((error as DomainError).details?.errors?.[0]).toMatchObject({ field, code });
  });
});
