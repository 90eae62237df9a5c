import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Work arriving by other roads (issue 17):
 * - `tasks.source`, where the problem came from (督导检查, 暗访, 第三方测评, 12345 …): a code from
 *   config/sources.json, so no CHECK here (the office adds sources without a migration). Every
 *   task so far came from our inspectors: 'inspection' (督导检查).
 * - `import_batches`: an uploaded problem list (.xlsx) as parsed — its header row, its rows as
 *   text cells and the column mapping — kept as a draft until the office confirms it (then its
 *   tasks are created in one transaction) or discards it. `tasks.import_batch_id` says which
 *   batch created a task.
 * - `import_mappings`: the last column mapping used per source, offered for the next file.
 */
export class ImportsAndSources1764350000000 implements MigrationInterface {
  name = 'ImportsAndSources1764350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source varchar(32) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'draft',
        filename varchar(255),
        headers jsonb NOT NULL,
        rows jsonb NOT NULL,
        row_count int NOT NULL,
        mapping jsonb NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        task_count int,
        CONSTRAINT ck_import_batches_status CHECK (status IN ('draft', 'confirmed', 'discarded')),
        CONSTRAINT ck_import_batches_confirmed CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_import_batches_created_by ON import_batches (created_by)`);
    await q.query(`
      CREATE TABLE import_mappings (
        source varchar(32) PRIMARY KEY,
        mapping jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      ALTER TABLE tasks
        ADD COLUMN source varchar(32) NOT NULL DEFAULT 'inspection',
        ADD COLUMN import_batch_id uuid,
        ADD CONSTRAINT tasks_import_batch_id_fkey FOREIGN KEY (import_batch_id) REFERENCES import_batches(id)`);
    await q.query(
      `CREATE INDEX ix_tasks_import_batch_id ON tasks (import_batch_id) WHERE import_batch_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_tasks_import_batch_id`);
    await q.query(
      `ALTER TABLE tasks DROP CONSTRAINT tasks_import_batch_id_fkey, DROP COLUMN import_batch_id, DROP COLUMN source`,
    );
    await q.query(`DROP TABLE import_mappings`);
    await q.query(`DROP TABLE import_batches`);
  }
}
