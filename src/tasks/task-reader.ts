import { Injectable } from '@nestjs/common';
import { CompiledQuery } from 'kysely';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { cursorTimestamp, decodeCursor, microsUtc, toPage } from '../common/http/pagination.js';
import { dbOf, type Db } from '../database/kysely.js';
import { SqlWhere } from '../database/sql-where.js';
import { conditionOf } from './data/sql-where.js';
import { listTaskEvents } from './data/task-events.repository.js';
import { pendingRequests } from './data/task-requests.repository.js';
import {
  compileTaskPage,
  countByStatus,
  findTaskRow,
  type TaskDetailRow,
  type TaskPageRow,
  type TaskRow,
} from './data/task-views.repository.js';
import { AcknowledgementPolicy } from './acknowledgement/acknowledgement-policy.js';
import { DeadlineService } from './deadline/deadline.service.js';
import { toTaskPhotoDto } from './evidence/evidence-output.js';
import type { EvidenceFlag } from './evidence/evidence-rules.js';
import { taskPhotoEvidence } from './evidence/evidence.repository.js';
import type { ListTasksQuery, TaskFilterQuery, TaskSort } from './dto/list-tasks.query.js';
import type { TaskDetailDto, TaskEventDto, TaskSummaryDto } from './dto/task-output.dto.js';
import { taskNotFound } from './task-errors.js';
import { toRecurrenceOf, toRecurrences } from './recurrence/recurrence-output.js';
import { linkRow } from './recurrence/recurrence-links.js';
import { applyAcknowledgementFilter, applyTaskFilters, scopeToPrincipal } from './task-filter.js';
import { availableActions, type TaskStatus } from './task-lifecycle.js';
import { iso, toTaskEventDto, toTaskSummary } from './task-summary.js';

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

/** Reads tasks as the caller may see them: lists, one task, its history. */
@Injectable()
export class TaskReader {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly deadlines: DeadlineService,
    private readonly clock: Clock,
    private readonly acknowledgement: AcknowledgementPolicy,
  ) {}

  filterWhere(principal: Principal, f: TaskFilterQuery, now = this.clock.now()): SqlWhere {
    return applyAcknowledgementFilter(
      applyTaskFilters(
        scopeToPrincipal(new SqlWhere(), principal),
        f,
        now,
        this.deadlines.settings.escalation,
      ),
      f.acknowledged,
      this.acknowledgement.required,
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
    const statement = compileTaskPage(where, sort.order, sort.key, limit + 1);
    const { rows } = await dbOf(this.ds.manager).executeQuery<TaskPageRow>(
      CompiledQuery.raw(statement.sql, [...statement.parameters]),
    );
    const page = toPage(rows, limit, sort.cursorOf);
    return { items: page.items.map((r) => this.summary(r, now)), nextCursor: page.nextCursor };
  }

  /** How many of the tasks the caller may see match `f`, by status (absent: none). */
  countByStatus(
    principal: Principal,
    f: TaskFilterQuery,
  ): Promise<{ status: TaskStatus; n: number }[]> {
    return countByStatus(dbOf(this.ds.manager), conditionOf(this.filterWhere(principal, f)));
  }

  /** One task as the caller may see it, outside any transaction (`known`: see `detailIn`). */
  detail(
    principal: Principal,
    id: string,
    known: { nonePending?: boolean } = {},
  ): Promise<TaskDetailDto> {
    return this.detailIn(dbOf(this.ds.manager), principal, id, known);
  }

  /**
   * One task as the caller may see it, read inside `db`'s transaction (after a change).
   * `known.nonePending`: the caller knows the task has no pending 延期 or 申诉 (the transition
   * runner, from its lock), so they are not read again.
   */
  async detailIn(
    db: Db,
    principal: Principal,
    id: string,
    known: { nonePending?: boolean } = {},
  ): Promise<TaskDetailDto> {
    const row = await this.findRow(db, principal, id);
    // One after the other: `db` may be a transaction's one connection (pg queues, and warns of,
    // a query sent while another runs on the same client).
    const photos = await taskPhotoEvidence(db, id);
    const pending = known.nonePending
      ? { extension: null, dispute: null }
      : await pendingRequests(db, id);
    // Only a submission still standing is in doubt: awaiting 复查, or the one a closure accepted.
    const flags =
      (row.status === 'submitted' || row.status === 'closed') &&
      Array.isArray(photos[0]?.latest_evidence_flags)
        ? (photos[0].latest_evidence_flags as unknown as EvidenceFlag[])
        : [];
    const ext = pending.extension;
    const dispute = pending.dispute;
    return {
      ...this.summary(row, this.clock.now()),
      beforePhotoIds: photos.filter((p) => p.role === 'before').map((p) => p.id),
      afterPhotoIds: photos.filter((p) => p.role === 'after').map((p) => p.id),
      photos: photos.map(toTaskPhotoDto),
      evidenceFlags: flags,
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
      recurrenceOf: toRecurrenceOf(
        principal,
        row,
        row.recurrence_of ? linkRow(row.recurrence_of) : undefined,
      ),
      recurrences: toRecurrences(principal, row.recurrences.map(linkRow)),
      actions: availableActions(
        {
          status: row.status,
          unitId: row.unit_id,
          hasPendingExtension: !!ext,
          hasPendingDispute: !!dispute,
          acknowledgement: this.acknowledgement.stateOf(row.acknowledged_at),
        },
        principal,
      ),
    };
  }

  async events(principal: Principal, id: string): Promise<TaskEventDto[]> {
    const db = dbOf(this.ds.manager);
    await this.findRow(db, principal, id);
    const rows = await listTaskEvents(db, id);
    return rows.map(toTaskEventDto);
  }

  /** The row if the principal may see it, else 404 (also for another unit's existing task). */
  private async findRow(db: Db, principal: Principal, id: string): Promise<TaskDetailRow> {
    const row = await findTaskRow(db, id, principal.role === 'unit' ? principal.unitId : null);
    if (!row) throw taskNotFound();
    return row;
  }

  private summary(r: TaskRow, now: Date): TaskSummaryDto {
    return toTaskSummary(
      r,
      (assignedAt, deadline) => this.deadlines.assess(assignedAt, deadline, now),
      this.acknowledgement.required,
    );
  }
}
