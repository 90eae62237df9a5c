import { sql } from 'kysely';
import type { Db } from '../../database/kysely.js';

/**
 * 反弹 and 重复点位 for the digest, one SQL aggregate beside the main one (digest.reader.ts),
 * keyed the same way: 'u:<unit id>', 'c:<category id>', 'all'. The period is [S, E).
 *
 * - recurrences (反弹): tasks logged (created_at) in the period, not cancelled, that are a
 *   recurrence of an earlier closed task (`tasks.recurrence_of_id`, src/tasks/recurrence/). A
 *   unit's count is attributed to the unit that closed the earlier task — the unit whose fix did
 *   not last — not to the unit the new problem went to (usually the same). A category's and the
 *   district's count the same tasks. created_at, not found_at: a week stored on Monday must not
 *   change when a phone syncs a problem found on Sunday late.
 * - repeatLocations (重复点位): places where three or more problems of one category were logged
 *   in the period (not cancelled: a duplicate marked as such is one problem). The place is the
 *   task's 点位 (site) when it has one; else a grid cell of the category's recurrence radius
 *   (the duplicate radius where recurrence is off) — about that many metres on a side, cells
 *   aligned on whole multiples from the equator and the meridian, the longitude side widened by
 *   the cosine of the whole degree of latitude; else the address text as typed. A grid is coarse
 *   (two problems a metre apart may fall in neighbouring cells), which is the price of one
 *   GROUP BY. A unit's count is the repeat places where it holds at least one of those tasks; a
 *   category's and the district's count each (category, place) once.
 */

export interface RecurrenceCountRow {
  key: string;
  recurrences: number;
  repeatLocations: number;
}

/** Problems of one category at one place in a period from which a place is a 重复点位. */
export const REPEAT_LOCATION_MIN = 3;

const M_PER_DEG = 111_320;

export async function readRecurrenceCounts(
  db: Db,
  s: Date,
  e: Date,
): Promise<RecurrenceCountRow[]> {
  const { rows } = await sql<{ key: string; recurrences: number; repeat_locations: number }>`
WITH logged AS (
  SELECT t.id, t.unit_id, t.category_id, t.recurrence_of_id,
         CASE
           WHEN t.site_id IS NOT NULL THEN 's:' || t.site_id::text
           WHEN t.lat IS NOT NULL AND t.lng IS NOT NULL THEN 'g:' ||
             floor(t.lat / (cell.m / ${M_PER_DEG}::float8))::bigint::text || ':' ||
             floor(t.lng / (cell.m / (${M_PER_DEG}::float8
               * greatest(cos(radians(round(t.lat::numeric)::float8)), 0.01))))::bigint::text
           ELSE 'a:' || coalesce(t.address, '')
         END AS place
    FROM tasks t
    JOIN categories c ON c.id = t.category_id
    CROSS JOIN LATERAL (SELECT greatest(CASE WHEN c.recurrence_radius_m > 0
                                             THEN c.recurrence_radius_m
                                             ELSE c.duplicate_radius_m END, 1)::float8 AS m) cell
   WHERE t.created_at >= ${s} AND t.created_at < ${e} AND t.status <> 'cancelled'
),
recurrences AS (
  SELECT earlier.unit_id, l.category_id
    FROM logged l
    JOIN tasks earlier ON earlier.id = l.recurrence_of_id
),
repeat_places AS (
  SELECT category_id, place FROM logged
   GROUP BY category_id, place HAVING count(*) >= ${REPEAT_LOCATION_MIN}
),
counts AS (
  SELECT 'u:' || unit_id::text AS key, count(*)::int AS recurrences, 0 AS repeat_locations
    FROM recurrences WHERE unit_id IS NOT NULL GROUP BY unit_id
  UNION ALL
  SELECT 'c:' || category_id::text, count(*)::int, 0 FROM recurrences GROUP BY category_id
  UNION ALL
  SELECT 'all', count(*)::int, 0 FROM recurrences
  UNION ALL
  SELECT 'u:' || unit_id::text, 0, count(DISTINCT (category_id, place))::int
    FROM logged l JOIN repeat_places r USING (category_id, place)
   WHERE l.unit_id IS NOT NULL GROUP BY l.unit_id
  UNION ALL
  SELECT 'c:' || category_id::text, 0, count(*)::int FROM repeat_places GROUP BY category_id
  UNION ALL
  SELECT 'all', 0, count(*)::int FROM repeat_places
)
SELECT key, sum(recurrences)::int AS recurrences, sum(repeat_locations)::int AS repeat_locations
  FROM counts GROUP BY key HAVING sum(recurrences) > 0 OR sum(repeat_locations) > 0
 ORDER BY key`.execute(db);
  return rows.map((r) => ({
    key: r.key,
    recurrences: r.recurrences,
    repeatLocations: r.repeat_locations,
  }));
}
