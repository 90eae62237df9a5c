import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox, the in-app inbox, unit webhooks and their deliveries, and the record
 * of deadline escalations already announced (so a reminder goes out once per task and level).
 */
export class JobsAndNotifications1764000000000 implements MigrationInterface {
  name = 'JobsAndNotifications1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        topic varchar(40) NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        relayed_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`CREATE INDEX ix_outbox_pending ON outbox (id) WHERE relayed_at IS NULL`);
    await q.query(
      `CREATE INDEX ix_outbox_relayed_at ON outbox (relayed_at) WHERE relayed_at IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind varchar(32) NOT NULL,
        title varchar(200) NOT NULL,
        body text NOT NULL,
        task_id uuid REFERENCES tasks (id),
        dedupe_key varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        CONSTRAINT uq_notifications_dedupe UNIQUE (user_id, dedupe_key)
      )`);
    await q.query(
      `CREATE INDEX ix_notifications_user ON notifications (user_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX ix_notifications_unread ON notifications (user_id) WHERE read_at IS NULL`,
    );
    await q.query(`CREATE INDEX ix_notifications_task_id ON notifications (task_id)`);

    await q.query(
      `ALTER TABLE units ADD COLUMN webhook_url varchar(500), ADD COLUMN webhook_secret varchar(200)`,
    );
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_id uuid NOT NULL REFERENCES units (id),
        delivery_key varchar(200) NOT NULL,
        event_type varchar(40) NOT NULL,
        payload jsonb NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts int NOT NULL DEFAULT 0,
        last_status int,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT uq_webhook_deliveries_key UNIQUE (unit_id, delivery_key)
      )`);
    await q.query(
      `CREATE INDEX ix_webhook_deliveries_status ON webhook_deliveries (status, created_at)`,
    );

    await q.query(`
      CREATE TABLE task_escalations (
        task_id uuid NOT NULL REFERENCES tasks (id),
        level varchar(10) NOT NULL CHECK (level IN ('reminder', 'supervise', 'notify')),
        deadline timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (task_id, level, deadline)
      )`);
    await q.query(`CREATE INDEX ix_task_escalations_created_at ON task_escalations (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE task_escalations`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`ALTER TABLE units DROP COLUMN webhook_url, DROP COLUMN webhook_secret`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE outbox`);
  }
}
