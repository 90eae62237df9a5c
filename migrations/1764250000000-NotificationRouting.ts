import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who hears of what (see src/notifications/notification-routing.ts):
 * - the office's notifications are one shared row each (`audience = 'office'`, no user): any
 *   clerk reads them, and one clerk marking one read marks it for the office (`read_by` says who);
 * - every webhook delivery attempt is kept (time, status code, error category, duration), so an
 *   office retry appends to the history instead of resetting it;
 * - the deadline scan stamps what it found with a scan id, so the worker can announce one scan
 *   as one summary per level to the office and one batch per unit;
 * - when a unit's webhook was first set and last changed, for `GET /units/:id/webhook`.
 */
export class NotificationRouting1764250000000 implements MigrationInterface {
  name = 'NotificationRouting1764250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notifications
        ALTER COLUMN user_id DROP NOT NULL,
        ADD COLUMN audience varchar(8) NOT NULL DEFAULT 'user',
        ADD COLUMN read_by uuid REFERENCES users (id) ON DELETE SET NULL,
        ADD CONSTRAINT notifications_audience_check CHECK (
          (audience = 'user' AND user_id IS NOT NULL) OR (audience = 'office' AND user_id IS NULL))`);
    await q.query(
      `CREATE UNIQUE INDEX uq_notifications_office_dedupe ON notifications (dedupe_key) WHERE audience = 'office'`,
    );
    await q.query(
      `CREATE INDEX ix_notifications_office ON notifications (created_at DESC, id DESC) WHERE audience = 'office'`,
    );
    await q.query(`CREATE INDEX ix_notifications_read_by ON notifications (read_by)`);
    // Office copies kept per admin so far become one shared row per dedupe key.
    await q.query(`
      INSERT INTO notifications (user_id, audience, kind, title, body, task_id, dedupe_key, created_at, read_at)
      SELECT DISTINCT ON (n.dedupe_key) NULL, 'office', n.kind, n.title, n.body, n.task_id, n.dedupe_key, n.created_at,
             (SELECT min(m.read_at) FROM notifications m JOIN users mu ON mu.id = m.user_id
               WHERE mu.role = 'admin' AND m.dedupe_key = n.dedupe_key)
        FROM notifications n JOIN users u ON u.id = n.user_id
       WHERE u.role = 'admin' AND n.kind IN ('extension_requested', 'disputed', 'supervise', 'notify', 'overdue_summary')
       ORDER BY n.dedupe_key, n.created_at`);
    await q.query(`
      DELETE FROM notifications n USING users u
       WHERE u.id = n.user_id AND u.role = 'admin'
         AND n.kind IN ('extension_requested', 'disputed', 'supervise', 'notify', 'overdue_summary')`);

    await q.query(`
      CREATE TABLE webhook_delivery_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempted_at timestamptz NOT NULL,
        status_code int,
        error_category varchar(16)
          CHECK (error_category IN ('http_status', 'timeout', 'network', 'refused', 'invalid_url')),
        error text,
        duration_ms int NOT NULL CHECK (duration_ms >= 0)
      )`);
    await q.query(
      `CREATE INDEX ix_webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, id)`,
    );

    await q.query(`ALTER TABLE task_escalations ADD COLUMN scan_id uuid`);
    await q.query(
      `CREATE INDEX ix_task_escalations_scan ON task_escalations (scan_id) WHERE scan_id IS NOT NULL`,
    );

    await q.query(
      `ALTER TABLE units ADD COLUMN webhook_created_at timestamptz, ADD COLUMN webhook_updated_at timestamptz`,
    );
    await q.query(
      `UPDATE units SET webhook_created_at = updated_at, webhook_updated_at = updated_at WHERE webhook_url IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE units DROP COLUMN webhook_created_at, DROP COLUMN webhook_updated_at`,
    );
    await q.query(`DROP INDEX ix_task_escalations_scan`);
    await q.query(`ALTER TABLE task_escalations DROP COLUMN scan_id`);
    await q.query(`DROP TABLE webhook_delivery_attempts`);
    // Shared office rows cannot go back to per-admin copies: they are copied to every admin.
    await q.query(`
      INSERT INTO notifications (user_id, kind, title, body, task_id, dedupe_key, created_at, read_at)
      SELECT u.id, n.kind, n.title, n.body, n.task_id, n.dedupe_key, n.created_at, n.read_at
        FROM notifications n CROSS JOIN users u
       WHERE n.audience = 'office' AND u.role = 'admin' AND u.active
      ON CONFLICT (user_id, dedupe_key) DO NOTHING`);
    await q.query(`DELETE FROM notifications WHERE audience = 'office'`);
    await q.query(`DROP INDEX ix_notifications_read_by`);
    await q.query(`DROP INDEX ix_notifications_office`);
    await q.query(`DROP INDEX uq_notifications_office_dedupe`);
    await q.query(`
      ALTER TABLE notifications
        DROP CONSTRAINT notifications_audience_check,
        DROP COLUMN read_by,
        DROP COLUMN audience,
        ALTER COLUMN user_id SET NOT NULL`);
  }
}
