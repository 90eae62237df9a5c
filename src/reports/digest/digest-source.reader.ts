import { sql } from 'kysely';
import type { Db } from '../../database/kysely.js';

/**
 * 来源 in the digest: per unit and district-wide, what each source brought in [S, E), on the
 * task rows as they are now (like digest.reader.ts, whose definitions these follow):
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

interface RawRow {
  unit_id: string | null;
  all_units: number;
  source: string;
  raised: number;
  closed: number;
  closed_on_time: number;
  open_overdue: number;
}

export async function readSourceCounts(db: Db, s: Date, e: Date): Promise<SourceCountRow[]> {
  const { rows } = await sql<RawRow>`
    WITH facts AS (
      SELECT t.unit_id, t.source,
             t.status <> 'cancelled' AND t.created_at >= ${s} AND t.created_at < ${e} AS raised,
             t.status = 'closed' AND t.closed_at >= ${s} AND t.closed_at < ${e} AS closed,
             t.closed_on_time IS TRUE AS on_time,
             t.status <> 'on_hold' AND t.assigned_at < ${e} AND t.deadline < ${e}
               AND (t.closed_at IS NULL OR t.closed_at >= ${e})
               AND (t.cancelled_at IS NULL OR t.cancelled_at >= ${e}) AS open_overdue
        FROM tasks t
       WHERE (t.created_at >= ${s} AND t.created_at < ${e})
          OR (t.closed_at >= ${s} AND t.closed_at < ${e})
          OR (t.assigned_at < ${e} AND t.deadline < ${e} AND (t.closed_at IS NULL OR t.closed_at >= ${e}))
    )
    SELECT unit_id::text AS unit_id, GROUPING(unit_id) AS all_units, source,
           count(*) FILTER (WHERE raised)::int AS raised,
           count(*) FILTER (WHERE closed)::int AS closed,
           count(*) FILTER (WHERE closed AND on_time)::int AS closed_on_time,
           count(*) FILTER (WHERE open_overdue)::int AS open_overdue
      FROM facts
     GROUP BY GROUPING SETS ((unit_id, source), (source))
     ORDER BY 2, 1, 3`.execute(db);
  return rows
    .filter((r) => r.all_units === 1 || r.unit_id !== null)
    .filter((r) => r.raised || r.closed || r.open_overdue)
    .map((r) => ({
      unitId: r.all_units === 1 ? null : r.unit_id,
      source: r.source,
      raised: r.raised,
      closed: r.closed,
      closedOnTime: r.closed_on_time,
      openOverdue: r.open_overdue,
    }));
}
