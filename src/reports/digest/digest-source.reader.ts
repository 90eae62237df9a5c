import { sql } from 'kysely';
import type { Db } from '../../database/kysely.js';

/**
 * 来源 in the digest: per unit and district-wide, what each source brought in [S, E), on the
 * task rows as they are now (like digest.reader.ts, whose definitions these follow). The
 * outcome figures (closed, closedOnTime, openOverdue) come from the main aggregate's own scan
 * (`source_counts` in digest.reader.ts); 新增 from an index range here (readRaisedCounts):
 * - raised (新增): created (立案) in [S, E), not cancelled. District-wide this includes tasks
 *   still waiting for dispatch (no unit), so the units' rows may sum to less.
 * - closed: closed in [S, E); closedOnTime: of those, closed_on_time (the accepted submission by
 *   the 考核时限).
 * - openOverdue: open at E (assigned before E, not closed or cancelled before E, not 挂账) with
 *   its working deadline before E — the digest's 超期未结.
 */
export interface SourceCountRow {
  /** The unit, or null for the district-wide row of the source. */
  unitId: string | null;
  source: string;
  raised: number;
  closed: number;
  closedOnTime: number;
  openOverdue: number;
}

/**
 * 新增 per unit and source and district-wide per source: tasks created (立案) in [S, E), not
 * cancelled — an index range on created_at. District-wide this includes tasks still waiting
 * for dispatch (no unit), so the units' rows may sum to less.
 */
export async function readRaisedCounts(
  db: Db,
  s: Date,
  e: Date,
): Promise<{ unitId: string | null; source: string; raised: number }[]> {
  const { rows } = await raisedSql(s, e).execute(db);
  return rows
    .filter((r) => r.all_units === 1 || r.unit_id !== null)
    .map((r) => ({
      unitId: r.all_units === 1 ? null : r.unit_id,
      source: r.source,
      raised: r.raised,
    }));
}

/** readRaisedCounts' statement (exported for the benchmark's raw anchor). */
export const raisedSql = (s: Date, e: Date) =>
  sql<{ unit_id: string | null; all_units: number; source: string; raised: number }>`
    SELECT unit_id::text AS unit_id, GROUPING(unit_id) AS all_units, source, count(*)::int AS raised
      FROM tasks t
     WHERE t.created_at >= ${s} AND t.created_at < ${e} AND t.status <> 'cancelled'
     GROUP BY GROUPING SETS ((unit_id, source), (source))`;
