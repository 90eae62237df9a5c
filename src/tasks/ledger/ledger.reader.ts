import type { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal.js';
import type { TaskFilterQuery } from '../dto/list-tasks.query.js';
import type { TaskStatus } from '../task-lifecycle.js';
import type { TaskReader } from '../task-reader.js';

/** One task as the 台账 needs it (snake_case from SQL). */
export interface LedgerTaskRow {
  id: string;
  number: string;
  status: TaskStatus;
  category_name: string;
  category_group: string;
  unit_name: string | null;
  site_name: string | null;
  address: string | null;
  description: string;
  /** The inspection's day (Shanghai) and its label, when the task came from one. */
  inspection_day: string | null;
  inspection_label: string | null;
  created_at: Date;
  assigned_at: Date | null;
  deadline: Date | null;
  submitted_at: Date | null;
  submission_text: string | null;
  check_result: 'pass' | 'fail' | null;
  checked_by: string | null;
  checked_at: Date | null;
  check_note: string | null;
  closed_at: Date | null;
  closed_on_time: boolean | null;
  closed_unverified: boolean | null;
  rework_count: number;
  reopen_count: number;
  extension_count: number;
  hold_reason: string | null;
  hold_review_on: string | null;
  before_photo_ids: string[];
  after_photo_ids: string[];
}

/**
 * The latest submission and the latest 复查 of each task come from lateral joins on their
 * (task_id, …) indexes, the photos from task_attachments' primary key: a few index probes per
 * row, so a batch of 1,000 stays one quick query.
 */
const LEDGER_SELECT = `
  SELECT t.id, t.number, t.status, c.name AS category_name, c.group_name AS category_group,
         u.name AS unit_name, s.name AS site_name, t.address, t.description,
         to_char(i.held_on, 'YYYY-MM-DD') AS inspection_day,
         to_char(i.held_on, 'YYYY-MM-DD') || ' ' || i.activity AS inspection_label,
         t.created_at, t.assigned_at, t.deadline,
         sub.created_at AS submitted_at, sub.description AS submission_text,
         chk.result AS check_result, chk.actor_name AS checked_by, chk.created_at AS checked_at,
         chk.note AS check_note,
         t.closed_at, t.closed_on_time, t.closed_unverified, t.rework_count, t.reopen_count,
         t.extension_count, t.hold_reason, to_char(t.hold_review_on, 'YYYY-MM-DD') AS hold_review_on,
         ARRAY(SELECT ta.attachment_id::text FROM task_attachments ta
                WHERE ta.task_id = t.id AND ta.role = 'before'
                ORDER BY ta.event_id, ta.attachment_id) AS before_photo_ids,
         ARRAY(SELECT ta.attachment_id::text FROM task_attachments ta
                WHERE ta.task_id = t.id AND ta.role = 'after'
                ORDER BY ta.event_id, ta.attachment_id) AS after_photo_ids
    FROM tasks t
    JOIN categories c ON c.id = t.category_id
    LEFT JOIN sites s ON s.id = t.site_id
    LEFT JOIN units u ON u.id = t.unit_id
    LEFT JOIN inspections i ON i.id = t.inspection_id
    LEFT JOIN LATERAL (
      SELECT ts.created_at, ts.description FROM task_submissions ts
       WHERE ts.task_id = t.id ORDER BY ts.round DESC LIMIT 1) sub ON true
    LEFT JOIN LATERAL (
      SELECT tc.result, tc.note, tc.created_at, e.actor_name FROM task_checks tc
        JOIN task_events e ON e.id = tc.event_id
       WHERE tc.task_id = t.id ORDER BY tc.created_at DESC, tc.id DESC LIMIT 1) chk ON true`;

/** Reads the 台账's rows, scoped and filtered as the task list is, in task-number order. */
export class LedgerReader {
  constructor(
    private readonly ds: DataSource,
    private readonly tasks: TaskReader,
  ) {}

  /**
   * Every matching task in number order (ZG-2026-000001, …000002, …: the sequence is zero-padded
   * to six digits, so text order is number order), in keyset batches on the unique number:
   * never the whole ledger in memory.
   */
  async *stream(
    principal: Principal,
    f: TaskFilterQuery,
    now: Date,
    batch = 1000,
  ): AsyncGenerator<LedgerTaskRow> {
    let after: string | null = null;
    for (;;) {
      const where = this.tasks.filterWhere(principal, f, now);
      if (after !== null) where.add('t.number > ?', after);
      const rows = (await this.ds.query(
        `${LEDGER_SELECT} ${where} ORDER BY t.number LIMIT ${batch}`,
        where.params,
      )) as LedgerTaskRow[];
      yield* rows;
      if (rows.length < batch) return;
      after = rows[rows.length - 1].number;
    }
  }
}
