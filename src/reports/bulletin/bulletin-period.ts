import { invalidField } from '../../common/errors/domain-error.js';
import { invalidPeriod } from '../report-errors.js';
import { addDays, parseBound, shanghaiDate, shanghaiMidnight } from '../shanghai-time.js';

/** An issue covers at most this many days; more is a mistake, not a 快报. */
export const MAX_BULLETIN_PERIOD_DAYS = 366;

const DAY_MS = 86_400_000;

export interface PeriodInput {
  periodStart?: string;
  periodEnd?: string;
}

function bound(value: string, as: 'start' | 'end', field: string): Date {
  const parsed = parseBound(value, as);
  if (!parsed) {
    throw invalidField(
      field,
      `${field} must be a date YYYY-MM-DD or an ISO 8601 instant with offset`,
      'isDateOrInstant',
    );
  }
  return parsed;
}

/**
 * The half-open period [start, end) a new issue covers.
 *
 * - end: `periodEnd` when given (a day is inclusive: its next midnight), else the end of today
 *   (the next Shanghai midnight). Not "now": inspections are dated by day and a day belongs to
 *   the period only when the period reaches its end (bulletin-facts.reader.ts), so a period
 *   ending at 15:00 today left today's inspections out of the issue drafted today.
 * - start: `periodStart` when given (a day: its midnight); else the last issue's end, so
 *   consecutive issues cover time without gap or overlap; else, for the very first issue, the
 *   7 Shanghai days ending with the day `end` falls in, from midnight (end − 1 ms, so an end at
 *   exactly midnight closes the previous day).
 *
 * Throws a 400 naming the field for a bad or reversed bound or an end after today, and a 422 INVALID_PERIOD when the
 * default period is empty (the last issue already reaches now) or too long.
 */
export function resolveBulletinPeriod(
  input: PeriodInput,
  lastEnd: Date | null,
  now: Date,
): { start: Date; end: Date } {
  const end =
    input.periodEnd !== undefined
      ? bound(input.periodEnd, 'end', 'periodEnd')
      : shanghaiMidnight(addDays(shanghaiDate(now), 1));
  // A 快报 reports what happened: the period may run to the end of today (`periodEnd` = today,
  // inclusive), no further. A later end would also hold back every default draft, which starts
  // at the last issue's end, until that moment.
  if (end > shanghaiMidnight(addDays(shanghaiDate(now), 1))) {
    throw invalidField('periodEnd', 'periodEnd must not be after today', 'notFuture');
  }
  const start =
    input.periodStart !== undefined
      ? bound(input.periodStart, 'start', 'periodStart')
      : (lastEnd ?? shanghaiMidnight(addDays(shanghaiDate(new Date(end.getTime() - 1)), -6)));
  if (start >= end) {
    if (input.periodEnd !== undefined) {
      throw invalidField(
        'periodEnd',
        'periodEnd must be after the start of the period',
        'afterStart',
      );
    }
    if (input.periodStart !== undefined) {
      throw invalidField(
        'periodStart',
        'periodStart must be before the end of the period',
        'beforeEnd',
      );
    }
    throw invalidPeriod(
      `上一期快报的时段截至 ${start.toISOString()}，至今没有新的时段；请指定 periodStart/periodEnd`,
    );
  }
  if (end.getTime() - start.getTime() > MAX_BULLETIN_PERIOD_DAYS * DAY_MS) {
    if (input.periodStart !== undefined || input.periodEnd !== undefined) {
      throw invalidField(
        input.periodStart !== undefined ? 'periodStart' : 'periodEnd',
        `a period covers at most ${MAX_BULLETIN_PERIOD_DAYS} days`,
        'maxRange',
      );
    }
    throw invalidPeriod(
      `距上一期快报已超过 ${MAX_BULLETIN_PERIOD_DAYS} 天；请指定 periodStart/periodEnd`,
    );
  }
  return { start, end };
}

/**
 * The new period of a draft whose period the office changes: each bound given replaces the
 * draft's, the other stays. Same rules as a new issue's bounds (a day, or an instant with
 * offset; the end not after today; start before end; at most MAX_BULLETIN_PERIOD_DAYS), each
 * a 400 naming the field. Overlap with other issues is checked by the service, under its lock.
 */
export function resolvePeriodChange(
  input: PeriodInput,
  current: { start: Date; end: Date },
  now: Date,
): { start: Date; end: Date } {
  const start =
    input.periodStart !== undefined
      ? bound(input.periodStart, 'start', 'periodStart')
      : current.start;
  const end =
    input.periodEnd !== undefined ? bound(input.periodEnd, 'end', 'periodEnd') : current.end;
  if (input.periodEnd !== undefined && end > shanghaiMidnight(addDays(shanghaiDate(now), 1))) {
    throw invalidField('periodEnd', 'periodEnd must not be after today', 'notFuture');
  }
  if (start >= end) {
    const field = input.periodEnd !== undefined ? 'periodEnd' : 'periodStart';
    throw invalidField(field, 'the period must start before it ends', 'startBeforeEnd');
  }
  if (end.getTime() - start.getTime() > MAX_BULLETIN_PERIOD_DAYS * DAY_MS) {
    throw invalidField(
      input.periodStart !== undefined ? 'periodStart' : 'periodEnd',
      `a period covers at most ${MAX_BULLETIN_PERIOD_DAYS} days`,
      'maxRange',
    );
  }
  return { start, end };
}
