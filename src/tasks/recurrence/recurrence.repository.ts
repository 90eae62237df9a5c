import type { Db } from '../../database/kysely.js';
import { boxAround } from '../field/field.repository.js';
import type { TaskStatus } from '../task-lifecycle.js';
import type { Position, RecurrenceCandidate } from './recurrence-rule.js';

/** How many closed tasks the rule chooses among: the latest closed first. */
const CANDIDATE_LIMIT = 50;

export interface RecurrenceCandidateRow extends RecurrenceCandidate {
  unitId: string | null;
}

/**
 * Closed tasks of one category that may be the one a new problem repeats: closed in
 * [closedSince, closedBy], and near the point (the bounding box of the radius, on the partial
 * index `ix_tasks_closed_category_position`) or at the same site (`ix_tasks_closed_category_site`).
 * The exact distance and the choice are the pure rule's (recurrence-rule.ts).
 */
export async function closedTasksNear(
  db: Db,
  q: {
    categoryId: string;
    siteId: string | null;
    point: Position | null;
    radiusM: number;
    closedSince: Date;
    closedBy: Date;
  },
): Promise<RecurrenceCandidateRow[]> {
  if (!q.point && !q.siteId) return [];
  const { point, siteId } = q;
  const rows = await db
    .selectFrom('tasks as t')
    .select([
      't.id',
      't.category_id',
      't.status',
      't.site_id',
      't.lat',
      't.lng',
      't.closed_at',
      't.unit_id',
    ])
    .where('t.category_id', '=', q.categoryId)
    .where('t.status', '=', 'closed')
    .where('t.closed_at', '>=', q.closedSince)
    .where('t.closed_at', '<=', q.closedBy)
    .where((eb) => {
      const near: ReturnType<typeof eb.and>[] = [];
      if (point) near.push(eb.and([eb('t.lat', 'is not', null), boxAround(point, q.radiusM)]));
      if (siteId) near.push(eb.and([eb('t.site_id', '=', siteId)]));
      return eb.or(near);
    })
    .orderBy('t.closed_at', 'desc')
    .orderBy('t.id')
    .limit(CANDIDATE_LIMIT)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    categoryId: r.category_id,
    status: r.status as TaskStatus,
    siteId: r.site_id,
    position: r.lat !== null && r.lng !== null ? { lat: r.lat, lng: r.lng } : null,
    closedAt: r.closed_at,
    unitId: r.unit_id,
  }));
}
