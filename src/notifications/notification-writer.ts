import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { dbOf } from '../database/kysely.js';
import type { TaskFacts } from './notification-text.js';
import {
  notificationsRepository,
  type NotificationValues,
  type TaskFactsRow,
} from './notifications.repository.js';

export type { TaskFactsRow } from './notifications.repository.js';

/** Who to write to: the active users of a unit, or the inspector who raised a task. */
export type Recipients =
  | { unitId: string }
  | { inspectorOf: string }
  /** One shared office row, not one per admin. */
  | 'office';

export type NotificationInput = NotificationValues;

/**
 * Writes inbox rows inside the caller's transaction. Dedupe keys make a second write a no-op:
 * one row per user and key, and one office row per key.
 */
@Injectable()
export class NotificationWriter {
  private readonly logger = new Logger('Notifications');

  /** `em`: the caller's transaction (TransactionRunner's manager). */
  async write(em: EntityManager, to: Recipients, n: NotificationInput): Promise<number> {
    const db = dbOf(em);
    const written =
      to === 'office'
        ? await notificationsRepository.insertForOffice(db, n)
        : await notificationsRepository.insertForUsers(db, to, n);
    if (written) this.logger.debug(`${n.kind}: ${written} notification(s) for ${n.dedupeKey}`);
    return written;
  }

  taskFacts(em: EntityManager, taskIds: string[]): Promise<TaskFactsRow[]> {
    return notificationsRepository.taskFacts(dbOf(em), taskIds);
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
