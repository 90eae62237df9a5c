// Plain JavaScript, the global teardown of jest.mutation.config.js: drops the databases the
// test files cloned and their Redis keys, keeps the worker's migrated template (see mutation-global-setup.js). The
// templates of finished runs are dropped by the next run's setup once six hours old, like any
// database of a killed run.
import { Redis } from 'ioredis';
import pg from 'pg';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@localhost:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export default async function mutationGlobalTeardown() {
  const runId = process.env.CC_TEST_RUN_ID;
  if (!runId) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2',
      [`cc_t_${runId}_%`, `cc_t_${runId}_tpl`],
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
