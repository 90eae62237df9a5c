import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the inspector's phone needs (issue 13):
 * - `tasks.found_at`, when the problem was found, distinct from when the server received it
 *   (`created_at`): a phone offline in a stairwell syncs hours later. Existing tasks take their
 *   entry time, the best we know.
 * - Per category, 常用语 (`quick_phrases`) for the description and the radius within which an
 *   open task of the same category is shown as a possible duplicate (`duplicate_radius_m`).
 * - An index for "open tasks of this category near here": category, then a latitude band.
 */
export class FieldApi1764290000000 implements MigrationInterface {
  name = 'FieldApi1764290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN found_at timestamptz`);
    await q.query(`UPDATE tasks SET found_at = created_at`);
    await q.query(
      `ALTER TABLE tasks ALTER COLUMN found_at SET NOT NULL, ALTER COLUMN found_at SET DEFAULT now()`,
    );
    await q.query(`
      CREATE INDEX ix_tasks_open_category_position ON tasks (category_id, lat, lng)
        WHERE status IN ('pending_dispatch', 'assigned', 'submitted', 'on_hold') AND lat IS NOT NULL`);
    await q.query(`
      ALTER TABLE categories
        ADD COLUMN quick_phrases text[] NOT NULL DEFAULT '{}',
        ADD COLUMN duplicate_radius_m int NOT NULL DEFAULT 50,
        ADD CONSTRAINT ck_categories_quick_phrases CHECK (cardinality(quick_phrases) <= 20),
        ADD CONSTRAINT ck_categories_duplicate_radius_m CHECK (duplicate_radius_m BETWEEN 5 AND 1000)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE categories
        DROP CONSTRAINT ck_categories_duplicate_radius_m,
        DROP CONSTRAINT ck_categories_quick_phrases,
        DROP COLUMN duplicate_radius_m,
        DROP COLUMN quick_phrases`);
    await q.query(`DROP INDEX ix_tasks_open_category_position`);
    await q.query(`ALTER TABLE tasks DROP COLUMN found_at`);
  }
}
