import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Problems that come back (反弹, issue 16):
 * - `tasks.recurrence_of_id`: the closed task of the same category near which this problem was
 *   logged within the recurrence window (src/tasks/recurrence/recurrence-rule.ts). Not the
 *   office's reopen of the same task (`reopen_count`): a new task, linked to the old one.
 *   Indexed where set, for "the recurrences of this task" and the digest's count.
 * - Per category, `recurrence_radius_m` (0 = off): how near the earlier closed task must be.
 * - An index for "closed tasks of this category near here, latest first": category, then a
 *   latitude band, of closed tasks with a position; tasks without one match by site
 *   (`ix_tasks_closed_category_site`).
 */
export class Recurrence1764310000000 implements MigrationInterface {
  name = 'Recurrence1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tasks ADD COLUMN recurrence_of_id uuid NULL
        CONSTRAINT fk_tasks_recurrence_of REFERENCES tasks(id)`);
    await q.query(`
      CREATE INDEX ix_tasks_recurrence_of ON tasks (recurrence_of_id)
        WHERE recurrence_of_id IS NOT NULL`);
    await q.query(`
      CREATE INDEX ix_tasks_closed_category_position ON tasks (category_id, lat, lng)
        WHERE status = 'closed' AND lat IS NOT NULL`);
    await q.query(`
      CREATE INDEX ix_tasks_closed_category_site ON tasks (category_id, site_id)
        WHERE status = 'closed' AND site_id IS NOT NULL`);
    await q.query(`
      ALTER TABLE categories
        ADD COLUMN recurrence_radius_m int NOT NULL DEFAULT 50,
        ADD CONSTRAINT ck_categories_recurrence_radius_m CHECK (recurrence_radius_m BETWEEN 0 AND 1000)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE categories
        DROP CONSTRAINT ck_categories_recurrence_radius_m,
        DROP COLUMN recurrence_radius_m`);
    await q.query(`DROP INDEX ix_tasks_closed_category_site`);
    await q.query(`DROP INDEX ix_tasks_closed_category_position`);
    await q.query(`DROP INDEX ix_tasks_recurrence_of`);
    await q.query(`ALTER TABLE tasks DROP COLUMN recurrence_of_id`);
  }
}
