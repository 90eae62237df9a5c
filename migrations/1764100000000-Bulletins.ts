import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 工作快报 (one row per issue, generated text and the office's edits side by side) and the
 * stored weekly digests (综合评价周报), written once per week so last week's figures never move.
 */
export class Bulletins1764100000000 implements MigrationInterface {
  name = 'Bulletins1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bulletins (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        issue_number int NOT NULL CHECK (issue_number > 0),
        issue_date date NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        -- generating: a queued job is writing the text of a long period (see BulletinsService).
        status varchar(10) NOT NULL DEFAULT 'draft'
          CHECK (status IN ('generating', 'draft', 'published')),
        generated jsonb NOT NULL DEFAULT '[]',
        edited jsonb NOT NULL DEFAULT '{}',
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        published_by uuid REFERENCES users (id),
        published_at timestamptz,
        version int NOT NULL DEFAULT 1,
        CONSTRAINT uq_bulletins_issue_number UNIQUE (issue_number),
        CONSTRAINT ck_bulletins_period CHECK (period_start < period_end),
        CONSTRAINT ck_bulletins_generated CHECK (jsonb_typeof(generated) = 'array'),
        CONSTRAINT ck_bulletins_edited CHECK (jsonb_typeof(edited) = 'object'),
        CONSTRAINT ck_bulletins_published CHECK (
          (status = 'published') = (published_at IS NOT NULL AND published_by IS NOT NULL))
      )`);
    // The list is keyset-paginated on issue_number (the unique index); foreign keys indexed.
    await q.query(`CREATE INDEX ix_bulletins_created_by ON bulletins (created_by)`);
    await q.query(
      `CREATE INDEX ix_bulletins_published_by ON bulletins (published_by) WHERE published_by IS NOT NULL`,
    );
    await q.query(`CREATE INDEX ix_bulletins_status ON bulletins (status, issue_number DESC)`);

    await q.query(`
      CREATE TABLE weekly_digests (
        week_start date PRIMARY KEY CHECK (extract(isodow FROM week_start) = 1),
        data jsonb NOT NULL,
        generated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE weekly_digests`);
    await q.query(`DROP TABLE bulletins`);
  }
}
