/**
 * Calendar arithmetic in Asia/Shanghai, where the office's days and weeks are. China has kept
 * UTC+8 without daylight saving since 1991, so a fixed offset is exact for every date the
 * service holds and needs no time-zone database.
 */
import { parseDay, parseInstantOrNull } from '../common/time/iso-time.js';
import { OFFICE_TIME_ZONE, OFFICE_UTC_OFFSET_MS as OFFSET_MS } from '../common/time/office-zone.js';

export const TIME_ZONE = OFFICE_TIME_ZONE;
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The years a day given by a client may fall in. Outside them a date is a typo ('9999-12-31',
 * '0202-11-16'), not a period the office can mean; refusing it where it is read, as a 400 naming
 * the field, also keeps every step the reports take from it (the next day, the week after) inside
 * four-digit years, where the arithmetic below is exact. A year 9999 once reached
 * `addDays('9999-12-31', 1)` and answered 500.
 */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2099;

/** A real day written YYYY-MM-DD, any four-digit year: what the arithmetic here accepts. */
function isRealDay(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC maps years 0–99 to 1900–1999, so those fail the year comparison.
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/**
 * True for a real calendar day written YYYY-MM-DD ('2026-02-30' is not one) in the years
 * FIRST_YEAR … LAST_YEAR: what a client may ask for.
 */
export function isCalendarDate(value: string): boolean {
  if (!isRealDay(value)) return false;
  const year = Number(value.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

function assertDate(value: string): void {
  if (!isRealDay(value)) throw new RangeError(`expected a date YYYY-MM-DD, got '${value}'`);
}

/** The instant a Shanghai day begins: '2026-11-16' → 2026-11-15T16:00:00Z. */
export function shanghaiMidnight(date: string): Date {
  assertDate(date);
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

/** The Shanghai calendar day an instant falls on: 2026-11-15T16:00:00Z → '2026-11-16'. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  assertDate(date);
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  assertDate(from);
  assertDate(to);
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  assertDate(date);
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday of the Monday–Sunday week `date` is in. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/**
 * The last complete Monday–Sunday week before `now` (Shanghai): from Monday 2026-11-23 through
 * Sunday 2026-11-29 it is 2026-11-16 … 2026-11-22; on Sunday 2026-11-22 that week is not over
 * yet, so it is 2026-11-09 … 2026-11-15.
 */
export function lastFullWeek(now: Date): { from: string; to: string } {
  const from = addDays(mondayOf(shanghaiDate(now)), -7);
  return { from, to: addDays(from, 6) };
}

/** Inclusive Shanghai days as a half-open instant range: [from 00:00, the day after `to` 00:00). */
export function dayRange(from: string, to: string): { start: Date; end: Date } {
  return { start: shanghaiMidnight(from), end: shanghaiMidnight(addDays(to, 1)) };
}

/**
 * A period bound given by a client: a Shanghai day or a date-time as `parseInstantOrNull` reads it
 * (no offset: Beijing time). A day is inclusive: as a start it means that day's midnight, as an
 * end the next day's midnight, so `periodStart=2026-11-16&periodEnd=2026-11-22` is the whole
 * week. Null when neither.
 */
export function parseBound(value: string, as: 'start' | 'end'): Date | null {
  if (parseDay(value) !== null) {
    return isCalendarDate(value)
      ? shanghaiMidnight(as === 'start' ? value : addDays(value, 1))
      : null;
  }
  const instant = parseInstantOrNull(value);
  // The Shanghai day it falls on must be one a client may ask for ('2099-12-31T23:00-08:00' is
  // in 2100 there).
  return instant && isCalendarDate(shanghaiDate(instant)) ? instant : null;
}
