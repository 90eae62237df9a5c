// Plain JavaScript: jest loads global setup outside its ESM/TypeScript pipeline.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@localhost:5432/postgres';
const STALE_AFTER_MS = 6 * 3_600_000;

/**
 * Once per run: the run id that names every database and Redis key this run makes. The
 * migrated template database is created by the first test file that needs it (see
 * test/support/test-db.ts), under an advisory lock, since only test code can load the migrations.
 * Databases of runs that were killed before their teardown (older than six hours) are dropped.
 */
export default async function globalSetup() {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.CC_TEST_RUN_ID = runId;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT datname FROM pg_database WHERE datname LIKE 'cc\\_t\\_%'`,
    );
    for (const { datname } of rows) {
      const stamp = parseInt(datname.slice(5).split('_')[0].slice(0, -6), 36);
      if (Number.isFinite(stamp) && Date.now() - stamp > STALE_AFTER_MS) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
  } finally {
    await client.end();
  }
}
