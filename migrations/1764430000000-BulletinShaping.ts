import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The office shapes an issue (issue 14): per issue, the order of sections and paragraphs with
 * the office's own paragraphs and sections (`shape`), the letterhead and footer over the
 * defaults (`letterhead`), and withdrawal (`withdrawn`, with who, when and why). Office-wide:
 * one settings row (the next issue number the office set, the letterhead defaults over
 * config/bulletin.json) and an append-only trail of what the office did to issues and settings.
 *
 * bulletin_events.bulletin_id has no foreign key on purpose: withdrawing the last draft deletes
 * it (its number is freed), and the trail of that draft must outlive it.
 */
export class BulletinShaping1764430000000 implements MigrationInterface {
  name = 'BulletinShaping1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE bulletins DROP CONSTRAINT bulletins_status_check`);
    await q.query(`
      ALTER TABLE bulletins
        ADD CONSTRAINT bulletins_status_check
          CHECK (status IN ('generating', 'draft', 'published', 'withdrawn')),
        ADD COLUMN shape jsonb,
        ADD COLUMN letterhead jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN withdrawn_by uuid REFERENCES users (id),
        ADD COLUMN withdrawn_at timestamptz,
        ADD COLUMN withdrawal_reason text,
        ADD CONSTRAINT ck_bulletins_shape CHECK (shape IS NULL OR jsonb_typeof(shape) = 'object'),
        ADD CONSTRAINT ck_bulletins_letterhead CHECK (jsonb_typeof(letterhead) = 'object'),
        ADD CONSTRAINT ck_bulletins_withdrawn CHECK (
          (status = 'withdrawn') =
          (withdrawn_at IS NOT NULL AND withdrawn_by IS NOT NULL AND withdrawal_reason IS NOT NULL))`);
    await q.query(
      `CREATE INDEX ix_bulletins_withdrawn_by ON bulletins (withdrawn_by) WHERE withdrawn_by IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE bulletin_settings (
        id boolean PRIMARY KEY DEFAULT true,
        next_issue_number int,
        letterhead jsonb NOT NULL DEFAULT '{}',
        updated_by uuid REFERENCES users (id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_bulletin_settings_singleton CHECK (id),
        CONSTRAINT ck_bulletin_settings_next CHECK (next_issue_number IS NULL OR next_issue_number > 0),
        CONSTRAINT ck_bulletin_settings_letterhead CHECK (jsonb_typeof(letterhead) = 'object')
      )`);
    await q.query(
      `CREATE INDEX ix_bulletin_settings_updated_by ON bulletin_settings (updated_by) WHERE updated_by IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE bulletin_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        bulletin_id uuid,
        issue_number int,
        action varchar(32) NOT NULL,
        actor_id uuid NOT NULL REFERENCES users (id),
        actor_name varchar(200) NOT NULL,
        reason text,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_bulletin_events_bulletin ON bulletin_events (bulletin_id, id)`);
    await q.query(`CREATE INDEX ix_bulletin_events_actor ON bulletin_events (actor_id)`);
    await q.query(`
      CREATE FUNCTION forbid_bulletin_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'bulletin_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_bulletin_events_append_only BEFORE UPDATE OR DELETE ON bulletin_events
      FOR EACH ROW EXECUTE FUNCTION forbid_bulletin_event_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE bulletin_events`);
    await q.query(`DROP FUNCTION forbid_bulletin_event_change()`);
    await q.query(`DROP TABLE bulletin_settings`);
    await q.query(`DELETE FROM bulletins WHERE status = 'withdrawn'`);
    await q.query(`
      ALTER TABLE bulletins
        DROP CONSTRAINT ck_bulletins_withdrawn,
        DROP CONSTRAINT ck_bulletins_letterhead,
        DROP CONSTRAINT ck_bulletins_shape,
        DROP COLUMN withdrawal_reason,
        DROP COLUMN withdrawn_at,
        DROP COLUMN withdrawn_by,
        DROP COLUMN letterhead,
        DROP COLUMN shape,
        DROP CONSTRAINT bulletins_status_check,
        ADD CONSTRAINT bulletins_status_check
          CHECK (status IN ('generating', 'draft', 'published'))`);
  }
}
