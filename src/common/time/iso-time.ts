/**
 * The one reader of dates and times that clients send. Two forms, nothing else:
 *
 * - a day, `YYYY-MM-DD` (a real calendar day: 2027-02-30 is not one);
 * - a date-time `YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±HH:MM]`. Without an offset it is Beijing
 *   time (Asia/Shanghai, UTC+8 without daylight saving since 1991), as the office reads clocks.
 *
 * Week dates (`2027-W01-1`), ordinal dates (`2027-012`), the basic format (`20271201`), a bare
 * hour (`2027-12-01T10`), a space instead of `T`, a month alone and years outside
 * [MIN_YEAR, MAX_YEAR] are refused rather than guessed at: `Date.parse` reads several of them as
 * UTC, rolls impossible days over into the next month, or answers `Invalid Date` that becomes a
 * 500 three layers further down.
 */

import { OFFICE_UTC_OFFSET_MINUTES } from './office-zone.js';

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?$/;

export const DAY_FORMAT = 'a date YYYY-MM-DD';
export const INSTANT_FORMAT =
  'a date YYYY-MM-DD or a date-time YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM] (no offset: Beijing time)';

function isRealDay(y: number, m: number, d: number): boolean {
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1) return false;
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

/** `value` when it is a real day `YYYY-MM-DD` within the year range, else null. */
export function parseDay(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = DAY.exec(value);
  if (!m) return null;
  return isRealDay(Number(m[1]), Number(m[2]), Number(m[3])) ? value : null;
}

/**
 * The instant a client means, or null when the value is not one of the two accepted forms. A day
 * alone is its 00:00 in Beijing; a date-time without an offset is Beijing wall-clock time.
 * Fractions beyond milliseconds are cut (a JavaScript Date holds milliseconds).
 */
export function parseInstantOrNull(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const day = parseDay(value);
  if (day) return new Date(Date.parse(`${day}T00:00:00Z`) - OFFICE_UTC_OFFSET_MINUTES * 60_000);
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  if (!isRealDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  let offset = OFFICE_UTC_OFFSET_MINUTES;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 14 || om > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  } else if (zone === 'Z') {
    offset = 0;
  }
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000);
}

/** As `parseInstantOrNull`, for values already validated (`@IsInstant()`): throws on a bad one. */
export function parseInstant(value: string): Date {
  const parsed = parseInstantOrNull(value);
  if (!parsed) throw new RangeError(`not ${INSTANT_FORMAT}: '${value}'`);
  return parsed;
}
