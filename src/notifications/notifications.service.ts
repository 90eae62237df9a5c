import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage } from '../common/http/pagination.js';
import {
  notificationText,
  type NotificationKind,
  type TaskFacts,
  type TaskNotificationKind,
} from './notification-text.js';
import { WebhooksService } from './webhooks.service.js';

export enum NotificationErrorCode {
  NOTIFICATION_NOT_FOUND = 'NOTIFICATION_NOT_FOUND',
}

interface EventRow {
  id: string;
  task_id: string;
  action: string;
  to_status: string;
  note: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

interface TaskFactsRow {
  id: string;
  number: string;
  status: string;
  unit_id: string | null;
  unit_name: string | null;
  category_name: string;
  description: string;
  place: string;
  deadline: Date | null;
}

/** Which events a unit hears about, and as what. */
const UNIT_KIND: Record<string, (e: EventRow) => TaskNotificationKind | null> = {
  create: (e) => (e.to_status === 'assigned' ? 'assigned' : null),
  dispatch: () => 'assigned',
  reassign: () => 'assigned',
  resume: () => 'assigned',
  check_fail: () => 'returned',
  reopen: () => 'reopened',
  approve_extension: () => 'extension_approved',
  refuse_extension: () => 'extension_refused',
};
/** Which events the office hears about. */
const OFFICE_KIND: Record<string, TaskNotificationKind> = {
  request_extension: 'extension_requested',
  dispute: 'disputed',
};

export interface Delivered {
  notifications: number;
  webhookDeliveryIds: string[];
}

/**
 * Turns task events and escalations into inbox notifications and webhook deliveries. Called by
 * the queue consumers; at-least-once delivery is made exactly-once here by dedupe keys (one
 * notification per user and event, one delivery per unit and event), so a job run twice adds nothing.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly webhooks: WebhooksService,
    private readonly clock: Clock,
  ) {}

  async handleTaskEvent(eventId: string): Promise<Delivered> {
    return this.ds.transaction(async (em) => {
      const [event] = (await em.query(
        'SELECT id::text, task_id, action, to_status, note, data, created_at FROM task_events WHERE id = $1',
        [eventId],
      )) as EventRow[];
      if (!event) return { notifications: 0, webhookDeliveryIds: [] };
      const task = await this.taskFacts(em, event.task_id);
      let notifications = 0;
      const deliveries: string[] = [];
      const unitKind = UNIT_KIND[event.action]?.(event) ?? null;
      // The unit the event was about (recorded with it), not the task's unit when this job runs.
      const unitId = typeof event.data.unitId === 'string' ? event.data.unitId : task.unit_id;
      if (unitKind && unitId) {
        const text = notificationText(unitKind, toFacts(task), event.note);
        notifications += await this.toUsers(
          em,
          this.unitUsers(unitId),
          unitKind,
          text,
          task.id,
          `event:${event.id}`,
        );
        const id = await this.webhooks.record(
          em,
          unitId,
          `event:${event.id}`,
          `task.${event.action}`,
          {
            kind: unitKind,
            occurredAt: event.created_at.toISOString(),
            task: this.webhookTask(task),
            event: { id: event.id, action: event.action, note: event.note, data: event.data },
          },
        );
        if (id) deliveries.push(id);
      }
      const officeKind = OFFICE_KIND[event.action];
      if (officeKind) {
        const text = notificationText(officeKind, toFacts(task), event.note);
        notifications += await this.toUsers(
          em,
          ADMINS,
          officeKind,
          text,
          task.id,
          `event:${event.id}`,
        );
      }
      return { notifications, webhookDeliveryIds: deliveries };
    });
  }

  async handleEscalation(
    taskId: string,
    level: 'reminder' | 'supervise' | 'notify',
    deadline: string,
  ): Promise<Delivered> {
    return this.ds.transaction(async (em) => {
      const task = await this.taskFacts(em, taskId);
      // The task may have moved on since the scan (closed, extended): then nothing is said.
      // (Compared to the millisecond: Postgres keeps microseconds, the payload went through JSON.)
      const sameDeadline =
        task.deadline !== null &&
        Math.abs(task.deadline.getTime() - new Date(deadline).getTime()) < 1;
      if (task.status !== 'assigned' || !task.unit_id || !sameDeadline) {
        return { notifications: 0, webhookDeliveryIds: [] };
      }
      const key = `escalation:${taskId}:${level}:${deadline}`;
      const text = notificationText(level, toFacts(task));
      let notifications = await this.toUsers(
        em,
        this.unitUsers(task.unit_id),
        level,
        text,
        task.id,
        key,
      );
      if (level !== 'reminder')
        notifications += await this.toUsers(em, ADMINS, level, text, task.id, key);
      const id = await this.webhooks.record(em, task.unit_id, key, `task.${level}`, {
        kind: level,
        occurredAt: this.clock.now().toISOString(),
        task: this.webhookTask(task),
      });
      return { notifications, webhookDeliveryIds: id ? [id] : [] };
    });
  }

  /** The office's daily overview of overdue work, once per day per admin. */
  async overdueSummary(now: Date): Promise<number> {
    const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    return this.ds.transaction(async (em) => {
      const rows = (await em.query(
        `SELECT u.name, count(*)::int AS n FROM tasks t JOIN units u ON u.id = t.unit_id
          WHERE t.status = 'assigned' AND t.deadline < $1 GROUP BY u.name ORDER BY n DESC, u.name`,
        [now],
      )) as { name: string; n: number }[];
      const total = rows.reduce((s, r) => s + r.n, 0);
      const body = total
        ? `截至${day}，共有${total}项整改任务超期：${rows.map((r) => `${r.name}${r.n}项`).join('、')}。`
        : `截至${day}，没有超期的整改任务。`;
      return this.toUsers(
        em,
        ADMINS,
        'overdue_summary',
        { title: `超期任务日报（${day}）`, body },
        null,
        `overdue-summary:${day}`,
      );
    });
  }

