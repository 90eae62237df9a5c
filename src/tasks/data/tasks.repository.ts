import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Categories, Tasks } from '../../database/db.generated.js';
import type { Db } from '../../database/kysely.js';
import { prepared } from '../../database/prepared.js';

/**
 * The task rows of the aggregate. Every function takes the transaction's `Db` (see `dbOf`):
 * nothing here can read or write outside the caller's transaction by forgetting an argument.
 */

/** The task as locked for a transition: what the lifecycle and the actions decide from. */
export type LockedTask = Pick<
  Selectable<Tasks>,
  | 'id'
  | 'status'
  | 'unit_id'
  | 'category_id'
  | 'assigned_at'
  | 'deadline'
  | 'assessed_deadline'
  | 'verification_policy'
  | 'version'
  | 'lat'
  | 'lng'
  | 'acknowledged_at'
  | 'unit_assigned_at'
  | 'created_at'
> & { has_pending_extension: boolean; has_pending_dispute: boolean };

/** Columns an action may change. Status, version and updated_at are the runner's. */
export type TaskPatch = Pick<
  Updateable<Tasks>,
  | 'unit_id'
  | 'assigned_at'
  | 'deadline'
  | 'assessed_deadline'
  | 'deadline_overridden'
  | 'verification_policy'
  | 'hold_reason'
  | 'hold_review_on'
  | 'closed_at'
  | 'closed_on_time'
  | 'closed_unverified'
  | 'cancelled_at'
  | 'duplicate_of_id'
  | 'acknowledged_at'
  | 'acknowledged_by_kind'
  | 'acknowledged_by_id'
  | 'unit_assigned_at'
  | 'acknowledgement_escalated_at'
>;

/** The counters an action adds one to. */
export type TaskCounter = 'rework_count' | 'reopen_count' | 'extension_count';

/**
 * Locks one task row (FOR UPDATE OF the task only), scoped: a unit's principal finds only its
 * own unit's task, so another unit's task is not found rather than forbidden.
 */
export function lockTask(
  db: Db,
  id: string,
  onlyUnitId: string | null,
): Promise<LockedTask | undefined> {
  return onlyUnitId === null
    ? lockAnyTask.first(db, { id })
    : lockUnitTask.first(db, { id, unitId: onlyUnitId });
}

function lockedTaskRow(db: Db, id: string) {
  return db
    .selectFrom('tasks as t')
    .select((eb) => [
      't.id',
      't.status',
      't.unit_id',
      't.category_id',
      't.assigned_at',
      't.deadline',
      't.assessed_deadline',
      't.verification_policy',
      't.version',
      // The position after-photos are judged against (照片存疑, evidence-rules.ts).
      't.lat',
      't.lng',
      // 签收 (acknowledgement-policy.ts).
      't.acknowledged_at',
      't.unit_assigned_at',
      't.created_at',
      eb
        .exists(
          eb
            .selectFrom('extension_requests as x')
            .select(eb.lit(1).as('one'))
            .whereRef('x.task_id', '=', 't.id')
            .where('x.status', '=', 'pending'),
        )
        .$castTo<boolean>()
        .as('has_pending_extension'),
      eb
        .exists(
          eb
            .selectFrom('task_disputes as d')
            .select(eb.lit(1).as('one'))
            .whereRef('d.task_id', '=', 't.id')
            .where('d.status', '=', 'pending'),
        )
        .$castTo<boolean>()
        .as('has_pending_dispute'),
    ])
    .where('t.id', '=', id);
}

const lockAnyTask = prepared((db, p: { id: string }) => lockedTaskRow(db, p.id).forUpdate('t'));

const lockUnitTask = prepared((db, p: { id: string; unitId: string }) =>
  lockedTaskRow(db, p.id).where('t.unit_id', '=', p.unitId).forUpdate('t'),
);

/** Locks several task rows in id order, so two transactions never wait on each other crosswise. */
export async function lockTasksInIdOrder(db: Db, ids: string[]): Promise<void> {
  await db
    .selectFrom('tasks')
    .select('id')
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The columns a new task is written with (the others take their defaults). */
export type NewTaskRow = Required<
  Pick<
    Insertable<Tasks>,
    | 'number'
    | 'inspection_id'
    | 'category_id'
    | 'site_id'
    | 'address'
    | 'lat'
    | 'lng'
    | 'description'
    | 'unit_id'
    | 'status'
    | 'assigned_at'
    | 'deadline'
    | 'assessed_deadline'
    | 'deadline_overridden'
    | 'created_by'
    | 'found_at'
    | 'recurrence_of_id'
    | 'source'
    | 'import_batch_id'
    | 'created_at'
    | 'updated_at'
  >
>;

export async function insertTask(db: Db, row: NewTaskRow): Promise<string> {
  const [{ id }] = await taskInsert(db, row);
  return id;
}

const taskInsert = prepared((db, p: NewTaskRow) =>
  db
    .insertInto('tasks')
    .values({
      number: p.number,
      inspection_id: p.inspection_id,
      category_id: p.category_id,
      site_id: p.site_id,
      address: p.address,
      lat: p.lat,
      lng: p.lng,
      description: p.description,
      unit_id: p.unit_id,
      status: p.status,
      assigned_at: p.assigned_at,
      deadline: p.deadline,
      assessed_deadline: p.assessed_deadline,
      deadline_overridden: p.deadline_overridden,
      created_by: p.created_by,
      found_at: p.found_at,
      recurrence_of_id: p.recurrence_of_id,
      source: p.source,
      import_batch_id: p.import_batch_id,
      created_at: p.created_at,
      updated_at: p.updated_at,
    })
    .returning('id'),
);

/** Another task as a reference to it (the original of a duplicate). */
export function findTaskRef(
  db: Db,
  id: string,
): Promise<Pick<Selectable<Tasks>, 'id' | 'number' | 'status'> | undefined> {
  return db
    .selectFrom('tasks')
    .select(['id', 'number', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** What the loop needs of a task's category (read from `CategoriesService`'s kept catalog). */
export type CategoryRules = Pick<
  Selectable<Categories>,
  'deadline_rule' | 'verification_policy' | 'spot_check_ratio' | 'requires_after_photo'
>;

/** Whether an inspection exists and stands (tasks are raised under it). */
export async function inspectionStands(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('inspections')
    .select('id')
    .where('id', '=', id)
    .where('voided_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}
