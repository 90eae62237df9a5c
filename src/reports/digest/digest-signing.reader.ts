import { sql } from 'kysely';
import type { Db } from '../../database/kysely.js';

/**
 * 签收 in the digest, per unit (only where 签收 is required; AcknowledgementPolicy):
 * - assigned: tasks that came to the unit in [S, E) — 派遣 / 改派 (`unit_assigned_at`), or
 *   created with it — not cancelled, whose 签收时限 has passed by now or that are signed: a task
 *   still inside its time to sign is not yet counted either way;
 * - signedInTime: of those, signed within ACK_LIMIT_HOURS (plain hours);
 * - signingRate: signedInTime ÷ assigned, 0–1 to 4 decimals like the digest's rates (null with none);
 * - medianHoursToSign: median of the hours from getting the task to signing it, over the signed
 *   ones (null with none), to 0.1 h.
 * Like the rest of the digest it reads the rows as they are now: a task reassigned since counts
 * for its new unit, in the period of its new assignment.
 */
export interface UnitSigning {
  assigned: number;
  signedInTime: number;
  signingRate: number | null;
  medianHoursToSign: number | null;
}

interface SigningRow {
  unit_id: string;
  assigned: number;
  signed_in_time: number;
  median_hours: number | null;
}

export async function readUnitSigning(
  db: Db,
  s: { start: Date; end: Date; now: Date; limitHours: number },
): Promise<Map<string, UnitSigning>> {
  const limit = sql`make_interval(hours => ${s.limitHours})`;
  const { rows } = await sql<SigningRow>`
    WITH given AS (
      SELECT t.unit_id, t.acknowledged_at, COALESCE(t.unit_assigned_at, t.created_at) AS given_at
        FROM tasks t
       WHERE t.unit_id IS NOT NULL AND t.status <> 'cancelled'
    )
    SELECT unit_id::text AS unit_id,
           count(*)::int AS assigned,
           count(*) FILTER (WHERE acknowledged_at <= given_at + ${limit})::int AS signed_in_time,
           percentile_cont(0.5) WITHIN GROUP (
             ORDER BY extract(epoch FROM acknowledged_at - given_at) / 3600
           ) FILTER (WHERE acknowledged_at IS NOT NULL) AS median_hours
      FROM given
     WHERE given_at >= ${s.start} AND given_at < ${s.end}
       AND (acknowledged_at IS NOT NULL OR given_at + ${limit} <= ${s.now})
     GROUP BY unit_id`.execute(db);
  return new Map(
    rows.map((r) => [
      r.unit_id,
      {
        assigned: r.assigned,
        signedInTime: r.signed_in_time,
        signingRate: r.assigned
          ? Math.round((r.signed_in_time / r.assigned) * 10_000) / 10_000
          : null,
        medianHoursToSign:
          r.median_hours === null ? null : Math.round(Number(r.median_hours) * 10) / 10,
      },
    ]),
  );
}

/** A unit with nothing to sign in the period. */
export const NO_SIGNING: UnitSigning = {
  assigned: 0,
  signedInTime: 0,
  signingRate: null,
  medianHoursToSign: null,
};
