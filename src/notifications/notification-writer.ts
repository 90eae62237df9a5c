import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NotificationKind, TaskFacts } from './notification-text.js';

export interface TaskFactsRow {
  id: string;
  number: string;
  status: string;
  unit_id: string | null;
  unit_name: string | null;
  category_name: string;
  description: string;
  place: string;
  deadline: Date | null;
  created_by: string;
}

/** Who to write to: the active users of a unit, or the inspector who raised a task. */
export type Recipients =
  | { unitId: string }
  | { inspectorOf: string }
  /** One shared office row, not one per admin. */
  | 'office';

export interface NotificationInput {
  kind: NotificationKind;
  title: string;
  body: string;
  taskId: string | null;
  dedupeKey: string;
}

/**
 * Writes inbox rows inside the caller's transaction. Dedupe keys make a second write a no-op:
 * one row per user and key, and one office row per key.
 */
@Injectable()
export class NotificationWriter {
  private readonly logger = new Logger('Notifications');

  async write(em: EntityManager, to: Recipients, n: NotificationInput): Promise<number> {
    const values = [n.kind, n.title, n.body, n.taskId, n.dedupeKey];
    let rows: unknown[];
    if (to === 'office') {
      rows = (await em.query(
        `INSERT INTO notifications (user_id, audience, kind, title, body, task_id, dedupe_key)
         VALUES (NULL, 'office', $1, $2, $3, $4, $5)
         ON CONFLICT (dedupe_key) WHERE audience = 'office' DO NOTHING RETURNING id`,
        values,
      )) as unknown[];
    } else {
      const who =
        'unitId' in to
          ? { sql: `SELECT id FROM users WHERE unit_id = $6 AND active`, param: to.unitId }
          : {
              sql: `SELECT u.id FROM tasks t JOIN users u ON u.id = t.created_by
                     WHERE t.id = $6 AND u.role = 'inspector' AND u.active`,
              param: to.inspectorOf,
            };
      rows = (await em.query(
        `INSERT INTO notifications (user_id, kind, title, body, task_id, dedupe_key)
         SELECT r.id, $1, $2, $3, $4, $5 FROM (${who.sql}) r
         ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id`,
        [...values, who.param],
      )) as unknown[];
    }
    if (rows.length)
      this.logger.debug(`${n.kind}: ${rows.length} notification(s) for ${n.dedupeKey}`);
    return rows.length;
  }

  async taskFacts(em: EntityManager, taskIds: string[]): Promise<TaskFactsRow[]> {
    return (await em.query(
      `SELECT t.id, t.number, t.status, t.unit_id, u.name AS unit_name, coalesce(c.bulletin_name, c.name) AS category_name,
              t.description, coalesce(s.name, t.address, '') AS place, t.deadline, t.created_by
         FROM tasks t JOIN categories c ON c.id = t.category_id LEFT JOIN sites s ON s.id = t.site_id
         LEFT JOIN units u ON u.id = t.unit_id WHERE t.id = ANY($1::uuid[])`,
      [taskIds],
    )) as TaskFactsRow[];
  }
}

export const toFacts = (t: TaskFactsRow): TaskFacts => ({
  number: t.number,
  categoryName: t.category_name,
  description: t.description,
  place: t.place,
  deadline: t.deadline,
  unitName: t.unit_name,
});

/** What a webhook says of a task. */
export const webhookTask = (t: TaskFactsRow): Record<string, unknown> => ({
  id: t.id,
  number: t.number,
  status: t.status,
  category: t.category_name,
  description: t.description,
  place: t.place,
  deadline: t.deadline?.toISOString() ?? null,
});
