import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { VerificationPolicy } from '../catalog/category.entity.js';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { cursorTimestamp, decodeCursor, microsUtc, toPage } from '../common/http/pagination.js';
import { DeadlineService } from './deadline/deadline.service.js';
import type { ListTasksQuery, TaskFilterQuery, TaskSort } from './dto/list-tasks.query.js';
import type { TaskDetailDto, TaskEventDto, TaskSummaryDto } from './dto/task-output.dto.js';
import { availableActions, statusLabel, type TaskStatus } from './task-lifecycle.js';
import { SqlWhere } from '../database/sql-where.js';
import { applyTaskFilters, scopeToPrincipal } from './task-filter.js';
import { taskNotFound } from './task-errors.js';

/** One row of the task list query (snake_case from SQL). */
export interface TaskRow {
  id: string;
  number: string;
  status: TaskStatus;
  inspection_id: string | null;
  category_id: string;
  category_code: string;
  category_name: string;
  category_bulletin_name: string | null;
  category_group: string;
  measure_word: string;
  category_policy: VerificationPolicy;
  site_id: string | null;
  site_name: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  description: string;
  unit_id: string | null;
  unit_name: string | null;
  assigned_at: Date | null;
  deadline: Date | null;
  deadline_overridden: boolean;
  verification_policy: VerificationPolicy | null;
  rework_count: number;
  reopen_count: number;
  extension_count: number;
  hold_reason: string | null;
  hold_review_on: string | null;
  duplicate_of_id: string | null;
  closed_at: Date | null;
  closed_on_time: boolean | null;
  closed_unverified: boolean | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export const TASK_SELECT = `
  SELECT t.id, t.number, t.status, t.inspection_id, t.category_id, c.code AS category_code,
         c.name AS category_name, c.bulletin_name AS category_bulletin_name, c.group_name AS category_group,
         c.measure_word, c.verification_policy AS category_policy, t.site_id, s.name AS site_name,
         t.address, t.lat, t.lng, t.description, t.unit_id, u.name AS unit_name, t.assigned_at,
         t.deadline, t.deadline_overridden, t.verification_policy, t.rework_count, t.reopen_count,
         t.extension_count, t.hold_reason, to_char(t.hold_review_on, 'YYYY-MM-DD') AS hold_review_on,
         t.duplicate_of_id, t.closed_at, t.closed_on_time, t.closed_unverified, t.created_at,
         t.updated_at, t.version
    FROM tasks t
    JOIN categories c ON c.id = t.category_id
    LEFT JOIN sites s ON s.id = t.site_id
    LEFT JOIN units u ON u.id = t.unit_id`;

interface SortSpec {
  /** ORDER BY, and the keyset comparison against the cursor. */
  order: string;
  after: string;
  /** Rows without the sort key are not in that order at all. */
  only?: string;
  /** The sort key as the cursor keeps it: a timestamp to the microsecond (see `microsUtc`). */
  key: string;
  arity: number;
  cursorOf: (r: TaskRow & { cursor_key: string | number }) => (string | number)[];
  fromCursor: (values: (string | number)[]) => unknown[];
}

const byTime = (column: string, direction: 'ASC' | 'DESC', only?: string): SortSpec => ({
  order: `${column} ${direction}, t.id ${direction}`,
  after: `(${column}, t.id) ${direction === 'ASC' ? '>' : '<'} (?::timestamptz, ?::uuid)`,
  only,
  key: microsUtc(column),
  arity: 2,
  cursorOf: (r) => [r.cursor_key, r.id],
  fromCursor: ([at, id]) => [cursorTimestamp(at), id],
});

const SORTS: Record<TaskSort, SortSpec> = {
  '-createdAt': byTime('t.created_at', 'DESC'),
  deadline: byTime('t.deadline', 'ASC', 't.deadline IS NOT NULL'),
  number: {
    order: 't.number ASC',
    after: 't.number > ?',
    key: 't.number',
    arity: 1,
    cursorOf: (r) => [r.number],
    fromCursor: ([n]) => [n],
  },
  '-closedAt': byTime('t.closed_at', 'DESC', 't.closed_at IS NOT NULL'),
};

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Reads tasks as the caller may see them: lists, one task, its history. */
@Injectable()
export class TaskReader {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly deadlines: DeadlineService,
    private readonly clock: Clock,
  ) {}

