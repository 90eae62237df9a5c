import { invalidField } from '../../common/errors/domain-error.js';
import {
  addDays,
  dayRange,
  daysBetween,
  FIRST_YEAR,
  isCalendarDate,
  LAST_YEAR,
  lastFullWeek,
  mondayOf,
  shanghaiDate,
} from '../shanghai-time.js';

/**
 * Which days a digest covers, and which instants it counts. Pure (the clock is an argument) so a
 * table of cases pins it down; `DigestService.resolveRange` and `compute` call it.
 *
 * Asking for days:
 * - `period=last-week` (the default when nothing is given): the last complete Monday–Sunday
 *   week, Asia/Shanghai. On a Tuesday that is the week before this one.
 * - `period=this-week`: this week so far, Monday 00:00 Shanghai up to now. It answers with
 *   `to` = this Sunday and the counted end clamped to now, like any period reaching past now.
 * - `from` and/or `to` (inclusive Shanghai days): both; one alone means the seven days from or
 *   up to it. `period` together with `from`/`to` is a 400 naming `period`: one question at a time.
 * - A day must be real and in the years FIRST_YEAR–LAST_YEAR ('9999-12-31' is a 400 naming the
 *   field, never a 500); `to` before `from`, or more than MAX_DIGEST_DAYS days, is a 400 on `to`.
 *
 * The future: figures are what has happened. A period that *starts* after now has nothing to
 * count and is refused (400 naming `from`, or `to` when `from` was derived from it). A period
 * that *ends* after now is counted up to now: `periodEnd` in the answer is that instant and
 * `clampedToNow` is true, so the console can write "截至 12月1日 14:30". Without the clamp a task
 * due on Friday was counted as overdue on the Tuesday before.
 */

/** A digest covers at most this many days: a year is already a report, not a digest. */
export const MAX_DIGEST_DAYS = 366;

export const DIGEST_PERIODS = ['last-week', 'this-week'] as const;
export type DigestPeriodName = (typeof DIGEST_PERIODS)[number];

export interface DigestDaysQuery {
  from?: string;
  to?: string;
  period?: string;
}

/** Inclusive Shanghai days, as asked (`to` may lie in the future). */
export interface DigestDays {
  from: string;
  to: string;
}

/** The instants counted, [start, end), and whether `end` was cut back to now. */
export interface CountedPeriod {
  start: Date;
  end: Date;
  clampedToNow: boolean;
}

const DATE_MESSAGE = `a real date YYYY-MM-DD from ${FIRST_YEAR} to ${LAST_YEAR}`;

/** The days a request asks for; every refusal is a 400 naming the field to fix. */
export function resolveDigestDays(q: DigestDaysQuery, now: Date): DigestDays {
  const { from, to, period } = q;
  if (period !== undefined) {
    if (!(DIGEST_PERIODS as readonly string[]).includes(period)) {
      throw invalidField('period', `period must be one of ${DIGEST_PERIODS.join(', ')}`, 'isIn');
    }
    if (from !== undefined || to !== undefined) {
      throw invalidField('period', 'give either period or from/to, not both', 'exclusive');
    }
  }
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value !== undefined && !isCalendarDate(value)) {
      throw invalidField(field, `${field} must be ${DATE_MESSAGE}`, 'isDate');
    }
  }
  let days: DigestDays;
  if (period === 'this-week') {
    const monday = mondayOf(shanghaiDate(now));
    days = { from: monday, to: addDays(monday, 6) };
  } else if (from && to) days = { from, to };
  else if (from) days = { from, to: addDays(from, 6) };
  else if (to) days = { from: addDays(to, -6), to };
  else days = lastFullWeek(now);

  const length = daysBetween(days.from, days.to) + 1;
  if (length < 1) throw invalidField('to', 'to must not be before from', 'afterFrom');
  if (length > MAX_DIGEST_DAYS) {
    throw invalidField('to', `a digest covers at most ${MAX_DIGEST_DAYS} days`, 'maxRange');
  }
  if (dayRange(days.from, days.from).start > now) {
    // Named after what the client wrote: `to` alone stands for the seven days up to it.
    const field = from === undefined && to !== undefined ? 'to' : 'from';
    throw invalidField(
      field,
      `the period must not start in the future (${days.from} has not begun)`,
      'notFuture',
    );
  }
  return days;
}

/** The instants the figures count for inclusive days: [from 00:00, min(to + 1 00:00, now)). */
export function countedPeriod(days: DigestDays, now: Date): CountedPeriod {
  const { start, end } = dayRange(days.from, days.to);
  if (end <= now) return { start, end, clampedToNow: false };
  // A start after now is refused by resolveDigestDays; should one get here, the period is empty.
  return { start, end: now < start ? start : now, clampedToNow: true };
}
