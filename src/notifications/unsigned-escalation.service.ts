import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { dbOf } from '../database/kysely.js';
import { AcknowledgementPolicy } from '../tasks/acknowledgement/acknowledgement-policy.js';
import {
  officeUnsignedText,
  unitUnsignedText,
} from '../tasks/acknowledgement/unsigned-escalation-text.js';
import { markUnsignedOverdue } from '../tasks/acknowledgement/unsigned-tasks.repository.js';
import { NotificationWriter } from './notification-writer.js';

/**
 * 超时未签收: part of the deadline scan, where 签收 is required. An assigned task its unit has
 * not signed for within ACK_LIMIT_HOURS is escalated like an overdue one at 督办 — once per
 * assignment (the task's mark): the unit's users are told of their tasks, the office gets one
 * summary. Written in the scan's transaction, deduplicated per scan.
 */
@Injectable()
export class UnsignedEscalationService {
  constructor(
    private readonly policy: AcknowledgementPolicy,
    private readonly writer: NotificationWriter,
  ) {}

  /** The number of tasks escalated now (0 where 签收 is not required). */
  async escalate(em: EntityManager, now: Date, scanId: string): Promise<number> {
    if (!this.policy.required) return 0;
    const rows = await markUnsignedOverdue(dbOf(em), { now, limitHours: this.policy.limitHours });
    if (!rows.length) return 0;
    const byUnit = new Map<string, typeof rows>();
    for (const r of rows) byUnit.set(r.unit_id, [...(byUnit.get(r.unit_id) ?? []), r]);
    for (const [unitId, tasks] of byUnit) {
      const numbers = tasks.map((x) => x.number).sort();
      await this.writer.write(
        em,
        { unitId },
        {
          kind: 'escalation',
          ...unitUnsignedText(numbers, this.policy.limitHours),
          taskId: tasks.length === 1 ? tasks[0].id : null,
          dedupeKey: `unsigned-scan:${scanId}:unit:${unitId}`,
        },
      );
    }
    await this.writer.write(em, 'office', {
      kind: 'escalation',
      ...officeUnsignedText(
        [...byUnit.values()]
          .map((ts) => ({ unitName: ts[0].unit_name, n: ts.length }))
          .sort((a, b) => b.n - a.n || a.unitName.localeCompare(b.unitName)),
      ),
      taskId: null,
      dedupeKey: `unsigned-scan:${scanId}:office`,
    });
    return rows.length;
  }
}
