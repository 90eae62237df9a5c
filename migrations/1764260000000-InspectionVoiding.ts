import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An inspection logged by mistake is voided by the office, never deleted: the row stays (who
 * voided it, when, why), lists show it marked, and the 快报 leaves it out. Its tasks are not
 * touched; each has its own lifecycle (cancel or mark duplicate).
 */
export class InspectionVoiding1764260000000 implements MigrationInterface {
  name = 'InspectionVoiding1764260000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE inspections
        ADD COLUMN voided_at timestamptz,
        ADD COLUMN voided_by uuid CONSTRAINT inspections_voided_by_fkey REFERENCES users (id),
        ADD COLUMN void_reason text,
        ADD CONSTRAINT ck_inspections_voided CHECK (
          (voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL))`);
    await q.query(
      `CREATE INDEX ix_inspections_voided_by ON inspections (voided_by) WHERE voided_by IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_inspections_voided_by`);
    await q.query(`
      ALTER TABLE inspections
        DROP CONSTRAINT ck_inspections_voided,
        DROP COLUMN void_reason,
        DROP COLUMN voided_by,
        DROP COLUMN voided_at`);
  }
}
