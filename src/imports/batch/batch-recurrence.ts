import { sql } from 'kysely';
import type { Db } from '../../database/kysely.js';
import { findRecurrence, type RecurrenceProbe } from '../../tasks/recurrence/recurrence-rule.js';
import {
  toCandidate,
  type CandidateColumns,
  type RecurrenceCandidateRow,
} from '../../tasks/recurrence/recurrence.repository.js';
import type { FoundRecurrence } from '../../tasks/recurrence/recurrence.service.js';

const DAY_MS = 86_400_000;
/** As recurrence.repository.ts: the latest 50 closed tasks near a probe are the candidates. */
const CANDIDATE_LIMIT = 50;
/** Metres in a degree of latitude, as `boxAround` (field.repository.ts) uses. */
const M_PER_DEG_LAT = 111_320;

export interface BatchRecurrenceProbe extends RecurrenceProbe {
  /** The category's `recurrence_radius_m`; 0 = off. */
  radiusM: number;
}

/**
 * 反弹 for a whole import at once: the same candidates `closedTasksNear` fetches for one new
 * task (closed tasks of the category, closed in [foundAt − window, foundAt], inside the bounding
 * box of the radius or at the same site, the latest 50), fetched for every probe in ONE query
 * (`unnest` of the probes, `LATERAL` per probe on the same partial indexes), and chosen by the
 * same pure rule (`findRecurrence`). Rows of the import itself are never candidates: they are
 * new, not closed — exactly as when they are created one by one.
 */
export async function findRecurrences(
  db: Db,
  probes: readonly BatchRecurrenceProbe[],
  windowDays: number,
): Promise<(FoundRecurrence | null)[]> {
  const found: (FoundRecurrence | null)[] = probes.map(() => null);
  const asked = probes
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.radiusM > 0 && (p.position !== null || p.siteId !== null));
  if (!asked.length) return found;
  const col = <T>(f: (p: BatchRecurrenceProbe) => T): T[] => asked.map(({ p }) => f(p));
  const box = (p: BatchRecurrenceProbe) => {
    if (!p.position) return null;
    const dLat = p.radiusM / M_PER_DEG_LAT;
    const cosLat = Math.cos((p.position.lat * Math.PI) / 180);
    const dLng = cosLat > 0.01 ? p.radiusM / (M_PER_DEG_LAT * cosLat) : 360;
    return { dLat, dLng, ...p.position };
  };
  const boxes = asked.map(({ p }) => box(p));
  const { rows } = await sql<CandidateColumns & { ord: number }>`
    SELECT p.ord, c.id, c.category_id, c.status, c.site_id, c.lat, c.lng, c.closed_at, c.unit_id
      FROM unnest(${asked.map((_, k) => k)}::int[], ${col((p) => p.categoryId)}::uuid[],
                  ${col((p) => p.siteId)}::uuid[],
                  ${boxes.map((b) => (b ? b.lat - b.dLat : null))}::float8[],
                  ${boxes.map((b) => (b ? b.lat + b.dLat : null))}::float8[],
                  ${boxes.map((b) => (b ? b.lng - b.dLng : null))}::float8[],
                  ${boxes.map((b) => (b ? b.lng + b.dLng : null))}::float8[],
                  ${col((p) => new Date(p.foundAt.getTime() - windowDays * DAY_MS).toISOString())}::timestamptz[],
                  ${col((p) => p.foundAt.toISOString())}::timestamptz[])
           AS p(ord, category_id, site_id, min_lat, max_lat, min_lng, max_lng, closed_since, closed_by)
     CROSS JOIN LATERAL (
       SELECT t.id, t.category_id, t.status, t.site_id, t.lat, t.lng, t.closed_at, t.unit_id
         FROM tasks t
        WHERE t.category_id = p.category_id
          AND t.status = 'closed'
          AND t.closed_at >= p.closed_since
          AND t.closed_at <= p.closed_by
          AND ((p.min_lat IS NOT NULL AND t.lat IS NOT NULL
                AND t.lat BETWEEN p.min_lat AND p.max_lat AND t.lng BETWEEN p.min_lng AND p.max_lng)
               OR (p.site_id IS NOT NULL AND t.site_id = p.site_id))
        ORDER BY t.closed_at DESC, t.id
        LIMIT ${CANDIDATE_LIMIT}) c`.execute(db);
  const candidates = new Map<number, RecurrenceCandidateRow[]>();
  for (const r of rows) {
    const list = candidates.get(r.ord) ?? [];
    list.push(toCandidate(r));
    candidates.set(r.ord, list);
  }
  asked.forEach(({ p, i }, k) => {
    const list = candidates.get(k);
    if (list) found[i] = findRecurrence(p, list, { radiusM: p.radiusM, windowDays });
  });
  return found;
}
