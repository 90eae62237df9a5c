import { sql } from 'kysely';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal.js';
import { dbOf, type Db } from '../../database/kysely.js';
import { conditionOf } from '../data/sql-where.js';
import type { TaskFilterQuery } from '../dto/list-tasks.query.js';
import type { TaskReader } from '../task-reader.js';

/** Photo ids of one role on the task, in the order they were attached. */
const photoIds = (role: 'before' | 'after') =>
  sql<string[]>`ARRAY(SELECT ta.attachment_id::text FROM task_attachments ta
    WHERE ta.task_id = t.id AND ta.role = ${role} ORDER BY ta.event_id, ta.attachment_id)`;

/**
 * One task as the 台账 needs it. The latest submission and the latest 复查 of each task come from
 * lateral joins on their (task_id, …) indexes, the photos from task_attachments' primary key: a
 * few index probes per row, so a batch of 1,000 stays one quick query.
 */
function ledgerRows(db: Db) {
  return db
    .selectFrom('tasks as t')
    .innerJoin('categories as c', 'c.id', 't.category_id')
    .leftJoin('sites as s', 's.id', 't.site_id')
    .leftJoin('units as u', 'u.id', 't.unit_id')
    .leftJoin('inspections as i', 'i.id', 't.inspection_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('task_submissions as ts')
          .select(['ts.created_at', 'ts.description', 'ts.evidence_flags'])
          .whereRef('ts.task_id', '=', 't.id')
          .orderBy('ts.round', 'desc')
          .limit(1)
          .as('sub'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('task_checks as tc')
          .innerJoin('task_events as e', 'e.id', 'tc.event_id')
          .select(['tc.result', 'tc.note', 'tc.created_at', 'e.actor_name'])
          .whereRef('tc.task_id', '=', 't.id')
          .orderBy('tc.created_at', 'desc')
          .orderBy('tc.id', 'desc')
          .limit(1)
          .as('chk'),
      (join) => join.onTrue(),
    )
    .select([
      't.id',
      't.number',
      't.status',
      'c.name as category_name',
      'c.group_name as category_group',
      'u.name as unit_name',
      's.name as site_name',
      't.address',
      't.description',
      // The inspection's day (Shanghai) and its label, when the task came from one.
      sql<string | null>`to_char(i.held_on, 'YYYY-MM-DD')`.as('inspection_day'),
      sql<string | null>`to_char(i.held_on, 'YYYY-MM-DD') || ' ' || i.activity`.as(
        'inspection_label',
      ),
      't.found_at',
      't.source',
      't.assigned_at',
      't.acknowledged_at',
      // Who signed (签收): the user's name, or the API key's; the task stores kind and id.
      sql<string | null>`CASE t.acknowledged_by_kind
        WHEN 'user' THEN (SELECT us.display_name FROM users us WHERE us.id = t.acknowledged_by_id)
        WHEN 'api_key' THEN (SELECT k.name FROM api_keys k WHERE k.id = t.acknowledged_by_id)
        END`.as('acknowledged_by'),
      't.deadline',
      'sub.created_at as submitted_at',
      'sub.description as submission_text',
      'sub.evidence_flags',
      'chk.result as check_result',
      'chk.actor_name as checked_by',
      'chk.created_at as checked_at',
      'chk.note as check_note',
      't.closed_at',
      't.closed_on_time',
      't.closed_unverified',
      't.rework_count',
      't.reopen_count',
      't.extension_count',
      't.hold_reason',
      sql<string | null>`to_char(t.hold_review_on, 'YYYY-MM-DD')`.as('hold_review_on'),
      photoIds('before').as('before_photo_ids'),
      photoIds('after').as('after_photo_ids'),
    ]);
}

/** One task as the 台账 needs it: what `ledgerRows` selects. */
export type LedgerTaskRow = Awaited<
  ReturnType<ReturnType<typeof ledgerRows>['executeTakeFirstOrThrow']>
>;

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
    const db = dbOf(this.ds.manager);
    let after: string | null = null;
    for (;;) {
      const where = this.tasks.filterWhere(principal, f, now);
      if (after !== null) where.add('t.number > ?', after);
      const rows = await ledgerRows(db)
        .where(conditionOf(where))
        .orderBy('t.number')
        .limit(batch)
        .execute();
      yield* rows;
      if (rows.length < batch) return;
      after = rows[rows.length - 1].number;
    }
  }
}
