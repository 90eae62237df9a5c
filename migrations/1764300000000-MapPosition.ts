import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The map (一张图, issue 16): a GiST index on a task's position as a point (x = longitude,
 * y = latitude), so that "tasks in this box" (`point(lng, lat) <@ box(…)`) is an index scan at
 * a million tasks instead of a scan of the table. Positions are WGS-84 / CGCS2000 degrees.
 * No PostGIS: the built-in geometric types are enough for boxes and grid counts.
 * And a partial index on the site of tasks without a position of their own (they show at their
 * site's): without it the map's site branch reads every task of every site in the box.
 */
export class MapPosition1764300000000 implements MigrationInterface {
  name = 'MapPosition1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_tasks_position ON tasks USING gist (point(lng, lat)) WHERE lat IS NOT NULL AND lng IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX ix_tasks_site_unpositioned ON tasks (site_id) WHERE lat IS NULL OR lng IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_tasks_site_unpositioned`);
    await q.query(`DROP INDEX ix_tasks_position`);
  }
}