  filterWhere(principal: Principal, f: TaskFilterQuery, now = this.clock.now()): SqlWhere {
    return applyTaskFilters(
      scopeToPrincipal(new SqlWhere(), principal),
      f,
      now,
      this.deadlines.settings.escalation,
    );
  }

  async list(
    principal: Principal,
    q: ListTasksQuery,
  ): Promise<{ items: TaskSummaryDto[]; nextCursor: string | null }> {
    const now = this.clock.now();
    const limit = q.limit ?? 50;
    const sort = SORTS[q.sort ?? '-createdAt'];
    const where = this.filterWhere(principal, q, now);
    if (sort.only) where.add(sort.only);
    if (q.cursor) {
      where.add(sort.after, ...sort.fromCursor(decodeCursor(q.cursor, sort.arity)));
    }
    const select = TASK_SELECT.replace(
      /\n\s*FROM tasks t/,
      `, ${sort.key} AS cursor_key\n    FROM tasks t`,
    );
    const rows = (await this.ds.query(
      `${select} ${where} ORDER BY ${sort.order} LIMIT ${limit + 1}`,
      where.params,
    )) as (TaskRow & { cursor_key: string | number })[];
    const page = toPage(rows, limit, sort.cursorOf);
    return { items: page.items.map((r) => this.toSummary(r, now)), nextCursor: page.nextCursor };
  }

  /** Streams every matching row in keyset batches (the ledger export), never all in memory. */
  async *stream<R extends TaskRow = TaskRow>(
    principal: Principal,
    f: TaskFilterQuery,
    select = TASK_SELECT,
    batch = 1000,
  ): AsyncGenerator<R> {
    const now = this.clock.now();
    let after: string | null = null;
    for (;;) {
      const where = this.filterWhere(principal, f, now);
      // The last row's own created_at, read back by id: a JS Date would cut it to milliseconds.
      if (after) {
        where.add(
          '(t.created_at, t.id) < ((SELECT a.created_at FROM tasks a WHERE a.id = ?), ?)',
          after,
          after,
        );
      }
      const rows = (await this.ds.query(
        `${select} ${where} ORDER BY t.created_at DESC, t.id DESC LIMIT ${batch}`,
        where.params,
      )) as R[];
      yield* rows;
      if (rows.length < batch) return;
      after = rows[rows.length - 1].id;
    }
  }

  /** The row if the principal may see it, else 404 (also for another unit's existing task). */
  async findRow(
    principal: Principal,
    id: string,
    em: EntityManager = this.ds.manager,
  ): Promise<TaskRow> {
    const where = scopeToPrincipal(new SqlWhere().add('t.id = ?', id), principal);
    const [row] = (await em.query(`${TASK_SELECT} ${where}`, where.params)) as TaskRow[];
    if (!row) throw taskNotFound();
    return row;
  }

