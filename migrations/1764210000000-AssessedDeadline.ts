import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 考核时限 (`tasks.assessed_deadline`): the deadline a unit is judged by in the 综合评价. It is
 * the deadline set when the task was assigned to its unit, moved only by the office (an approved
 * 延期, an override, resuming from 挂账); a failed 复查 (返工) or a 反弹 gives the unit a new
 * working `deadline` but leaves this one, so the task stays due in its period and late rework
 * stays late (see TaskTransitionsService and src/reports/digest/digest.reader.ts).
 *
 * Backfill from the audit trail: the deadline of the last event that set the judged deadline,
 * else the current deadline. `closed_on_time` of closed tasks is recomputed against it: the
 * accepted submission (the last one) made by the 考核时限. `down` drops the column and leaves
 * `closed_on_time` as recomputed.
 */
export class AssessedDeadline1764210000000 implements MigrationInterface {
  name = 'AssessedDeadline1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN assessed_deadline timestamptz`);
    await q.query(`
      UPDATE tasks t SET assessed_deadline = coalesce((
        SELECT CASE WHEN e.action IN ('approve_extension', 'override_deadline')
                    THEN (e.data->>'deadlineTo')::timestamptz
                    ELSE (e.data->>'deadline')::timestamptz END
          FROM task_events e
         WHERE e.task_id = t.id
           AND e.action IN ('create', 'dispatch', 'reassign', 'approve_extension',
                            'override_deadline', 'resume')
         ORDER BY e.id DESC LIMIT 1), t.deadline)
       WHERE t.deadline IS NOT NULL`);
    await q.query(`
      UPDATE tasks t SET closed_on_time = s.created_at <= t.assessed_deadline
        FROM (SELECT DISTINCT ON (task_id) task_id, created_at
                FROM task_submissions ORDER BY task_id, round DESC) s
       WHERE s.task_id = t.id AND t.status = 'closed' AND t.assessed_deadline IS NOT NULL`);
    await q.query(`CREATE INDEX ix_tasks_assessed_deadline ON tasks (assessed_deadline, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks DROP COLUMN assessed_deadline`);
  }
}
