import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage } from '../common/http/pagination.js';
import { officeDay } from '../common/time/office-zone.js';
import { dbOf, type Db } from '../database/kysely.js';
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
import {
  notificationsRepository as notifications,
  type EventRow,
  type Reader,
} from './notifications.repository.js';
import { WebhooksService } from './webhooks.service.js';
import { taskEventMessage, type ChannelEvent } from './channels/channel-messages.js';
import { ChannelsService } from './channels/channels.service.js';

/**
 * The task notifications a unit's 企业微信/钉钉/SMS channels carry: new work, returned work and
 * deadline changes (escalations and the daily summary are sent by the scan and the schedule).
 */
const CHANNEL_EVENT_OF: Partial<
  Record<TaskNotificationKind, Exclude<ChannelEvent, 'escalation' | 'digest'>>
> = {
  assigned: 'assigned',
  returned: 'returned',
  deadline_changed: 'deadline',
  extension_approved: 'deadline',
};

export const channelTask = (t: TaskFactsRow) => ({
  id: t.id,
  number: t.number,
  categoryName: t.category_name,
  place: t.place,
  deadline: t.deadline,
});

export enum NotificationErrorCode {
  NOTIFICATION_NOT_FOUND = 'NOTIFICATION_NOT_FOUND',
}

export interface Delivered {
  notifications: number;
  webhookDeliveryIds: string[];
  /** 企业微信/钉钉/SMS deliveries (src/notifications/channels). */
  channelDeliveryIds: string[];
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
    private readonly channels: ChannelsService,
  ) {}

  async handleTaskEvent(eventId: string): Promise<Delivered> {
    return this.ds.transaction(async (em) => {
      const db = dbOf(em);
      const event = await notifications.event(db, eventId);
      const result: Delivered = {
        notifications: 0,
        webhookDeliveryIds: [],
        channelDeliveryIds: [],
      };
      if (!event) return result;
      const route = routeOf(event.action, { toStatus: event.to_status });
      if (!route.unit && !route.previousUnit && !route.inspector && !route.office) return result;
      const [task] = await this.writer.taskFacts(em, [event.task_id]);
      const facts = await this.eventFacts(db, event, task);
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
        const event_ = CHANNEL_EVENT_OF[kind];
        if (event_) {
          const message = taskEventMessage(event_, channelTask(task), this.channels.publicBaseUrl);
          result.channelDeliveryIds.push(
            ...(await this.channels.record(em, { unitId: to.unitId }, key, event_, message)),
          );
        }
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
    const key = officeDay(now);
    return this.ds.transaction(async (em) => {
      const rows = await notifications.overdueByUnit(dbOf(em), now);
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
    let before: [string, string] | undefined;
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor, 2);
      before = [String(at), String(id)];
    }
    // Outside a transaction: two reads, each standing alone, as before.
    const db = dbOf(this.ds.manager);
    const reader = readerOf(p);
    // The cursor keeps created_at to the microsecond (a JS Date would cut it to milliseconds and
    // skip rows between pages).
    const rows = await notifications.inbox(db, reader, {
      unread: q.unread,
      before,
      limit: limit + 1,
    });
    const unread = await notifications.unreadCount(db, reader);
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
    const db = dbOf(this.ds.manager);
    if (!(await notifications.markRead(db, readerOf(p), id, this.clock.now()))) {
      throw new DomainError(
        'not_found',
        NotificationErrorCode.NOTIFICATION_NOT_FOUND,
        '通知不存在',
      );
    }
  }

  markAllRead(p: Principal): Promise<number> {
    return notifications.markAllRead(dbOf(this.ds.manager), readerOf(p), this.clock.now());
  }

  /** What the text needs beside the task: recorded with the event, or in the rows it wrote. */
  private async eventFacts(db: Db, e: EventRow, task: TaskFactsRow): Promise<EventFacts> {
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
      const units = await notifications.unitNames(db, unitIds);
      const name = (id: string | null): string | null =>
        units.find((u) => u.id === id)?.name ?? null;
      facts.unitName = name(str(d.unitId)) ?? task.unit_name;
      facts.unitToName = str(d.unitName) ?? name(str(d.unitTo));
    }
    return facts;
  }
}

/** The rows a caller sees: its own, and for the office's clerks the shared office rows. */
const readerOf = (p: Principal): Reader => ({ userId: p.id, office: p.role === 'admin' });
