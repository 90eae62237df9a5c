import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage } from '../common/http/pagination.js';
import type { TaskStatus } from '../tasks/task-lifecycle.js';
import { routeOf } from './notification-routing.js';
import {
  notificationText,
  shanghaiDay,
  type EventFacts,
  type TaskNotificationKind,
} from './notification-text.js';
import {
  NotificationWriter,
  toFacts,
  webhookTask,
  type Recipients,
  type TaskFactsRow,
} from './notification-writer.js';
import { WebhooksService } from './webhooks.service.js';

export enum NotificationErrorCode {
  NOTIFICATION_NOT_FOUND = 'NOTIFICATION_NOT_FOUND',
}

interface EventRow {
  id: string;
  task_id: string;
  action: string;
  to_status: TaskStatus;
  note: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

export interface Delivered {
  notifications: number;
  webhookDeliveryIds: string[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const date = (v: unknown): Date | undefined => (typeof v === 'string' ? new Date(v) : undefined);

/**
 * Turns task events into inbox notifications and webhook deliveries, as the routing table
 * (notification-routing.ts) says. Called by the queue consumers; at-least-once delivery is made
 * exactly-once by dedupe keys (one notification per user, or per office, and event; one delivery
 * per unit and event), so a job run twice adds nothing.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly webhooks: WebhooksService,
    private readonly writer: NotificationWriter,
    private readonly clock: Clock,
  ) {}

  async handleTaskEvent(eventId: string): Promise<Delivered> {
    return this.ds.transaction(async (em) => {
      const [event] = (await em.query(
        'SELECT id::text, task_id, action, to_status, note, data, created_at FROM task_events WHERE id = $1',
        [eventId],
      )) as EventRow[];
      const result: Delivered = { notifications: 0, webhookDeliveryIds: [] };
      if (!event) return result;
      const route = routeOf(event.action, { toStatus: event.to_status });
      if (!route.unit && !route.previousUnit && !route.inspector && !route.office) return result;
      const [task] = await this.writer.taskFacts(em, [event.task_id]);
      const facts = await this.eventFacts(em, event, task);
      const key = `event:${event.id}`;
      const tell = async (to: Recipients, kind: TaskNotificationKind): Promise<void> => {
        const text = notificationText(kind, toFacts(task), facts);
        result.notifications += await this.writer.write(em, to, {
          kind,
          ...text,
          taskId: task.id,
          dedupeKey: key,
        });
        if (to === 'office' || !('unitId' in to)) return;
        const id = await this.webhooks.record(em, to.unitId, key, `task.${event.action}`, {
          kind,
          occurredAt: event.created_at.toISOString(),
          title: text.title,
          task: webhookTask(task),
          event: { id: event.id, action: event.action, note: event.note, data: event.data },
        });
        if (id) result.webhookDeliveryIds.push(id);
      };
      // The unit the event concerned (recorded with it), not the task's unit when this job runs.
      const unitId = str(event.data.unitId) ?? (event.action === 'create' ? null : task.unit_id);
      if (route.unit && unitId) await tell({ unitId }, route.unit);
      const unitFrom = str(event.data.unitFrom);
      if (route.previousUnit && unitFrom && unitFrom !== unitId)
        await tell({ unitId: unitFrom }, route.previousUnit);
      if (route.inspector) await tell({ inspectorOf: task.id }, route.inspector);
      if (route.office) await tell('office', route.office);
      return result;
    });
  }

  /** The office's daily overview of overdue work: one shared office notification per day. */
  async overdueSummary(now: Date): Promise<number> {
    const day = shanghaiDay(now);
    const key = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
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
      return this.writer.write(em, 'office', {
        kind: 'overdue_summary',
        title: `超期任务日报（${day}）`,
        body,
        taskId: null,
        dedupeKey: `overdue-summary:${key}`,
      });
    });
  }

