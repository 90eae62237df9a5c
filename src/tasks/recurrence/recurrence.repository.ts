import { type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Tasks } from '../../database/db.generated.js';
import type { DB, Db } from '../../database/kysely.js';
import { prepared } from '../../database/prepared.js';
import { boundsAround, inBounds, type Bounds } from '../field/field.repository.js';
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
  const window = { categoryId: q.categoryId, closedSince: q.closedSince, closedBy: q.closedBy };
  const box = q.point ? boundsAround(q.point, q.radiusM) : null;
  const rows =
    box && q.siteId
      ? await nearOrAtSite(db, { ...window, ...box, siteId: q.siteId })
      : box
        ? await near(db, { ...window, ...box })
        : await atSite(db, { ...window, siteId: q.siteId as string });
  return rows.map(toCandidate);
}

/**
 * A candidate's columns, as the statements here and the import's batch (batch-recurrence.ts)
 * select them.
 */
export interface CandidateColumns {
  id: string;
  category_id: string;
  status: string;
  site_id: string | null;
  lat: number | null;
  lng: number | null;
  closed_at: Date | null;
  unit_id: string | null;
}

/** A closed task's row as the pure rule (recurrence-rule.ts) takes it, with its unit. */
export function toCandidate(r: CandidateColumns): RecurrenceCandidateRow {
  return {
    id: r.id,
    categoryId: r.category_id,
    status: r.status as TaskStatus,
    siteId: r.site_id,
    position: r.lat !== null && r.lng !== null ? { lat: r.lat, lng: r.lng } : null,
    closedAt: r.closed_at,
    unitId: r.unit_id,
  };
}

interface CandidateWindow extends Record<string, unknown> {
  categoryId: string;
  closedSince: Date;
  closedBy: Date;
}

function candidates(db: Db, p: CandidateWindow, near: (eb: CandidateEb) => Expression<SqlBool>) {
  return db
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
    .where('t.category_id', '=', p.categoryId)
    .where('t.status', '=', 'closed')
    .where('t.closed_at', '>=', p.closedSince)
    .where('t.closed_at', '<=', p.closedBy)
    .where(near)
    .orderBy('t.closed_at', 'desc')
    .orderBy('t.id')
    .limit(CANDIDATE_LIMIT);
}

type CandidateEb = ExpressionBuilder<DB & { t: Tasks }, 't'>;

const inBox = (eb: CandidateEb, b: Bounds) => eb.and([eb('t.lat', 'is not', null), inBounds(b)]);

// Three statements, one per what the new problem has: a position, a 点位, or both. Planned for
// each run's values (`planEachRun`): a generic plan of the box and the closing window was seen
// to take 30–100 ms a run instead of a few at 1 M tasks (the bench's create scenario).
const near = prepared(
  (db, p: CandidateWindow & Bounds) => candidates(db, p, (eb) => inBox(eb, p)),
  { planEachRun: true },
);

const atSite = prepared(
  (db, p: CandidateWindow & { siteId: string }) =>
    candidates(db, p, (eb) => eb('t.site_id', '=', p.siteId)),
  { planEachRun: true },
);

const nearOrAtSite = prepared(
  (db, p: CandidateWindow & Bounds & { siteId: string }) =>
    candidates(db, p, (eb) => eb.or([inBox(eb, p), eb('t.site_id', '=', p.siteId)])),
  { planEachRun: true },
);
