import { DomainError } from '../../common/errors/domain-error.js';
import { calendarYearView } from './calendar-days.js';
import { WorkingCalendar } from './working-calendar.js';

const calendar = WorkingCalendar.fromYears([
  {
    year: 2030,
    source: 'test',
    official: false,
    note: '估计',
    holidays: [
      { date: '2030-10-01', name: '国庆节' }, // Tuesday
      { date: '2030-10-05', name: '国庆节' }, // Saturday, listed as every day off is
    ],
    makeupWorkdays: [
      { date: '2030-09-29', name: '国庆节调休' }, // Sunday
      { date: '2030-10-12', name: '国庆节调休' }, // Saturday
    ],
  },
]);

describe('calendarYearView', () => {
  const view = calendarYearView(calendar, 2030);
  const day = (date: string) => view.days.find((d) => d.date === date);

  it('lists every day of the year once, in order', () => {
    expect(view.days).toHaveLength(365);
    expect(view.days[0].date).toBe('2030-01-01');
    expect(view.days[364].date).toBe('2030-12-31');
    expect(view).toMatchObject({ year: 2030, official: false, note: '估计', loadedYears: [2030] });
  });

  it.each([
    ['2030-10-01', 'holiday', false, '国庆节'],
    ['2030-10-05', 'holiday', false, '国庆节'],
    ['2030-09-29', 'makeup_workday', true, '国庆节调休'],
    ['2030-10-12', 'makeup_workday', true, '国庆节调休'],
    ['2030-10-13', 'weekend', false, null],
    ['2030-10-14', 'workday', true, null],
  ])('%s is %s', (date, kind, workday, name) => {
    expect(day(date)).toEqual({ date, kind, workday, name });
  });

  it('counts the working days as the deadline code does', () => {
    const expected = view.days.filter((d) => calendar.isWorkday(d.date)).length;
    expect(view.workdays).toBe(expected);
    // 2030 has 261 weekdays; one falls on a holiday, and a Sunday and a Saturday are worked.
    expect(view.workdays).toBe(261 - 1 + 2);
  });

  it('refuses a year without a file, naming the field and the loaded years', () => {
    let err: unknown;
    try {
      calendarYearView(calendar, 2031);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    const e = err as DomainError;
    expect(e.code).toBe('CALENDAR_YEAR_NOT_LOADED');
    expect(e.kind).toBe('not_found');
    expect(e.details?.errors?.[0].field).toBe('year');
    expect(e.details?.loadedYears).toEqual([2030]);
  });

  it('names every loaded year in its words', () => {
    const two = WorkingCalendar.fromYears(
      [2030, 2032].map((year) => ({
        year,
        source: 'test',
        official: true,
        holidays: [],
        makeupWorkdays: [],
      })),
    );
    let err: unknown;
    try {
      calendarYearView(two, 2031);
    } catch (e) {
      err = e;
    }
    const e = err as DomainError;
    expect(e.message).toBe('year: 2031年的节假日安排尚未录入（已录入：2030、2032）');
    expect(e.details?.errors).toEqual([
      { field: 'year', code: 'calendarYearNotLoaded', message: '已录入的年份：2030、2032' },
    ]);
  });
});