  /**
   * The caller's inbox; for the office's clerks, their own rows and the shared office rows
   * (read-state shared: marked read once for the whole office).
   */
  async list(p: Principal, q: { limit?: number; cursor?: string; unread?: boolean }) {
    const limit = q.limit ?? 50;
    const params: unknown[] = [p.id, p.role === 'admin'];
    let where = mine;
    if (q.unread) where += ' AND n.read_at IS NULL';
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor, 2);
      params.push(String(at), id);
      where += ` AND (n.created_at, n.id) < ($3::timestamptz, $4::uuid)`;
    }
    const rows = (await this.ds.query(
      // The cursor keeps created_at to the microsecond (a JS Date would cut it to milliseconds and
      // skip rows between pages).
      `SELECT n.id, n.audience, n.kind, n.title, n.body, n.task_id, n.created_at, n.read_at, r.display_name AS read_by_name,
              to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM notifications n LEFT JOIN users r ON r.id = n.read_by WHERE ${where}
        ORDER BY n.created_at DESC, n.id DESC LIMIT ${limit + 1}`,
      params,
    )) as {
      id: string;
      audience: 'user' | 'office';
      kind: string;
      title: string;
      body: string;
      task_id: string | null;
      created_at: Date;
      read_at: Date | null;
      read_by_name: string | null;
      cursor_at: string;
    }[];
    const [{ unread }] = (await this.ds.query(
      `SELECT count(*)::int AS unread FROM notifications n WHERE ${mine} AND n.read_at IS NULL`,
      [p.id, p.role === 'admin'],
    )) as { unread: number }[];
    const page = toPage(rows, limit, (r) => [r.cursor_at, r.id]);
    return {
      items: page.items.map((r) => ({
        id: r.id,
        audience: r.audience,
        kind: r.kind,
        title: r.title,
        body: r.body,
        taskId: r.task_id,
        createdAt: r.created_at.toISOString(),
        readAt: r.read_at?.toISOString() ?? null,
        readBy: r.read_by_name,
      })),
      nextCursor: page.nextCursor,
      unread,
    };
  }

  async markRead(p: Principal, id: string): Promise<void> {
    const result = (await this.ds.query(
      `UPDATE notifications n SET read_at = coalesce(n.read_at, $3),
              read_by = CASE WHEN n.audience = 'office' THEN coalesce(n.read_by, $1) END
        WHERE n.id = $4 AND ${mine} RETURNING n.id`,
      [p.id, p.role === 'admin', this.clock.now(), id],
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
      `UPDATE notifications n SET read_at = $3, read_by = CASE WHEN n.audience = 'office' THEN $1::uuid END
        WHERE ${mine} AND n.read_at IS NULL`,
      [p.id, p.role === 'admin', this.clock.now()],
    )) as [unknown, number];
    return result[1];
  }

  /** What the text needs beside the task: recorded with the event, or in the rows it wrote. */
  private async eventFacts(
    em: EntityManager,
    e: EventRow,
    task: TaskFactsRow,
  ): Promise<EventFacts> {
    const d = e.data;
    const facts: EventFacts = {
      note: e.note,
      requestedDeadline: date(d.requestedDeadline),
      deadline: date(d.deadlineTo) ?? date(d.deadline),
      duplicateOf: str(d.duplicateOf),
      holdReviewOn: str(d.reviewOn),
      unitName: task.unit_name,
    };
    const unitIds = [str(d.unitId), str(d.unitTo)].filter((x): x is string => !!x);
    if (unitIds.length) {
      const units = (await em.query('SELECT id, name FROM units WHERE id = ANY($1::uuid[])', [
        unitIds,
      ])) as { id: string; name: string }[];
      const name = (id: string | null): string | null =>
        units.find((u) => u.id === id)?.name ?? null;
      facts.unitName = name(str(d.unitId)) ?? task.unit_name;
      facts.unitToName = str(d.unitName) ?? name(str(d.unitTo));
    }
    return facts;
  }
}

/** The rows a caller sees: its own, and for the office's clerks ($2) the shared office rows. */
const mine = `(n.user_id = $1 OR (n.audience = 'office' AND $2::boolean))`;
