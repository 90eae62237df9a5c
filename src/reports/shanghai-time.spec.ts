import {
  addDays,
  dayRange,
  isCalendarDate,
  isoWeekday,
  lastFullWeek,
  mondayOf,
  parseBound,
  shanghaiDate,
  shanghaiMidnight,
} from './shanghai-time.js';

describe('Shanghai calendar arithmetic', () => {
  it.each<[string, boolean]>([
    ['2026-11-16', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['20261116', false],
    ['', false],
    // Real days, but no period the office can mean: a 400, not arithmetic into year 10000.
    ['9999-12-31', false],
    ['0202-11-16', false],
    ['1999-12-31', false],
    ['2000-01-01', true],
    ['2099-12-31', true],
    ['2100-01-01', false],
  ])('isCalendarDate(%p) = %p', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it('puts midnight eight hours before UTC midnight', () => {
    expect(shanghaiMidnight('2026-11-16').toISOString()).toBe('2026-11-15T16:00:00.000Z');
    expect(() => shanghaiMidnight('2026-02-30')).toThrow(RangeError);
  });

  it.each<[string, string]>([
    ['2026-11-15T15:59:59.999Z', '2026-11-15'],
    ['2026-11-15T16:00:00.000Z', '2026-11-16'],
    // Sunday 23:30 Beijing is still Sunday; Monday 00:30 Beijing is Sunday 16:30 UTC.
    ['2026-11-22T15:30:00.000Z', '2026-11-22'],
    ['2026-11-22T16:30:00.000Z', '2026-11-23'],
  ])('shanghaiDate(%s) = %s', (instant, expected) => {
    expect(shanghaiDate(new Date(instant))).toBe(expected);
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    // Past the years a client may give: the arithmetic still works there.
    expect(addDays('2099-12-31', 1)).toBe('2100-01-01');
    expect(dayRange('2099-12-25', '2099-12-31').end.toISOString()).toBe('2099-12-31T16:00:00.000Z');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it.each<[string, number, string]>([
    ['2026-11-16', 1, '2026-11-16'],
    ['2026-11-18', 3, '2026-11-16'],
    ['2026-11-22', 7, '2026-11-16'],
    ['2026-11-23', 1, '2026-11-23'],
  ])('%s is weekday %i of the week from %s', (date, weekday, monday) => {
    expect(isoWeekday(date)).toBe(weekday);
    expect(mondayOf(date)).toBe(monday);
  });

  it.each<[string, string, string]>([
    // Sunday afternoon in Beijing: the current week is not over yet.
    ['2026-11-22T09:00:00Z', '2026-11-09', '2026-11-15'],
    // Monday 00:30 Beijing (Sunday 16:30 UTC): the week just ended is the last full one.
    ['2026-11-22T16:30:00Z', '2026-11-16', '2026-11-22'],
    ['2026-11-29T15:00:00Z', '2026-11-16', '2026-11-22'],
  ])('lastFullWeek(%s) = %s … %s', (now, from, to) => {
    expect(lastFullWeek(new Date(now))).toEqual({ from, to });
  });

  it('turns inclusive days into a half-open range', () => {
    const { start, end } = dayRange('2026-11-16', '2026-11-22');
    expect(start.toISOString()).toBe('2026-11-15T16:00:00.000Z');
    expect(end.toISOString()).toBe('2026-11-22T16:00:00.000Z');
  });

  it.each<[string, 'start' | 'end', string | null]>([
    ['2026-11-16', 'start', '2026-11-15T16:00:00.000Z'],
    ['2026-11-22', 'end', '2026-11-22T16:00:00.000Z'],
    ['2026-11-20T15:00:00+08:00', 'end', '2026-11-20T07:00:00.000Z'],
    ['2026-11-20T07:00:00Z', 'start', '2026-11-20T07:00:00.000Z'],
    ['2026-11-20T07:00:00.123456Z', 'start', '2026-11-20T07:00:00.123Z'],
    ['2026-11-20T15:00:00', 'start', '2026-11-20T07:00:00.000Z'],
    ['2026-11-20 15:00:00', 'start', null],
    ['2026-W47-5', 'start', null],
    ['2026-02-30T00:00:00Z', 'start', null],
    ['2026-11-20T25:00:00Z', 'start', null],
    ['yesterday', 'start', null],
    ['2026-11-31', 'end', null],
    ['9999-12-31', 'end', null],
    ['9999-12-31T23:00:00-08:00', 'end', null],
    ['2099-12-31T23:00:00-08:00', 'end', null],
  ])('parseBound(%p, %s)', (value, as, expected) => {
    expect(parseBound(value, as)?.toISOString() ?? null).toBe(expected);
  });
});
