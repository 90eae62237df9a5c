import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 签收 (issue 17): a unit signs for the task it was given.
 * - `acknowledged_at`, and who signed as task events record an actor (`acknowledged_by_kind`
 *   user | api_key, `acknowledged_by_id`): a unit's system signs with its API key.
 * - `unit_assigned_at`: when the task came to its current unit (派遣, 改派); NULL for a task
 *   given to its unit when it was created — then `created_at` is that moment. The 签收时限 runs
 *   from it (`assigned_at` does not do: 返工 and 反弹 restart it for the same unit).
 * - `acknowledgement_escalated_at`: the deadline scan escalated the unsigned task (once per
 *   assignment). All three clear when the task goes to a unit again.
 * - A partial index for the unsigned assigned tasks (the office's list, the scan).
 * Existing tasks learn when their unit got them from their latest 派遣 / 改派 event.
 */
export class Acknowledgement1764360000000 implements MigrationInterface {
  name = 'Acknowledgement1764360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tasks
        ADD COLUMN acknowledged_at timestamptz,
        ADD COLUMN acknowledged_by_kind varchar(8),
        ADD COLUMN acknowledged_by_id uuid,
        ADD COLUMN unit_assigned_at timestamptz,
        ADD COLUMN acknowledgement_escalated_at timestamptz,
        ADD CONSTRAINT ck_tasks_acknowledged_by CHECK (
          (acknowledged_at IS NULL AND acknowledged_by_kind IS NULL AND acknowledged_by_id IS NULL)
          OR (acknowledged_at IS NOT NULL AND acknowledged_by_kind IN ('user', 'api_key')
              AND acknowledged_by_id IS NOT NULL))`);
    await q.query(`
      UPDATE tasks t SET unit_assigned_at = e.at
        FROM (SELECT task_id, max(created_at) AS at FROM task_events
               WHERE action IN ('dispatch', 'reassign') GROUP BY task_id) e
       WHERE e.task_id = t.id`);
    await q.query(`
      CREATE INDEX ix_tasks_unsigned ON tasks (unit_id, (COALESCE(unit_assigned_at, created_at)))
        WHERE status = 'assigned' AND acknowledged_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_tasks_unsigned`);
    await q.query(`
      ALTER TABLE tasks
        DROP CONSTRAINT ck_tasks_acknowledged_by,
        DROP COLUMN acknowledgement_escalated_at,
        DROP COLUMN unit_assigned_at,
        DROP COLUMN acknowledged_by_id,
        DROP COLUMN acknowledged_by_kind,
        DROP COLUMN acknowledged_at`);
  }
}
