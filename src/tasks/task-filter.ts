import type { Principal } from '../common/auth/principal.js';
import { idOrCodeCondition } from '../common/http/id-or-code.js';
import { parseInstant } from '../common/time/iso-time.js';
import { SqlWhere, escapeLike } from '../database/sql-where.js';
import type { EscalationThresholds } from './deadline/traffic-light.js';
import type { TaskFilterQuery } from './dto/list-tasks.query.js';

/** What a principal may see: a unit only its own unit's tasks; the office and inspectors all. */
export function scopeToPrincipal(where: SqlWhere, principal: Principal): SqlWhere {
  if (principal.role === 'unit') where.add('t.unit_id = ?', principal.unitId);
  return where;
}

/**
 * The list filters as SQL. Overdue and escalation are derived at query time from the deadline,
 * the start of the window and `now`, with the same boundaries as `assessDeadline`.
 */
export function applyTaskFilters(
  where: SqlWhere,
  f: TaskFilterQuery,
  now: Date,
  t: EscalationThresholds,
): SqlWhere {
  if (f.status?.length) where.add('t.status = ANY(?)', f.status);
  // By id or by code; an unknown code, like an unknown id, matches nothing.
  if (f.unitId) where.add(idOrCodeCondition('t.unit_id', 'units', f.unitId), f.unitId);
  if (f.categoryId) {
    where.add(idOrCodeCondition('t.category_id', 'categories', f.categoryId), f.categoryId);
  }
  if (f.siteId) where.add(idOrCodeCondition('t.site_id', 'sites', f.siteId), f.siteId);
  if (f.inspectionId) where.add('t.inspection_id = ?', f.inspectionId);
  if (f.source?.length) where.add('t.source = ANY(?)', f.source);
  if (f.importBatchId) where.add('t.import_batch_id = ?', f.importBatchId);
  if (f.overdue === true) where.add(`t.status = 'assigned' AND t.deadline < ?`, now);
  if (f.overdue === false) where.add(`NOT (t.status = 'assigned' AND t.deadline < ?)`, now);
  if (f.hasPendingRequest !== undefined) {
    const pending = `(EXISTS (SELECT 1 FROM extension_requests r WHERE r.task_id = t.id AND r.status = 'pending')
      OR EXISTS (SELECT 1 FROM task_disputes d WHERE d.task_id = t.id AND d.status = 'pending'))`;
    where.add(f.hasPendingRequest ? pending : `NOT ${pending}`);
  }
  if (f.rework !== undefined) {
    // 返工: back with the unit because the latest 整改反馈 failed its 复查. A task reopened after
    // a pass (反弹) or after an unverified close is not rework; rework_count > 0 is only the cheap
    // pre-filter (every failed check raised it).
    const rework = `(t.status = 'assigned' AND t.rework_count > 0 AND EXISTS (
      SELECT 1 FROM task_submissions s JOIN task_checks c ON c.submission_id = s.id
       WHERE s.task_id = t.id AND c.result = 'fail'
         AND s.round = (SELECT max(s2.round) FROM task_submissions s2 WHERE s2.task_id = t.id)))`;
    where.add(f.rework ? rework : `NOT ${rework}`);
  }
  // 反弹: a new problem linked to a closed task it repeats (src/tasks/recurrence/).
  if (f.recurrence === true) where.add('t.recurrence_of_id IS NOT NULL');
  if (f.recurrence === false) where.add('t.recurrence_of_id IS NULL');
  if (f.escalation === 'reminder') {
    where.add(
      `t.status = 'assigned' AND t.assigned_at + (t.deadline - t.assigned_at) * ? <= ?`,
      t.reminderAtFraction,
      now,
    );
  }
  if (f.escalation === 'supervise') {
    where.add(
      `t.status = 'assigned' AND t.deadline < ?`,
      new Date(now.getTime() - t.superviseAfterHours * 3_600_000),
    );
  }
  if (f.escalation === 'notify') {
    where.add(
      `t.status = 'assigned' AND t.deadline < ?`,
      new Date(now.getTime() - t.notifyAfterHours * 3_600_000),
    );
  }
  if (f.createdFrom) where.add('t.created_at >= ?', parseInstant(f.createdFrom));
  if (f.createdTo) where.add('t.created_at < ?', parseInstant(f.createdTo));
  if (f.closedFrom) where.add('t.closed_at >= ?', parseInstant(f.closedFrom));
  if (f.closedTo) where.add('t.closed_at < ?', parseInstant(f.closedTo));
  if (f.deadlineFrom) where.add('t.deadline >= ?', parseInstant(f.deadlineFrom));
  if (f.deadlineTo) where.add('t.deadline < ?', parseInstant(f.deadlineTo));
  if (f.q) {
    where.add(
      `(t.number || ' ' || t.description || ' ' || coalesce(t.address, '')) ILIKE ?`,
      `%${escapeLike(f.q.trim())}%`,
    );
  }
  return where;
}

/**
 * 签收: assigned tasks signed for by their unit, or not yet (待签收). Where 签收 is not required
 * nobody awaits a signature, so either value matches nothing.
 */
export function applyAcknowledgementFilter(
  where: SqlWhere,
  acknowledged: boolean | undefined,
  required: boolean,
): SqlWhere {
  if (acknowledged === undefined) return where;
  if (!required) return where.add('FALSE');
  return where.add(
    `t.status = 'assigned' AND t.acknowledged_at IS ${acknowledged ? 'NOT NULL' : 'NULL'}`,
  );
}
