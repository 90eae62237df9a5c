import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { webEnv } from './env';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@localhost:5432/postgres';

export default async function globalTeardown(): Promise<void> {
  const env = webEnv();
  if (env.pid) {
    try {
      process.kill(env.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await new Promise((r) => setTimeout(r, 1000));
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${env.dbName}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
  rmSync(env.storageRoot, { recursive: true, force: true });
  // The run's Redis keys (queues, rate-limit counters) go with it.
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.redisPrefix}*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  rmSync(process.env.CC_WEB_ENV_FILE ?? '', { force: true });
}
