import { sql, type Selectable } from 'kysely';
import type { TaskAttachments, TaskEvents } from '../../database/db.generated.js';
import type { Db } from '../../database/kysely.js';
import type { Principal } from '../../common/auth/principal.js';
import type { TaskStatus } from '../task-lifecycle.js';

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
 * Appends the event (task_events is append-only) and returns its id. An event that links photos
 * also records each original's SHA-256 (`data.photoSha256`, in the order given), read in the
 * same statement: whatever copy of a photo is shown later, the trail names the very bytes.
 */
export async function insertTaskEvent(db: Db, e: TaskEventInput): Promise<string> {
  // jsonb: sent as JSON text, so that pg does not take an array in it for a Postgres array.
  const data = JSON.stringify(e.data ?? {});
  const photoIds = e.photos?.ids ?? [];
  const { id } = await db
    .insertInto('task_events')
    .values({
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
      attachment_ids: e.photos?.ids ?? [],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Links an event's photos to the task in their role. */
export async function linkTaskPhotos(
  db: Db,
  taskId: string,
  eventId: string,
  photos: NonNullable<TaskEventInput['photos']>,
): Promise<void> {
  if (!photos.ids.length) return;
  await db
    .insertInto('task_attachments')
    .values(
      photos.ids.map((attachment_id) => ({
        task_id: taskId,
        attachment_id,
        role: photos.role,
        event_id: eventId,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
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
