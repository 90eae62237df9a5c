import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 督导计划 (issue 16): the office assigns 点位 to an inspector for a week (Monday–Sunday) or a
 * calendar month, Asia/Shanghai days. One plan per inspector per period; its sites in
 * `inspection_plan_sites`, replaced as a whole when the plan is edited. Coverage is read from
 * these and the inspections (src/plans/coverage.reader.ts); nothing about visits is stored here.
 */
export class InspectionPlans1764330000000 implements MigrationInterface {
  name = 'InspectionPlans1764330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inspection_plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inspector_id uuid NOT NULL REFERENCES users (id),
        period_kind varchar(8) NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        note varchar(500),
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CONSTRAINT ck_inspection_plans_period_kind CHECK (period_kind IN ('week', 'month')),
        CONSTRAINT ck_inspection_plans_period CHECK (
          (period_kind = 'week' AND extract(isodow FROM period_start) = 1
            AND period_end = period_start + 6)
          OR (period_kind = 'month' AND extract(day FROM period_start) = 1
            AND period_end = (period_start + interval '1 month' - interval '1 day')::date)),
        CONSTRAINT uq_inspection_plans_inspector_period
          UNIQUE (inspector_id, period_kind, period_start)
      )`);
    await q.query(
      `CREATE INDEX ix_inspection_plans_period ON inspection_plans (period_start, period_end)`,
    );
    await q.query(`CREATE INDEX ix_inspection_plans_created_by ON inspection_plans (created_by)`);
    await q.query(`
      CREATE TABLE inspection_plan_sites (
        plan_id uuid NOT NULL REFERENCES inspection_plans (id) ON DELETE CASCADE,
        site_id uuid NOT NULL REFERENCES sites (id),
        PRIMARY KEY (plan_id, site_id)
      )`);
    await q.query(
      `CREATE INDEX ix_inspection_plan_sites_site_id ON inspection_plan_sites (site_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inspection_plan_sites`);
    await q.query(`DROP TABLE inspection_plans`);
  }
}
