import { parseInstant } from './instant.js';

describe('parseInstant', () => {
  it.each([
    ['2027-03-01', '2027-02-28T16:00:00.000Z'],
    ['2027-03-01T18:00:00', '2027-03-01T10:00:00.000Z'],
    ['2027-03-01T18:00', '2027-03-01T10:00:00.000Z'],
    ['2027-03-01T18:00:00.250', '2027-03-01T10:00:00.250Z'],
    ['2027-03-01T18:00:00Z', '2027-03-01T18:00:00.000Z'],
    ['2027-03-01T18:00:00+08:00', '2027-03-01T10:00:00.000Z'],
    ['2027-03-01T18:00:00-0500', '2027-03-01T23:00:00.000Z'],
    [' 2027-03-01 ', '2027-02-28T16:00:00.000Z'],
  ])('%s is %s', (input, expected) => {
    expect(parseInstant(input).toISOString()).toBe(expected);
  });

  it('leaves an invalid value invalid', () => {
    expect(Number.isNaN(parseInstant('2027-02-30T25:00:00').getTime())).toBe(true);
  });
});
