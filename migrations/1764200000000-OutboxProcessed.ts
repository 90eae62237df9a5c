import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the consumer finished an outbox row's job. A relayed row that is not processed and whose
 * job is gone from Redis (Redis came back empty) is relayed again by the sweeper.
 */
export class OutboxProcessed1764200000000 implements MigrationInterface {
  name = 'OutboxProcessed1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN processed_at timestamptz`);
    // Rows relayed before this column existed were handled then.
    await q.query(`UPDATE outbox SET processed_at = relayed_at WHERE relayed_at IS NOT NULL`);
    await q.query(
      `CREATE INDEX ix_outbox_unprocessed ON outbox (relayed_at) WHERE relayed_at IS NOT NULL AND processed_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_outbox_unprocessed`);
    await q.query(`ALTER TABLE outbox DROP COLUMN processed_at`);
  }
}
