import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { OutboxTopic, writeOutbox } from '../jobs/outbox.js';
import type { TaskStatus } from './task-lifecycle.js';

export interface EventInput {
  taskId: string;
  action: string;
  from: TaskStatus | null;
  to: TaskStatus;
  actor: Principal | null;
  note?: string | null;
  data?: Record<string, unknown>;
  /** Photos attached with this event, and the role they play on the task. */
  photos?: { ids: string[]; role: 'before' | 'after' | 'check' };
}

/**
 * Writes one entry of the audit trail and links its photos, inside the caller's transaction.
 * Every state change goes through here, so the trail is complete by construction.
 */
@Injectable()
export class TaskEventWriter {
  async record(em: EntityManager, e: EventInput): Promise<string> {
    const photoIds = e.photos?.ids ?? [];
    const [row] = (await em.query(
      `INSERT INTO task_events (task_id, action, from_status, to_status, actor_kind, actor_id, actor_name, actor_role, note, data, attachment_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id::text`,
      [
        e.taskId,
        e.action,
        e.from,
        e.to,
        e.actor?.kind ?? 'system',
        e.actor?.id ?? null,
        e.actor?.displayName ?? '系统',
        e.actor?.role ?? null,
        e.note ?? null,
        JSON.stringify(e.data ?? {}),
        photoIds,
      ],
    )) as { id: string }[];
    // Every event leaves through the outbox: the notifications worker decides who hears of it.
    await writeOutbox(em, OutboxTopic.TASK_EVENT, { eventId: row.id, taskId: e.taskId });
    if (photoIds.length && e.photos) {
      await em.query(
        `INSERT INTO task_attachments (task_id, attachment_id, role, event_id)
         SELECT $1, unnest($2::uuid[]), $3, $4 ON CONFLICT DO NOTHING`,
        [e.taskId, photoIds, e.photos.role, row.id],
      );
    }
    return row.id;
  }
}
