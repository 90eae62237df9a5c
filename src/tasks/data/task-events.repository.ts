import { sql, type Selectable } from 'kysely';
import type { TaskAttachments, TaskEvents, Tasks } from '../../database/db.generated.js';
import type { Db } from '../../database/kysely.js';
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

/**
 * The task_events row of an event (task_events is append-only). An event that links photos also
 * records each original's SHA-256 (`data.photoSha256`, in the order given), read in the same
 * statement: whatever copy of a photo is shown later, the trail names the very bytes.
 */
function eventRow(e: TaskEventInput) {
  // jsonb: sent as JSON text, so that pg does not take an array in it for a Postgres array.
  const data = JSON.stringify(e.data ?? {});
  const photoIds = e.photos?.ids ?? [];
  return {
    task_id: e.taskId,
    action: e.action,
    from_status: e.from,
    to_status: e.to,
    actor_kind: e.actor?.kind ?? 'system',
    actor_id: e.actor?.id ?? null,
    actor_name: e.actor?.displayName ?? '系统',
    actor_role: e.actor?.role ?? null,
    note: e.note ?? null,
    data: photoIds.length
      ? sql<string>`${data}::jsonb || jsonb_build_object('photoSha256', (
          SELECT jsonb_agg(jsonb_build_object('id', a.id, 'sha256', a.sha256)
                           ORDER BY array_position(${photoIds}::uuid[], a.id))
            FROM attachments a WHERE a.id = ANY(${photoIds}::uuid[])))`
      : data,
    attachment_ids: photoIds,
  };
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
 * (its patch, counter, new status, `version + 1`), the event (`eventRow`), the
 * outbox row that tells the workers of it (`{ eventId, taskId }` on `outboxTopic`, as
 * `writeOutbox` writes it), and the links of the event's photos. Data-modifying CTEs all run to
 * completion whether or not the final SELECT reads them. Returns the event's id.
 */
export async function recordTaskEvent(
  db: Db,
  e: TaskEventInput,
  outboxTopic: string,
  change?: TaskChange,
): Promise<string> {
  const photoIds = e.photos?.ids ?? [];
  const withEvent = db
    .with('e', (qc) =>
      qc.insertInto('task_events').values(eventRow(e)).returning(['id', 'task_id']),
    )
    .with('o', (qc) =>
      qc
        .insertInto('outbox')
        .columns(['topic', 'payload'])
        .expression((eb) =>
          eb
            .selectFrom('e')
            .select([
              eb.val(outboxTopic).as('topic'),
              sql<string>`jsonb_build_object('eventId', e.id::text, 'taskId', e.task_id::text)`.as(
                'payload',
              ),
            ]),
        ),
    );
  const withPhotos = photoIds.length
    ? withEvent.with('p', (qc) =>
        qc
          .insertInto('task_attachments')
          .columns(['task_id', 'attachment_id', 'role', 'event_id'])
          .expression((eb) =>
            eb
              .selectFrom('e')
              .select([
                'e.task_id',
                sql<string>`unnest(${photoIds}::uuid[])`.as('attachment_id'),
                eb.val(e.photos?.role ?? 'before').as('role'),
                'e.id',
              ]),
          )
          .onConflict((oc) => oc.doNothing()),
      )
    : withEvent;
  const withChange = change
    ? withPhotos.with('u', (qc) =>
        qc
          .updateTable('tasks')
          .set((eb) => ({
            ...change.patch,
            ...(change.increment ? { [change.increment]: eb(change.increment, '+', 1) } : {}),
            status: change.status,
            version: eb('version', '+', 1),
            updated_at: change.now,
          }))
          .where('id', '=', e.taskId)
          .returning('id'),
      )
    : withPhotos;
  const { id } = await withChange.selectFrom('e').select('e.id').executeTakeFirstOrThrow();
  return id;
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
