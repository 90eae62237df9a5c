import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A day named in a year file: a calendar date in Asia/Shanghai and the festival it belongs to. */
export interface CalendarDay {
  date: string;
  name: string;
}

/**
 * One year of the State Council's holiday arrangement (国务院办公厅 放假安排), as kept in
 * `config/calendar/<year>.json`. Every day off is listed on its own, weekend days included, so the
 * file reads like the notice and needs no rules to interpret.
 */
export interface CalendarYear {
  year: number;
  source: string;
  /** false while the notice for the year is not out and the file is our own estimate. */
  official: boolean;
  note?: string;
  holidays: CalendarDay[];
  makeupWorkdays: CalendarDay[];
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_KEYS = new Set(['year', 'source', 'official', 'note', 'holidays', 'makeupWorkdays']);
const DAY_KEYS = new Set(['date', 'name']);

/** True for a real calendar date written YYYY-MM-DD (so 2026-02-30 is rejected). */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return t.toISOString().slice(0, 10) === value;
}

/** 0 = Sunday … 6 = Saturday. A local date has no time zone left in it, so UTC is safe here. */
export function dayOfWeek(localDate: string): number {
  return new Date(`${localDate}T00:00:00Z`).getUTCDay();
}

function isWeekend(localDate: string): boolean {
  const d = dayOfWeek(localDate);
  return d === 0 || d === 6;
}

function assertLocalDate(localDate: string): void {
  if (!isLocalDate(localDate)) {
    throw new RangeError(`expected a YYYY-MM-DD date, got ${JSON.stringify(localDate)}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(origin: string, field: string, problem: string): never {
  throw new Error(`${origin}: field "${field}" ${problem}`);
}

function rejectUnknownKeys(
  origin: string,
  prefix: string,
  value: Record<string, unknown>,
  allowed: ReadonlySet<string>,
): void {
  for (const key of Object.keys(value)) {
    // A misspelt key (say "makeupWorkday") would otherwise be silently ignored and the
    // make-up days lost, which only shows up as wrong deadlines weeks later.
    if (!allowed.has(key)) fail(origin, `${prefix}${key}`, 'is not a known field');
  }
}

function validateDays(
  origin: string,
  field: 'holidays' | 'makeupWorkdays',
  raw: unknown,
  year: number,
): CalendarDay[] {
  if (!Array.isArray(raw)) fail(origin, field, 'must be an array of { date, name }');
  const seen = new Set<string>();
  return raw.map((entry: unknown, i): CalendarDay => {
    const at = `${field}[${i}]`;
    if (!isRecord(entry)) fail(origin, at, 'must be an object { date, name }');
    rejectUnknownKeys(origin, `${at}.`, entry, DAY_KEYS);
    const { date, name } = entry;
    if (!isLocalDate(date)) {
      fail(origin, `${at}.date`, `must be a YYYY-MM-DD date, got ${JSON.stringify(date)}`);
    }
    if (Number(date.slice(0, 4)) !== year) {
      fail(origin, `${at}.date`, `${date} is not in the file's year ${year}`);
    }
    if (seen.has(date)) fail(origin, `${at}.date`, `${date} is listed twice`);
    seen.add(date);
    if (typeof name !== 'string' || name.trim() === '') {
      fail(origin, `${at}.name`, 'must be a non-empty string');
    }
    if (field === 'makeupWorkdays' && !isWeekend(date)) {
      // Weekdays are workdays already; a weekday here is a typo for some other date.
      fail(
        origin,
        `${at}.date`,
        `${date} is a weekday, a make-up workday must be a Saturday or Sunday`,
      );
    }
    return { date, name };
  });
}

/**
 * Checks the shape and the internal consistency of one year file. `origin` (usually the file
 * path) starts every error message so the office can find what to fix.
 */
