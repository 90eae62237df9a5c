import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Speed (issue 15): the console's counts (工作台, 每周新增与销号, the list's counts) are index-only
 * scans, and an index-only scan reads the table row of every index entry whose page the
 * visibility map does not mark all-visible — and only VACUUM marks pages. With PostgreSQL's
 * defaults autovacuum waits for 20 % of the table to change (200,000 rows at 1 M tasks: years
 * of the office's work), so the pages of the open tasks, which are the ones that change, would
 * stay unmarked: on the bench database the 待整改/待复查 count read 71,870 table rows for
 * 102,789 index entries (370 ms instead of 10 ms). A fixed threshold instead: vacuum after
 * 5,000 updated or deleted rows, or 5,000 inserted ones, whatever the table's size. Such a
 * vacuum skips the pages already all-visible, so it costs what changed, not the table.
 */
export class TasksAutovacuum1764460000000 implements MigrationInterface {
  name = 'TasksAutovacuum1764460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tasks SET (
        autovacuum_vacuum_scale_factor = 0,
        autovacuum_vacuum_threshold = 5000,
        autovacuum_vacuum_insert_scale_factor = 0,
        autovacuum_vacuum_insert_threshold = 5000,
        autovacuum_analyze_scale_factor = 0,
        autovacuum_analyze_threshold = 5000
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tasks RESET (
        autovacuum_vacuum_scale_factor,
        autovacuum_vacuum_threshold,
        autovacuum_vacuum_insert_scale_factor,
        autovacuum_vacuum_insert_threshold,
        autovacuum_analyze_scale_factor,
        autovacuum_analyze_threshold
      )`);
  }
}
