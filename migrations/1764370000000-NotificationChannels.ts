import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders where people are (issue 17): 企业微信 / 钉钉 group robots and SMS, per unit or for
 * the office (`unit_id` NULL), and one delivery row per channel and event (`dedupe_key` unique
 * per channel: a second recording of the same event is a no-op). Secrets (the robot's key or
 * access_token, 钉钉's signing secret) are kept like webhook secrets: never returned by the API.
 */
export class NotificationChannels1764370000000 implements MigrationInterface {
  name = 'NotificationChannels1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_channels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_id uuid REFERENCES units(id) ON DELETE CASCADE,
        kind text NOT NULL,
        name text NOT NULL,
        token text,
        secret text,
        phones text[] NOT NULL DEFAULT '{}',
        leader_phones text[] NOT NULL DEFAULT '{}',
        events text[] NOT NULL DEFAULT '{assigned,returned,deadline,escalation,digest}',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_notification_channels_kind CHECK (kind IN ('wecom', 'dingtalk', 'sms')),
        CONSTRAINT ck_notification_channels_name CHECK (char_length(name) BETWEEN 1 AND 60),
        CONSTRAINT ck_notification_channels_phones CHECK (cardinality(phones) <= 20 AND cardinality(leader_phones) <= 5)
      )`);
    await q.query(`CREATE INDEX ix_notification_channels_unit ON notification_channels (unit_id)`);
    await q.query(`
      CREATE TABLE channel_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel_id uuid NOT NULL REFERENCES notification_channels(id) ON DELETE CASCADE,
        dedupe_key text NOT NULL,
        event text NOT NULL,
        message jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        sent_at timestamptz,
        CONSTRAINT uq_channel_deliveries_key UNIQUE (channel_id, dedupe_key),
        CONSTRAINT ck_channel_deliveries_status CHECK (status IN ('pending', 'sent', 'dead'))
      )`);
    await q.query(
      `CREATE INDEX ix_channel_deliveries_channel ON channel_deliveries (channel_id, created_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE channel_deliveries`);
    await q.query(`DROP TABLE notification_channels`);
  }
}
