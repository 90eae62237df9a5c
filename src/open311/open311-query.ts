import { invalidField } from '../common/errors/domain-error.js';
import { parseInstantOrNull } from '../common/time/iso-time.js';
import type { Open311Status } from './open311-mapping.js';

/** The spec's window: a search may span at most 90 days; without dates, the most recent 90. */
export const MAX_WINDOW_MS = 90 * 24 * 3_600_000;
/** The spec's default response volume: the first 1000 requests. */
export const MAX_RESULTS = 1000;
/** How many ids or codes one list parameter may hold. */
const MAX_LIST = 200;
const ID_OR_CODE = /^[A-Za-z0-9_-]{1,50}$/;

export interface Window {
  start: Date;
  end: Date;
}

export interface RequestsFilter {
  /** Given: the spec's "overrides all other arguments" (no window, no other filter). */
  ids?: string[];
  serviceCodes?: string[];
  statuses?: Open311Status[];
  window: Window;
}

type RawQuery = Record<string, unknown>;

/** `a,b` or `?x=a&x=b` (the spec: "can be declared multiple times, comma delimited"). */
function listOf(query: RawQuery, field: string): string[] | undefined {
  const raw = query[field];
  if (raw === undefined || raw === '') return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) =>
    typeof v === 'string' ? v.split(',') : [v],
  );
  const values = parts.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
  if (!values.length) return undefined;
  if (values.length > MAX_LIST) throw invalidField(field, `最多 ${MAX_LIST} 个值`, 'maxItems');
  for (const v of values) {
    if (typeof v !== 'string' || !ID_OR_CODE.test(v)) {
      throw invalidField(field, '只能是以逗号分隔的编号（字母、数字、- 和 _）', 'format');
    }
  }
  return [...new Set(values as string[])];
}

function single(query: RawQuery, field: string): string | undefined {
  const raw = query[field];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw invalidField(field, '只能出现一次', 'single');
  return raw.trim();
}

function instant(query: RawQuery, field: string): Date | undefined {
  const raw = single(query, field);
  if (raw === undefined) return undefined;
  const at = parseInstantOrNull(raw);
  if (!at) {
    throw invalidField(field, '须为 W3C 日期时间，如 2026-11-01T00:00:00+08:00', 'w3cDatetime');
  }
  return at;
}

/**
 * `start_date` / `end_date` as the spec reads them: both absent, the most recent 90 days; one
 * given, the 90 days from or up to it; the span may not exceed 90 days.
 */
export function parseWindow(query: RawQuery, now: Date): Window {
  const start = instant(query, 'start_date');
  const end = instant(query, 'end_date');
  const to = end ?? (start ? new Date(start.getTime() + MAX_WINDOW_MS) : now);
  const from = start ?? new Date(to.getTime() - MAX_WINDOW_MS);
  if (from.getTime() > to.getTime()) throw invalidField('end_date', '不能早于 start_date', 'order');
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS) {
    throw invalidField('end_date', '查询时间范围不能超过 90 天', 'maxSpan');
  }
  return { start: from, end: to };
}

/** GET requests' filters, checked; a bad value is a 400 naming the parameter. */
export function parseRequestsQuery(query: RawQuery, now: Date): RequestsFilter {
  const ids = listOf(query, 'service_request_id');
  const serviceCodes = listOf(query, 'service_code');
  const statuses = listOf(query, 'status');
  for (const s of statuses ?? []) {
    if (s !== 'open' && s !== 'closed') {
      throw invalidField('status', '只能是 open 或 closed（可用逗号分隔）', 'isIn');
    }
  }
  const window = parseWindow(query, now);
  if (ids) return { ids, window };
  return { serviceCodes, statuses: statuses as Open311Status[] | undefined, window };
}
