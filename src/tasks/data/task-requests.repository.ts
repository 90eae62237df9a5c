import type { Selectable } from 'kysely';
import type { ExtensionRequests, TaskDisputes } from '../../database/db.generated.js';
import type { Db } from '../../database/kysely.js';
import { prepared } from '../../database/prepared.js';

/**
 * A unit's requests on a task: 申请延期 (extension_requests) and 申诉 (task_disputes). Each is
 * pending until the office decides it or the task moves on and it lapses.
 */

export async function insertExtensionRequest(
  db: Db,
  r: { taskId: string; requestedDeadline: Date; reason: string; eventId: string },
): Promise<void> {
  await db
    .insertInto('extension_requests')
    .values({
      task_id: r.taskId,
      requested_deadline: r.requestedDeadline,
      reason: r.reason,
      status: 'pending',
      request_event_id: r.eventId,
    })
    .execute();
}

export function pendingExtensionRequest(
  db: Db,
  taskId: string,
  id: string,
): Promise<Pick<Selectable<ExtensionRequests>, 'id' | 'requested_deadline'> | undefined> {
  return db
    .selectFrom('extension_requests')
    .select(['id', 'requested_deadline'])
    .where('id', '=', id)
    .where('task_id', '=', taskId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export async function decideExtensionRequest(
  db: Db,
  id: string,
  d: { approved: boolean; granted: Date | null; note: string | null; eventId: string; at: Date },
): Promise<void> {
  await db
    .updateTable('extension_requests')
    .set({
      status: d.approved ? 'approved' : 'refused',
      granted_deadline: d.granted,
      decision_note: d.note,
      decision_event_id: d.eventId,
      decided_at: d.at,
    })
    .where('id', '=', id)
    .execute();
}

export async function insertDispute(
  db: Db,
  r: { taskId: string; unitId: string; reason: string; eventId: string },
): Promise<void> {
  await db
    .insertInto('task_disputes')
    .values({
      task_id: r.taskId,
      unit_id: r.unitId,
      reason: r.reason,
      status: 'pending',
      request_event_id: r.eventId,
    })
    .execute();
}

export function pendingDispute(
  db: Db,
  taskId: string,
  id: string,
): Promise<Pick<Selectable<TaskDisputes>, 'id'> | undefined> {
  return db
    .selectFrom('task_disputes')
    .select('id')
    .where('id', '=', id)
    .where('task_id', '=', taskId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export async function decideDispute(
  db: Db,
  id: string,
  d: { upheld: boolean; note: string | null; eventId: string; at: Date },
): Promise<void> {
  await db
    .updateTable('task_disputes')
    .set({
      status: d.upheld ? 'upheld' : 'rejected',
      decision_note: d.note,
      decision_event_id: d.eventId,
      decided_at: d.at,
    })
    .where('id', '=', id)
    .execute();
}

const LAPSE_NOTE = '任务状态已变化，申请自动失效';

/** Refuses the task's pending extension request, recorded against the event that ended it. */
export async function lapsePendingExtension(
  db: Db,
  taskId: string,
  eventId: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('extension_requests')
    .set({
      status: 'refused',
      decision_note: LAPSE_NOTE,
      decision_event_id: eventId,
      decided_at: at,
    })
    .where('task_id', '=', taskId)
    .where('status', '=', 'pending')
    .execute();
}

/** Rejects the task's pending dispute, recorded against the event that ended it. */
export async function lapsePendingDispute(
  db: Db,
  taskId: string,
  eventId: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('task_disputes')
    .set({
      status: 'rejected',
      decision_note: LAPSE_NOTE,
      decision_event_id: eventId,
      decided_at: at,
    })
    .where('task_id', '=', taskId)
    .where('status', '=', 'pending')
    .execute();
}

export interface PendingRequests {
  extension: Pick<
    Selectable<ExtensionRequests>,
    'id' | 'reason' | 'requested_deadline' | 'created_at'
  > | null;
  dispute: Pick<Selectable<TaskDisputes>, 'id' | 'reason' | 'created_at'> | null;
}

/** What is pending on a task (at most one of each, by the lifecycle's guards), in one query. */
export async function pendingRequests(db: Db, taskId: string): Promise<PendingRequests> {
  const rows = await pending(db, { taskId });
  const ext = rows.find((r) => r.kind === 'extension');
  const dispute = rows.find((r) => r.kind === 'dispute');
  return {
    extension: ext
      ? {
          id: ext.id,
          reason: ext.reason,
          requested_deadline: ext.requested_deadline as Date,
          created_at: ext.created_at,
        }
      : null,
    dispute: dispute
      ? { id: dispute.id, reason: dispute.reason, created_at: dispute.created_at }
      : null,
  };
}

const pending = prepared((db, p: { taskId: string }) =>
  db
    .selectFrom('extension_requests')
    .select((eb) => [
      eb.val<'extension' | 'dispute'>('extension').as('kind'),
      'id',
      'reason',
      eb.cast<Date | null>('requested_deadline', 'timestamptz').as('requested_deadline'),
      'created_at',
    ])
    .where('task_id', '=', p.taskId)
    .where('status', '=', 'pending')
    .unionAll((eb) =>
      eb
        .selectFrom('task_disputes')
        .select((e2) => [
          e2.val<'extension' | 'dispute'>('dispute').as('kind'),
          'id',
          'reason',
          e2.cast<Date | null>(e2.lit(null), 'timestamptz').as('requested_deadline'),
          'created_at',
        ])
        .where('task_id', '=', p.taskId)
        .where('status', '=', 'pending'),
    ),
);
