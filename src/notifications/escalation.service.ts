import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { dbOf } from '../database/kysely.js';
import { OutboxTopic, writeOutbox } from '../jobs/outbox.js';
import { DeadlineService } from '../tasks/deadline/deadline.service.js';
import {
  isHigherLevel,
  OFFICE_ESCALATION_LEVELS,
  type EscalationLevel,
} from './escalation-level.js';
import { escalationsRepository as escalations } from './escalations.repository.js';
import { officeEscalationText, unitEscalationText } from './notification-text.js';
import { NotificationWriter, webhookTask, type TaskFactsRow } from './notification-writer.js';
import { UnsignedEscalationService } from './unsigned-escalation.service.js';
import type { Delivered } from './notifications.service.js';
import { WebhooksService } from './webhooks.service.js';
import { escalationMessage, officeEscalationMessage } from './channels/channel-messages.js';
import { ChannelsService } from './channels/channels.service.js';
import { channelTask } from './notifications.service.js';

/** A unit's webhook lists at most this many tasks per delivery; a larger scan sends several. */
export const ESCALATION_WEBHOOK_CHUNK = 500;

/**
 * The deadline scan: records each escalation level a task reaches (提醒 at 80 % of the allowed
 * time, 督办 when overdue, 通报 when long overdue) once per task, level and deadline, stamped
 * with the scan's id, and puts one outbox row per scan. Inserting under a unique key makes the
 * scan safe to run twice or on two workers at once: the second finds nothing new.
 *
 * The scan is announced as a whole: to each unit one notification per user and one webhook
 * listing its tasks (each at its highest new level), to the office one shared summary per level
 * (督办, 通报; reminders are the unit's business). 20,000 overdue tasks are a few rows, not 37,000.
 */
@Injectable()
export class EscalationService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly deadlines: DeadlineService,
    private readonly writer: NotificationWriter,
    private readonly webhooks: WebhooksService,
    private readonly clock: Clock,
    private readonly channels: ChannelsService,
    private readonly unsigned: UnsignedEscalationService,
  ) {}

  async scan(now: Date): Promise<number> {
    const t = this.deadlines.settings.escalation;
    const scanId = randomUUID();
    return this.ds.transaction(async (em) => {
      const db = dbOf(em);
      const reached = await escalations.recordReached(db, {
        now,
        scanId,
        reminderAtFraction: t.reminderAtFraction,
        superviseAfterSeconds: t.superviseAfterHours * 3600,
        notifyAfterSeconds: t.notifyAfterHours * 3600,
      });
      const tasks = new Set(reached.map((r) => r.task_id)).size;
      if (tasks) await writeOutbox(db, OutboxTopic.ESCALATION_SCAN, { scanId });
      // 超时未签收 (where 签收 is required): told at once, in this transaction.
      return tasks + (await this.unsigned.escalate(em, now, scanId));
    });
  }

  /** Announces one scan. Dedupe keys per scan, unit and level make a second run a no-op. */
  async announce(scanId: string): Promise<Delivered> {
    return this.ds.transaction(async (em) => {
      const reached = await escalations.ofScan(dbOf(em), scanId);
      const highest = new Map<string, { level: EscalationLevel; deadline: Date }>();
      for (const r of reached) {
        const seen = highest.get(r.task_id);
        if (!seen || isHigherLevel(r.level, seen.level)) highest.set(r.task_id, r);
      }
      const facts = await this.writer.taskFacts(em, [...highest.keys()]);
      // A task may have moved on since the scan (closed, extended): then nothing is said of it.
      // (Compared to the millisecond: Postgres keeps microseconds.)
      const still = facts
        .filter((t): t is TaskFactsRow & { unit_id: string; deadline: Date } => {
          const h = highest.get(t.id)!;
          return (
            t.status === 'assigned' &&
            t.unit_id !== null &&
            t.deadline !== null &&
            Math.abs(t.deadline.getTime() - h.deadline.getTime()) < 1
          );
        })
        .map((t) => ({ task: t, level: highest.get(t.id)!.level }))
        .sort((a, b) => a.task.number.localeCompare(b.task.number));
      const result: Delivered = {
        notifications: 0,
        webhookDeliveryIds: [],
        channelDeliveryIds: [],
      };
      const occurredAt = this.clock.now().toISOString();

      const byUnit = new Map<string, typeof still>();
      for (const x of still) byUnit.set(x.task.unit_id, [...(byUnit.get(x.task.unit_id) ?? []), x]);
      for (const [unitId, items] of byUnit) {
        const text = unitEscalationText(
          items.map((x) => ({ number: x.task.number, level: x.level, deadline: x.task.deadline })),
        );
        const key = `escalation-scan:${scanId}:unit:${unitId}`;
        result.notifications += await this.writer.write(
          em,
          { unitId },
          {
            kind: 'escalation',
            ...text,
            taskId: items.length === 1 ? items[0].task.id : null,
            dedupeKey: key,
          },
        );
        for (let i = 0; i < items.length; i += ESCALATION_WEBHOOK_CHUNK) {
          const chunk = items.slice(i, i + ESCALATION_WEBHOOK_CHUNK);
          const id = await this.webhooks.record(
            em,
            unitId,
            i ? `${key}:${i / ESCALATION_WEBHOOK_CHUNK}` : key,
            'tasks.escalated',
            {
              kind: 'escalation',
              scanId,
              occurredAt,
              title: text.title,
              tasks: chunk.map((x) => ({ ...webhookTask(x.task), level: x.level })),
            },
          );
          if (id) result.webhookDeliveryIds.push(id);
        }
        // The unit's channels: one short message at the highest level, the leader copied from 督办 on.
        result.channelDeliveryIds.push(
          ...(await this.channels.record(
            em,
            { unitId },
            key,
            'escalation',
            escalationMessage(
              items.map((x) => ({ task: channelTask(x.task), level: x.level })),
              this.channels.publicBaseUrl,
            ),
          )),
        );
      }

      for (const level of OFFICE_ESCALATION_LEVELS) {
        const at = still.filter((x) => x.level === level);
        if (!at.length) continue;
        const counts = new Map<string, number>();
        for (const x of at)
          counts.set(x.task.unit_name ?? '', (counts.get(x.task.unit_name ?? '') ?? 0) + 1);
        const text = officeEscalationText(
          level,
          [...counts]
            .map(([unitName, n]) => ({ unitName, n }))
            .sort((a, b) => b.n - a.n || a.unitName.localeCompare(b.unitName)),
        );
        result.notifications += await this.writer.write(em, 'office', {
          kind: 'escalation',
          ...text,
          taskId: null,
          dedupeKey: `escalation-scan:${scanId}:office:${level}`,
        });
        result.channelDeliveryIds.push(
          ...(await this.channels.record(
            em,
            'office',
            `escalation-scan:${scanId}:office:${level}`,
            'escalation',
            officeEscalationMessage(
              level,
              [...counts]
                .map(([unitName, n]) => ({ unitName, n }))
                .sort((a, b) => b.n - a.n || a.unitName.localeCompare(b.unitName)),
              this.channels.publicBaseUrl,
            ),
          )),
        );
      }
      return result;
    });
  }
}
