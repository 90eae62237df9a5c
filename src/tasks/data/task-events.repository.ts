import { sql, type Selectable } from 'kysely';
import type { TaskAttachments, TaskEvents, Tasks } from '../../database/db.generated.js';
import type { Db } from '../../database/kysely.js';
import { prepared } from '../../database/prepared.js';
import type { Principal } from '../../common/auth/principal.js';
import type { TaskStatus } from '../task-lifecycle.js';
import type { TaskCounter, TaskPatch } from './tasks.repository.js';

/** One entry of the audit trail (留痕), as written. */
export interface TaskEventInput {
  taskId: string;
  action: string;
  from: TaskStatus | null;
  to: TaskStatus;
  actor: Principal | null;
  note?: string | null;
  data?: Record<string, unknown>;
  /** Photos attached with this event, and the role they play on the task. */
  photos?: { ids: string[]; role: Selectable<TaskAttachments>['role'] };
}

/** A change of the task row written with its event (see `recordTaskEvent`). */
export interface TaskChange {
  patch: TaskPatch;
  status: Tasks['status'];
  increment?: TaskCounter;
  now: Date;
}

/**
 * One statement (speed, issue 15: it was three to five round trips): the task's change if any
 * (its patch, counter, new status, `version + 1`), the event, the outbox row that tells the
 * workers of it (`{ eventId, taskId }` on `outboxTopic`, as `writeOutbox` writes it), and the
 * links of the event's photos. Data-modifying CTEs all run to completion whether or not the final
 * SELECT reads them. Returns the event's id.
 *
 * An event that links photos also records each original's SHA-256 (`data.photoSha256`, in the
 * order given), read in the same statement: whatever copy of a photo is shown later, the trail
 * names the very bytes.
 *
 * The statement is prepared once per shape (`EventShape`: whether photos are linked, which task
 * columns change, which counter goes up) — a few dozen shapes at most, one per action's patch.
 */
export async function recordTaskEvent(
  db: Db,
  e: TaskEventInput,
  outboxTopic: string,
  change?: TaskChange,
): Promise<string> {
  const photoIds = e.photos?.ids ?? [];
  // Kysely leaves a column set to `undefined` out of the SET list: so does the shape.
  const patch = change
    ? (Object.entries(change.patch) as [keyof TaskPatch, unknown][]).filter(
        ([, v]) => v !== undefined,
      )
    : [];
  const shape: EventShape = {
    photos: photoIds.length > 0,
    change: change ? { columns: patch.map(([k]) => k), increment: change.increment ?? null } : null,
  };
  const values: EventValues = {
    taskId: e.taskId,
    action: e.action,
    from: e.from,
    to: e.to,
    actorKind: e.actor?.kind ?? 'system',
    actorId: e.actor?.id ?? null,
    actorName: e.actor?.displayName ?? '系统',
    actorRole: e.actor?.role ?? null,
    note: e.note ?? null,
    // jsonb: sent as JSON text, so that pg does not take an array in it for a Postgres array.
    data: JSON.stringify(e.data ?? {}),
    photoIds,
    role: e.photos?.role ?? 'before',
    outboxTopic,
    status: change?.status ?? e.to,
    now: change?.now,
    // The new values of the changed columns, one parameter each (`set:<column>`).
    ...Object.fromEntries(patch.map(([column, v]) => [`set:${column}`, v])),
  };
  const [row] = await eventStatement(shape)(db, values);
  return row.id;
}

interface EventShape {
  photos: boolean;
  change: { columns: (keyof TaskPatch)[]; increment: TaskCounter | null } | null;
}

interface EventValues extends Record<string, unknown> {
  taskId: string;
  action: string;
  from: TaskStatus | null;
  to: TaskStatus;
  actorKind: string;
  actorId: string | null;
  actorName: string;
  actorRole: string | null;
  note: string | null;
  data: string;
  photoIds: string[];
  role: Selectable<TaskAttachments>['role'];
  outboxTopic: string;
  status: Tasks['status'];
  /** When the task changed (set with `change` only). */
  now?: Date;
}

const eventStatements = new Map<string, ReturnType<typeof prepareEvent>>();

function eventStatement(shape: EventShape) {
  const key = JSON.stringify(shape);
  let statement = eventStatements.get(key);
  if (!statement) {
    statement = prepareEvent(shape);
    eventStatements.set(key, statement);
  }
  return statement;
}

function prepareEvent(shape: EventShape) {
  return prepared((db, p: EventValues) => {
    const withEvent = db
      .with('e', (qc) =>
        qc
          .insertInto('task_events')
          .values({
            task_id: p.taskId,
            action: p.action,
            from_status: p.from,
            to_status: p.to,
            actor_kind: p.actorKind,
            actor_id: p.actorId,
            actor_name: p.actorName,
            actor_role: p.actorRole,
            note: p.note,
            data: shape.photos
              ? sql<string>`${p.data}::jsonb || jsonb_build_object('photoSha256', (
              SELECT jsonb_agg(jsonb_build_object('id', a.id, 'sha256', a.sha256)
                               ORDER BY array_position(${p.photoIds}::uuid[], a.id))
                FROM attachments a WHERE a.id = ANY(${p.photoIds}::uuid[])))`
              : p.data,
            attachment_ids: p.photoIds,
          })
          .returning(['id', 'task_id']),
      )
      .with('o', (qc) =>
        qc
          .insertInto('outbox')
          .columns(['topic', 'payload'])
          .expression((eb) =>
            eb
              .selectFrom('e')
              .select([
                eb.val(p.outboxTopic).as('topic'),
                sql<string>`jsonb_build_object('eventId', e.id::text, 'taskId', e.task_id::text)`.as(
                  'payload',
                ),
              ]),
          ),
      );
    const withPhotos = shape.photos
      ? withEvent.with('p', (qc) =>
          qc
            .insertInto('task_attachments')
            .columns(['task_id', 'attachment_id', 'role', 'event_id'])
            .expression((eb) =>
              eb
                .selectFrom('e')
                .select([
                  'e.task_id',
                  sql<string>`unnest(${p.photoIds}::uuid[])`.as('attachment_id'),
                  eb.val(p.role).as('role'),
                  'e.id',
                ]),
            )
            .onConflict((oc) => oc.doNothing()),
        )
      : withEvent;
    const change = shape.change;
    const withChange = change
      ? withPhotos.with('u', (qc) =>
          qc
            .updateTable('tasks')
            .set((eb) => ({
              ...(Object.fromEntries(change.columns.map((c) => [c, p[`set:${c}`]])) as TaskPatch),
              ...(change.increment ? { [change.increment]: eb(change.increment, '+', 1) } : {}),
              status: p.status,
              version: eb('version', '+', 1),
              updated_at: p.now as Date,
            }))
            .where('id', '=', p.taskId)
            .returning('id'),
        )
      : withPhotos;
    return withChange.selectFrom('e').select('e.id');
  });
}

export type TaskEventRow = Selectable<TaskEvents>;

/** The whole trail of one task, oldest first. */
export function listTaskEvents(db: Db, taskId: string): Promise<TaskEventRow[]> {
  return db
    .selectFrom('task_events')
    .selectAll()
    .where('task_id', '=', taskId)
    .orderBy('id')
    .execute();
}