  async detail(
    principal: Principal,
    id: string,
    em: EntityManager = this.ds.manager,
  ): Promise<TaskDetailDto> {
    const row = await this.findRow(principal, id, em);
    const [photos, pending] = await Promise.all([
      em.query(
        `SELECT attachment_id, role FROM task_attachments ta JOIN task_events e ON e.id = ta.event_id
          WHERE ta.task_id = $1 AND ta.role IN ('before', 'after') ORDER BY e.id, ta.attachment_id`,
        [id],
      ) as Promise<{ attachment_id: string; role: string }[]>,
      em.query(
        `SELECT 'extension' AS kind, id, reason, requested_deadline, created_at FROM extension_requests WHERE task_id = $1 AND status = 'pending'
         UNION ALL
         SELECT 'dispute', id, reason, NULL, created_at FROM task_disputes WHERE task_id = $1 AND status = 'pending'`,
        [id],
      ) as Promise<
        {
          kind: string;
          id: string;
          reason: string;
          requested_deadline: Date | null;
          created_at: Date;
        }[]
      >,
    ]);
    const ext = pending.find((p) => p.kind === 'extension');
    const dispute = pending.find((p) => p.kind === 'dispute');
    const now = this.clock.now();
    return {
      ...this.toSummary(row, now),
      beforePhotoIds: photos.filter((p) => p.role === 'before').map((p) => p.attachment_id),
      afterPhotoIds: photos.filter((p) => p.role === 'after').map((p) => p.attachment_id),
      pendingExtension: ext
        ? {
            id: ext.id,
            reason: ext.reason,
            requestedDeadline: iso(ext.requested_deadline) ?? undefined,
            createdAt: ext.created_at.toISOString(),
          }
        : null,
      pendingDispute: dispute
        ? { id: dispute.id, reason: dispute.reason, createdAt: dispute.created_at.toISOString() }
        : null,
      actions: availableActions(
        {
          status: row.status,
          unitId: row.unit_id,
          hasPendingExtension: !!ext,
          hasPendingDispute: !!dispute,
        },
        principal,
      ),
    };
  }

  async events(principal: Principal, id: string): Promise<TaskEventDto[]> {
    await this.findRow(principal, id);
    const rows = (await this.ds.query(
      `SELECT id::text, action, from_status, to_status, actor_kind, actor_id, actor_name, actor_role, note, data,
              attachment_ids, created_at
         FROM task_events WHERE task_id = $1 ORDER BY id`,
      [id],
    )) as {
      id: string;
      action: string;
      from_status: TaskStatus | null;
      to_status: TaskStatus;
      actor_kind: string;
      actor_id: string | null;
      actor_name: string;
      actor_role: string | null;
      note: string | null;
      data: Record<string, unknown>;
      attachment_ids: string[];
      created_at: Date;
    }[];
    return rows.map((r) => ({
      id: r.id,
      action: r.action,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      actorName: r.actor_name,
      actorRole: r.actor_role,
      note: r.note,
      data: r.data,
      attachmentIds: r.attachment_ids,
      createdAt: r.created_at.toISOString(),
    }));
  }

  toSummary(r: TaskRow, now: Date): TaskSummaryDto {
    const timing =
      r.status === 'assigned' && r.assigned_at && r.deadline
        ? this.deadlines.assess(r.assigned_at, r.deadline, now)
        : null;
    return {
      id: r.id,
      number: r.number,
      status: r.status,
      statusLabel: statusLabel(r.status),
      inspectionId: r.inspection_id,
      category: {
        id: r.category_id,
        code: r.category_code,
        name: r.category_name,
        measureWord: r.measure_word,
      },
      site: r.site_id ? { id: r.site_id, name: r.site_name ?? '' } : null,
      address: r.address,
      lat: r.lat,
      lng: r.lng,
      description: r.description,
      unit: r.unit_id ? { id: r.unit_id, name: r.unit_name ?? '' } : null,
      assignedAt: iso(r.assigned_at),
      deadline: iso(r.deadline),
      deadlineOverridden: r.deadline_overridden,
      verificationPolicy: r.verification_policy ?? r.category_policy,
      reworkCount: r.rework_count,
      reopenCount: r.reopen_count,
      extensionCount: r.extension_count,
      holdReason: r.hold_reason,
      holdReviewOn: r.hold_review_on,
      duplicateOfId: r.duplicate_of_id,
      closedAt: iso(r.closed_at),
      closedOnTime: r.closed_on_time,
      closedUnverified: r.closed_unverified,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      version: r.version,
      timing: timing
        ? {
            light: timing.light,
            overdue: timing.overdue,
            overdueHours: Math.round(timing.overdueHours * 10) / 10,
            escalation: timing.escalation,
            fractionUsed: Math.round(timing.fractionUsed * 1000) / 1000,
          }
        : null,
    };
  }
}
