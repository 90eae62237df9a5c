import { parseDay, parseInstant, parseInstantOrNull } from './iso-time.js';

describe('parseInstantOrNull', () => {
  it.each([
    // a day: 00:00 Beijing
    ['2027-03-01', '2027-02-28T16:00:00.000Z'],
    ['2000-01-01', '1999-12-31T16:00:00.000Z'],
    ['2100-12-31', '2100-12-30T16:00:00.000Z'],
    ['2028-02-29', '2028-02-28T16:00:00.000Z'],
    // a date-time without offset: Beijing wall-clock time
    ['2027-03-01T18:00:00', '2027-03-01T10:00:00.000Z'],
    ['2027-03-01T18:00', '2027-03-01T10:00:00.000Z'],
    ['2027-03-01T18:00:00.250', '2027-03-01T10:00:00.250Z'],
    ['2027-03-01T18:00:00.123456', '2027-03-01T10:00:00.123Z'],
    ['2027-03-01T00:00:00', '2027-02-28T16:00:00.000Z'],
    // with an offset: as written
    ['2027-03-01T18:00:00Z', '2027-03-01T18:00:00.000Z'],
    ['2027-03-01T18:00:00.5Z', '2027-03-01T18:00:00.500Z'],
    ['2027-03-01T18:00:00+08:00', '2027-03-01T10:00:00.000Z'],
    ['2027-03-01T18:00:00-05:00', '2027-03-01T23:00:00.000Z'],
    ['2027-03-01T18:00+05:30', '2027-03-01T12:30:00.000Z'],
  ])('%s is %s', (input, expected) => {
    expect(parseInstantOrNull(input)?.toISOString()).toBe(expected);
  });

  it.each([
    ['2027-W01-1', 'a week date'],
    ['2027-W01', 'a week'],
    ['2027-012', 'an ordinal date'],
    ['20271201', 'the basic format'],
    ['20271201T100000Z', 'the basic date-time format'],
    ['2027-12-01T10', 'an hour alone'],
    ['2027-12-01T10Z', 'an hour alone with offset'],
    ['2027-12-01 10:00:00', 'a space instead of T'],
    ['2027-12-01 10:00:00+08:00', 'a space instead of T, with offset'],
    ['2027-12', 'a month alone'],
    ['2027', 'a year alone'],
    ['2027-02-30', 'a day that does not exist'],
    ['2027-02-29', 'not a leap year'],
    ['2027-13-01', 'month 13'],
    ['2027-00-10', 'month 0'],
    ['2027-04-31', 'April 31'],
    ['2027-02-30T10:00:00+08:00', 'a date-time on a day that does not exist'],
    ['2027-12-01T24:00:00', 'hour 24'],
    ['2027-12-01T23:60', 'minute 60'],
    ['2027-12-01T23:59:60Z', 'a leap second'],
    ['2027-12-01T10:00:00+15:00', 'an offset beyond ±14:00'],
    ['2027-12-01T10:00:00+0800', 'an offset without a colon'],
    ['2027-12-01T10:00:00+08', 'an offset of hours alone'],
    ['9999-12-31', 'year 9999'],
    ['1999-12-31', 'before 2000'],
    ['2101-01-01', 'after 2100'],
    ['+002027-12-01', 'an expanded year'],
    ['2027-1-5', 'unpadded'],
    [' 2027-03-01', 'leading space'],
    ['2027-03-01 ', 'trailing space'],
    ['2027-03-01t10:00:00z', 'lower-case t and z'],
    ['Tue Dec 01 2026', 'a Date string'],
    ['1764547200000', 'epoch milliseconds'],
    ['', 'empty'],
    ['now', 'a word'],
  ])('refuses %s (%s)', (input) => {
    expect(parseInstantOrNull(input)).toBeNull();
  });

  it.each([[undefined], [null], [20271201], [{}], [['2027-03-01']]])('refuses %p', (input) => {
    expect(parseInstantOrNull(input)).toBeNull();
  });

  it('parseInstant throws on what parseInstantOrNull refuses', () => {
    expect(() => parseInstant('2027-012')).toThrow(RangeError);
    expect(parseInstant('2027-12-01').toISOString()).toBe('2027-11-30T16:00:00.000Z');
  });
});

describe('parseDay', () => {
  it.each(['2027-03-01', '2028-02-29', '2000-01-01', '2100-12-31'])('accepts %s', (d) => {
    expect(parseDay(d)).toBe(d);
  });
  it.each([
    '2027-02-30',
    '2027-02-29',
    '2027-012',
    '2027-W01-1',
    '20271201',
    '2027-12',
    '2027-12-01T00:00:00',
    '2027-12-01T10',
    '9999-01-01',
    '1999-12-31',
    ' 2027-03-01',
  ])('refuses %s', (d) => {
    expect(parseDay(d)).toBeNull();
  });
});
