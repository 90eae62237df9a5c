// Plain JavaScript: jest loads global teardown outside its ESM/TypeScript pipeline.
import { Redis } from 'ioredis';
import pg from 'pg';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@localhost:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Drops the databases of test run `runId` (`cc_t_<runId>_*`) but those named in `keep`, and the
 * run's Redis keys (`cct:<runId>:*`).
 */
export async function dropRunDatabases(runId, keep = []) {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1 AND NOT (datname = ANY($2))',
      [`cc_t_${runId}_%`, keep],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `cct:${runId}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Drops every database and Redis key this run made. */
export default async function globalTeardown() {
  const runId = process.env.CC_TEST_RUN_ID;
  if (runId) await dropRunDatabases(runId);
}
