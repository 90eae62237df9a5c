import type { WorkingCalendar } from './working-calendar.js';
import { fromOfficeClock, officeClock } from '../../common/time/office-zone.js';

/**
 * A category's 整改时限: 立行立改 (24 hours on the wall clock), N 工作时 (hours counted inside
 * office hours on working days) or N 工作日 (working days, due at the close of the last one).
 */
export type DeadlineRule =
  | { kind: 'immediate' }
  | { kind: 'work_hours'; hours: number }
  | { kind: 'work_days'; days: number };

/** Office hours as HH:MM in Asia/Shanghai, e.g. morning ['09:00', '12:00']. */
export interface WorkingHours {
  morning: [string, string];
  afternoon: [string, string];
}

export const DEFAULT_WORKING_HOURS: WorkingHours = {
  morning: ['09:00', '12:00'],
  afternoon: ['13:30', '17:30'],
};

/**
 * About a year of working time. A longer 时限 is a typo in configuration or really a case for
 * 挂账; the bound also keeps the day-by-day counting loops short.
 */
export const MAX_WORK_DAYS = 250;
export const MAX_WORK_HOURS = 2000;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const IMMEDIATE_LABEL = '立行立改';

export function isDeadlineRule(x: unknown): x is DeadlineRule {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const keys = Object.keys(x).sort().join(',');
  const r = x as Record<string, unknown>;
  switch (r.kind) {
    case 'immediate':
      return keys === 'kind';
    case 'work_hours':
      return keys === 'hours,kind' && isCount(r.hours, MAX_WORK_HOURS);
    case 'work_days':
      return keys === 'days,kind' && isCount(r.days, MAX_WORK_DAYS);
    default:
      return false;
  }
}

function isCount(value: unknown, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;
}

/** The label the office writes: '立行立改', '3个工作日', '5个工作时'. */
export function describeRule(rule: DeadlineRule): string {
  switch (rule.kind) {
    case 'immediate':
      return IMMEDIATE_LABEL;
    case 'work_hours':
      return `${rule.hours}个工作时`;
    case 'work_days':
      return `${rule.days}个工作日`;
  }
}

const RULE_TEXT = /^(\d+)\s*个?\s*(工作日|工作时)$/;

/**
 * Reads a 时限 as people type it in a spreadsheet or a form: '立行立改', '1 工作日', '3个工作日',
 * '5工作时'. Full-width digits (３) are accepted because Chinese input methods produce them.
 */
export function parseDeadlineRule(text: string): DeadlineRule {
  const normalised = text
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (normalised === IMMEDIATE_LABEL) return { kind: 'immediate' };
  const m = RULE_TEXT.exec(normalised);
  const rule: unknown = m
    ? m[2] === '工作日'
      ? { kind: 'work_days', days: Number(m[1]) }
      : { kind: 'work_hours', hours: Number(m[1]) }
    : undefined;
  if (!isDeadlineRule(rule)) {
    throw new RangeError(
      `unrecognised deadline rule ${JSON.stringify(text)}: expected 立行立改, "N 工作日" ` +
        `(1–${MAX_WORK_DAYS}) or "N 工作时" (1–${MAX_WORK_HOURS})`,
    );
  }
  return rule;
}

type Period = readonly [startMinute: number, endMinute: number];

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minuteOfDay(value: string, field: string): number {
  const m = CLOCK.exec(value);
  if (!m)
    throw new RangeError(`working hours: ${field} must be HH:MM, got ${JSON.stringify(value)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function workingPeriods(hours: WorkingHours): readonly Period[] {
  const ms = minuteOfDay(hours.morning[0], 'morning start');
  const me = minuteOfDay(hours.morning[1], 'morning end');
  const as = minuteOfDay(hours.afternoon[0], 'afternoon start');
  const ae = minuteOfDay(hours.afternoon[1], 'afternoon end');
  if (!(ms < me && me <= as && as < ae)) {
    throw new RangeError(
      `working hours must run morning start < morning end <= afternoon start < afternoon end, ` +
        `got ${hours.morning.join('–')} and ${hours.afternoon.join('–')}`,
    );
  }
  return [
    [ms, me],
    [as, ae],
  ];
}

/** Milliseconds since the epoch as read on a Beijing wall clock. */
function toLocalMs(instant: Date): number {
  return officeClock(instant).getTime();
}

function fromLocalMs(localMs: number): Date {
  return fromOfficeClock(localMs);
}

function localMidnight(localMs: number): number {
  return Math.floor(localMs / DAY_MS) * DAY_MS;
}

function localDateOf(localMidnightMs: number): string {
  return new Date(localMidnightMs).toISOString().slice(0, 10);
}

/**
 * When a task raised at `start` is due, as a UTC instant.
 *
 * - immediate: start + 24 h, holidays or not (立行立改 means now).
 * - work_days N: the close of the afternoon on the Nth working day after the start day; the
 *   start day never counts, whatever the hour, so a unit always gets N full days.
 * - work_hours N: N hours of office time from `start`; time outside the two periods, on
 *   weekends and on holidays does not count.
 */
export function computeDeadline(
  start: Date,
  rule: DeadlineRule,
  calendar: WorkingCalendar,
  hours: WorkingHours,
): Date {
  if (Number.isNaN(start.getTime()))
    throw new RangeError('computeDeadline: start is not a valid date');
  if (!isDeadlineRule(rule)) {
    throw new RangeError(`computeDeadline: invalid rule ${JSON.stringify(rule)}`);
  }
  // Validated even for 立行立改 so a broken configuration fails on the first task, not the
  // first task of another category.
  const periods = workingPeriods(hours);
  switch (rule.kind) {
    case 'immediate':
      return new Date(start.getTime() + DAY_MS);
    case 'work_days':
      return addWorkDays(start, rule.days, calendar, periods);
    case 'work_hours':
      return addWorkHours(start, rule.hours, calendar, periods);
  }
}

function addWorkDays(
  start: Date,
  days: number,
  calendar: WorkingCalendar,
  periods: readonly Period[],
): Date {
  let day = localMidnight(toLocalMs(start));
  let counted = 0;
  while (counted < days) {
    day += DAY_MS;
    if (calendar.isWorkday(localDateOf(day))) counted += 1;
  }
  const closing = periods[periods.length - 1][1];
  return fromLocalMs(day + closing * MINUTE_MS);
}

function addWorkHours(
  start: Date,
  hours: number,
  calendar: WorkingCalendar,
  periods: readonly Period[],
): Date {
  const from = toLocalMs(start);
  let remaining = hours * HOUR_MS;
  for (let day = localMidnight(from); ; day += DAY_MS) {
    if (!calendar.isWorkday(localDateOf(day))) continue;
    for (const [startMinute, endMinute] of periods) {
      const periodEnd = day + endMinute * MINUTE_MS;
      const begin = Math.max(from, day + startMinute * MINUTE_MS);
      if (begin >= periodEnd) continue;
      // `<=` so that work finishing exactly at 12:00 is due at 12:00, not at 13:30.
      if (remaining <= periodEnd - begin) return fromLocalMs(begin + remaining);
      remaining -= periodEnd - begin;
    }
  }
}
