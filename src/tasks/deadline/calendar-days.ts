import { DomainError } from '../../common/errors/domain-error.js';
import { dayOfWeek, type WorkingCalendar } from './working-calendar.js';

/** How a day counts for 工作日 deadlines: the four kinds the console's legend shows. */
export const CALENDAR_DAY_KINDS = ['holiday', 'makeup_workday', 'weekend', 'workday'] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

export interface CalendarDayView {
  date: string;
  kind: CalendarDayKind;
  /** Whether the day counts as a working day (workday and 调休上班). */
  workday: boolean;
  /** The festival of a holiday, or what a make-up workday is for; null on ordinary days. */
  name: string | null;
}

export interface CalendarYearView {
  year: number;
  official: boolean;
  source: string;
  note: string | null;
  loadedYears: number[];
  workdays: number;
  days: CalendarDayView[];
}

export enum CalendarErrorCode {
  CALENDAR_YEAR_NOT_LOADED = 'CALENDAR_YEAR_NOT_LOADED',
}

const DAY = 86_400_000;

/**
 * Every day of a loaded year with how it counts, read from the very calendar the deadline
 * arithmetic uses (so what the office sees is what deadlines are computed with). A year without
 * a file is refused: the deadline code falls back to Monday–Friday there, which is a guess, not a
 * calendar to show.
 */
export function calendarYearView(calendar: WorkingCalendar, year: number): CalendarYearView {
  const file = calendar.year(year);
  const loadedYears = calendar.loadedYears();
  if (!file) {
    const list = loadedYears.join('、');
    throw new DomainError(
      'not_found',
      CalendarErrorCode.CALENDAR_YEAR_NOT_LOADED,
      `year: ${year}年的节假日安排尚未录入（已录入：${list}）`,
      {
        errors: [
          { field: 'year', code: 'calendarYearNotLoaded', message: `已录入的年份：${list}` },
        ],
        loadedYears,
      },
    );
  }
  const days: CalendarDayView[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  for (let t = Date.UTC(year, 0, 1); t < end; t += DAY) {
    const date = new Date(t).toISOString().slice(0, 10);
    const workday = calendar.isWorkday(date);
    const dow = dayOfWeek(date);
    const weekend = dow === 0 || dow === 6;
    const name = calendar.dayName(date) ?? null;
    const kind: CalendarDayKind = workday
      ? weekend
        ? 'makeup_workday'
        : 'workday'
      : name !== null
        ? 'holiday'
        : 'weekend';
    days.push({ date, kind, workday, name });
  }
  return {
    year,
    official: file.official,
    source: file.source,
    note: file.note ?? null,
    loadedYears,
    workdays: days.filter((d) => d.workday).length,
    days,
  };
}
