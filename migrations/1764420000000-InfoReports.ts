import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 信息报送 (issue 14): a unit's 信息员 sends an item (栏目, title, text, photos, the day of the
 * work); the office adopts it (采用), returns it with a reason (退回) or edits it; adopted items
 * go into the next 快报 and are marked 已刊发 with the issue when it is published. Every step is a
 * row of `info_item_events`, append-only like `task_events`.
 */
export class InfoReports1764420000000 implements MigrationInterface {
  name = 'InfoReports1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE info_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_id uuid NOT NULL REFERENCES units (id),
        column_code varchar(32) NOT NULL,
        kind varchar(20),
        title varchar(100) NOT NULL,
        body text NOT NULL,
        work_date date NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending',
        return_reason varchar(500),
        submitted_by_kind varchar(8) NOT NULL,
        submitted_by_id uuid NOT NULL,
        submitted_by_name varchar(200) NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        reviewed_by uuid REFERENCES users (id),
        reviewed_at timestamptz,
        adopted_at timestamptz,
        bulletin_id uuid REFERENCES bulletins (id),
        issue_number int,
        published_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CONSTRAINT ck_info_items_status
          CHECK (status IN ('pending', 'adopted', 'returned', 'published', 'withdrawn')),
        CONSTRAINT ck_info_items_submitted_by_kind CHECK (submitted_by_kind IN ('user', 'api_key')),
        CONSTRAINT ck_info_items_returned CHECK (status <> 'returned' OR return_reason IS NOT NULL),
        CONSTRAINT ck_info_items_adopted
          CHECK (status NOT IN ('adopted', 'published') OR adopted_at IS NOT NULL),
        CONSTRAINT ck_info_items_published CHECK (
          (status = 'published') = (bulletin_id IS NOT NULL AND issue_number IS NOT NULL
                                     AND published_at IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX ix_info_items_unit_id ON info_items (unit_id, submitted_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX ix_info_items_status ON info_items (status, submitted_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX ix_info_items_bulletin_id ON info_items (bulletin_id)`);
    await q.query(`CREATE INDEX ix_info_items_reviewed_by ON info_items (reviewed_by)`);

    await q.query(`
      CREATE TABLE info_item_attachments (
        item_id uuid NOT NULL REFERENCES info_items (id) ON DELETE CASCADE,
        attachment_id uuid NOT NULL REFERENCES attachments (id),
        position smallint NOT NULL,
        PRIMARY KEY (item_id, attachment_id)
      )`);
    await q.query(
      `CREATE INDEX ix_info_item_attachments_attachment_id ON info_item_attachments (attachment_id)`,
    );

    await q.query(`
      CREATE TABLE info_item_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        item_id uuid NOT NULL REFERENCES info_items (id),
        action varchar(16) NOT NULL,
        from_status varchar(16),
        to_status varchar(16) NOT NULL,
        actor_kind varchar(8) NOT NULL,
        actor_id uuid,
        actor_name varchar(200) NOT NULL,
        actor_role varchar(16),
        note text,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_info_item_events_actor_kind
          CHECK (actor_kind IN ('user', 'api_key', 'system'))
      )`);
    await q.query(`CREATE INDEX ix_info_item_events_item_id ON info_item_events (item_id, id)`);
    await q.query(`
      CREATE FUNCTION forbid_info_item_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'info_item_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_info_item_events_append_only BEFORE UPDATE OR DELETE ON info_item_events
      FOR EACH ROW EXECUTE FUNCTION forbid_info_item_event_change()`);
    await q.query(`
      CREATE TRIGGER tr_info_item_events_no_truncate BEFORE TRUNCATE ON info_item_events
      FOR EACH STATEMENT EXECUTE FUNCTION forbid_info_item_event_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE info_item_events`);
    await q.query(`DROP FUNCTION forbid_info_item_event_change()`);
    await q.query(`DROP TABLE info_item_attachments`);
    await q.query(`DROP TABLE info_items`);
  }
}