  async list(p: Principal, q: { limit?: number; cursor?: string; unread?: boolean }) {
    const limit = q.limit ?? 50;
    const params: unknown[] = [p.id];
    let where = 'user_id = $1';
    if (q.unread) where += ' AND read_at IS NULL';
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor, 2);
      params.push(String(at), id);
      where += ` AND (created_at, id) < ($2::timestamptz, $3::uuid)`;
    }
    const rows = (await this.ds.query(
      // The cursor keeps created_at to the microsecond (a JS Date would cut it to milliseconds and
      // skip rows between pages).
      `SELECT id, kind, title, body, task_id, created_at, read_at,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM notifications WHERE ${where}
        ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`,
      params,
    )) as {
      id: string;
      kind: string;
      title: string;
      body: string;
      task_id: string | null;
      created_at: Date;
      read_at: Date | null;
      cursor_at: string;
    }[];
    const [{ unread }] = (await this.ds.query(
      'SELECT count(*)::int AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL',
      [p.id],
    )) as { unread: number }[];
    const page = toPage(rows, limit, (r) => [r.cursor_at, r.id]);
    return {
      items: page.items.map((r) => ({
        id: r.id,
        kind: r.kind,
        title: r.title,
        body: r.body,
        taskId: r.task_id,
        createdAt: r.created_at.toISOString(),
        readAt: r.read_at?.toISOString() ?? null,
      })),
      nextCursor: page.nextCursor,
      unread,
    };
  }

  async markRead(p: Principal, id: string): Promise<void> {
    const result = (await this.ds.query(
      'UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE id = $1 AND user_id = $2 RETURNING id',
      [id, p.id, this.clock.now()],
    )) as [unknown[], number];
    if (!result[0].length) {
      throw new DomainError(
        'not_found',
        NotificationErrorCode.NOTIFICATION_NOT_FOUND,
        '通知不存在',
      );
    }
  }

  async markAllRead(p: Principal): Promise<number> {
    const result = (await this.ds.query(
      'UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL',
      [p.id, this.clock.now()],
    )) as [unknown, number];
    return result[1];
  }

  private unitUsers(unitId: string): { sql: string; params: unknown[] } {
    return { sql: `SELECT id FROM users WHERE unit_id = $1 AND active`, params: [unitId] };
  }

  private async toUsers(
    em: EntityManager,
    who: { sql: string; params: unknown[] },
    kind: NotificationKind,
    text: { title: string; body: string },
    taskId: string | null,
    dedupeKey: string,
  ): Promise<number> {
    const offset = who.params.length;
    const rows = (await em.query(
      `INSERT INTO notifications (user_id, kind, title, body, task_id, dedupe_key)
       SELECT r.id, $${offset + 1}, $${offset + 2}, $${offset + 3}, $${offset + 4}, $${offset + 5} FROM (${who.sql}) r
       ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id`,
      [...who.params, kind, text.title, text.body, taskId, dedupeKey],
    )) as unknown[];
    if (rows.length) this.logger.debug(`${kind}: ${rows.length} notification(s) for ${dedupeKey}`);
    return rows.length;
  }

  private async taskFacts(em: EntityManager, taskId: string): Promise<TaskFactsRow> {
    const [task] = (await em.query(
      `SELECT t.id, t.number, t.status, t.unit_id, u.name AS unit_name, coalesce(c.bulletin_name, c.name) AS category_name,
              t.description, coalesce(s.name, t.address, '') AS place, t.deadline
         FROM tasks t JOIN categories c ON c.id = t.category_id LEFT JOIN sites s ON s.id = t.site_id
         LEFT JOIN units u ON u.id = t.unit_id WHERE t.id = $1`,
      [taskId],
    )) as TaskFactsRow[];
    return task;
  }

  private webhookTask(t: TaskFactsRow): Record<string, unknown> {
    return {
      id: t.id,
      number: t.number,
      status: t.status,
      category: t.category_name,
      description: t.description,
      place: t.place,
      deadline: t.deadline?.toISOString() ?? null,
    };
  }
}

const ADMINS = { sql: `SELECT id FROM users WHERE role = 'admin' AND active`, params: [] };

const toFacts = (t: TaskFactsRow): TaskFacts => ({
  number: t.number,
  categoryName: t.category_name,
  description: t.description,
  place: t.place,
  deadline: t.deadline,
  unitName: t.unit_name,
});
