import { sql } from 'kysely';
import type { Db } from '../../database/kysely.js';

/** An assigned task escalated because its unit has not signed for it in time (超时未签收). */
export interface UnsignedOverdueRow {
  id: string;
  number: string;
  unit_id: string;
  unit_name: string;
}

/**
 * Marks, once per assignment, the assigned tasks whose unit has not signed for them within
 * `limitHours` of getting them, and returns them. The mark (`acknowledgement_escalated_at`) is
 * cleared by a new 派遣 / 改派, so a second scan — or one beside it on another worker, which
 * waits on the row locks and then finds the mark — returns nothing new.
 */
export function markUnsignedOverdue(
  db: Db,
  s: { now: Date; limitHours: number },
): Promise<UnsignedOverdueRow[]> {
  return db
    .updateTable('tasks as t')
    .from('units as u')
    .set({ acknowledgement_escalated_at: s.now })
    .whereRef('u.id', '=', 't.unit_id')
    .where('t.status', '=', sql.lit('assigned'))
    .where('t.acknowledged_at', 'is', null)
    .where('t.acknowledgement_escalated_at', 'is', null)
    .where(
      sql<boolean>`COALESCE(t.unit_assigned_at, t.created_at) + make_interval(hours => ${s.limitHours}) < ${s.now}`,
    )
    .returning(['t.id', 't.number', 'u.id as unit_id', 'u.name as unit_name'])
    .execute();
}
