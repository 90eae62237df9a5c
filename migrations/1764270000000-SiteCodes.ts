import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A site (点位) may have a code, as units and categories do, so that units' own systems can name
 * it without our UUID. Optional (older sites have none) and unique among the sites that have one.
 * A code is 1-32 of A-Z a-z 0-9 _ -, so never UUID-shaped (a UUID is 36 characters).
 */
export class SiteCodes1764270000000 implements MigrationInterface {
  name = 'SiteCodes1764270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sites
        ADD COLUMN code varchar(32),
        ADD CONSTRAINT ck_sites_code CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$')`);
    await q.query(`CREATE UNIQUE INDEX uq_sites_code ON sites (code) WHERE code IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_sites_code`);
    await q.query(`ALTER TABLE sites DROP CONSTRAINT ck_sites_code, DROP COLUMN code`);
  }
}
