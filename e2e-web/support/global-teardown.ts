import { rmSync } from 'node:fs';
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
  rmSync(process.env.CC_WEB_ENV_FILE ?? '', { force: true });
}