export function validateCalendarYear(raw: unknown, origin: string): CalendarYear {
  if (!isRecord(raw)) throw new Error(`${origin}: must be a JSON object`);
  rejectUnknownKeys(origin, '', raw, YEAR_KEYS);
  const { year, source, official, note } = raw;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1000 || year > 9999) {
    fail(origin, 'year', `must be a four-digit year, got ${JSON.stringify(year)}`);
  }
  if (typeof source !== 'string' || source.trim() === '') {
    fail(origin, 'source', 'must name the notice the data comes from');
  }
  if (typeof official !== 'boolean') fail(origin, 'official', 'must be true or false');
  if (note !== undefined && typeof note !== 'string') fail(origin, 'note', 'must be a string');
  if (!official && (note === undefined || note.trim() === '')) {
    fail(origin, 'note', 'is required when official is false: say why the data is provisional');
  }
  const holidays = validateDays(origin, 'holidays', raw.holidays, year);
  const makeupWorkdays = validateDays(origin, 'makeupWorkdays', raw.makeupWorkdays, year);
  const off = new Set(holidays.map((d) => d.date));
  makeupWorkdays.forEach((d, i) => {
    if (off.has(d.date)) {
      fail(origin, `makeupWorkdays[${i}].date`, `${d.date} is also listed as a holiday`);
    }
  });
  return {
    year,
    source,
    official,
    ...(note === undefined ? {} : { note }),
    holidays,
    makeupWorkdays,
  };
}

/**
 * Which local dates are working days for the office. Loaded years follow the State Council
 * arrangement; any other year falls back to Monday–Friday, so a missing file degrades to
 * slightly wrong deadlines instead of no deadlines — `covers` lets callers warn about it.
 */
export class WorkingCalendar {
  private constructor(
    private readonly years: ReadonlyMap<number, CalendarYear>,
    private readonly holidays: ReadonlyMap<string, string>,
    private readonly makeupWorkdays: ReadonlyMap<string, string>,
  ) {}

  static fromYears(data: readonly CalendarYear[]): WorkingCalendar {
    const years = new Map<number, CalendarYear>();
    const holidays = new Map<string, string>();
    const makeupWorkdays = new Map<string, string>();
    for (const entry of data) {
      const year = validateCalendarYear(entry, `calendar year ${String(entry.year)}`);
      if (years.has(year.year)) throw new Error(`calendar year ${year.year} is given twice`);
      years.set(year.year, year);
      for (const d of year.holidays) holidays.set(d.date, d.name);
      for (const d of year.makeupWorkdays) makeupWorkdays.set(d.date, d.name);
    }
    return new WorkingCalendar(years, holidays, makeupWorkdays);
  }

  /** `localDate` is YYYY-MM-DD in Asia/Shanghai. */
  isWorkday(localDate: string): boolean {
    assertLocalDate(localDate);
    if (this.makeupWorkdays.has(localDate)) return true;
    if (this.holidays.has(localDate)) return false;
    return !isWeekend(localDate);
  }

  /** Whether the date's year is loaded, i.e. `isWorkday` knows its holidays. */
  covers(localDate: string): boolean {
    assertLocalDate(localDate);
    return this.years.has(Number(localDate.slice(0, 4)));
  }

  /** The festival a day off belongs to, or the 调休 a make-up workday is for. */
  dayName(localDate: string): string | undefined {
    assertLocalDate(localDate);
    return this.holidays.get(localDate) ?? this.makeupWorkdays.get(localDate);
  }

  /** The year file as loaded, or undefined when the year has no file. */
  year(year: number): CalendarYear | undefined {
    return this.years.get(year);
  }

  loadedYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  /** Years loaded from estimates (`official: false`): worth a warning at start-up. */
  provisionalYears(): number[] {
    return this.loadedYears().filter((y) => this.years.get(y)?.official === false);
  }
}

/**
 * Reads every `*.json` year file in `dir` (relative paths resolve against the working
 * directory). Throws on the first bad file, naming it and the field, because a service that
 * starts with a broken calendar computes wrong deadlines without anyone noticing.
 */
export function loadWorkingCalendar(dir = 'config/calendar'): WorkingCalendar {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new Error(`working calendar: cannot read directory ${dir}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  const files = names.filter((n) => n.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`working calendar: no *.json year files in ${dir}`);
  const years = files.map((name) => {
    const path = join(dir, name);
    let raw: unknown;
    try {
      // Editors on Windows like to add a byte-order mark, which JSON.parse rejects.
      raw = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new Error(`${path}: not readable JSON: ${errorMessage(err)}`, { cause: err });
    }
    const year = validateCalendarYear(raw, path);
    const named = /^(\d{4})\.json$/.exec(name);
    if (named && Number(named[1]) !== year.year) {
      fail(path, 'year', `is ${year.year} but the file is named for ${named[1]}`);
    }
    return year;
  });
  return WorkingCalendar.fromYears(years);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
