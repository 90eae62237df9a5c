import pg from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { quoteIdent } from '../../src/database/database-url.js';
import { runMigrationsLocked } from '../../src/database/migrate.js';

/** Where test databases live: the local server, as `.env.example` says. */
export const TEST_PG_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@localhost:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function urlOfDatabase(name: string): string {
  const u = new URL(TEST_PG_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function withAdminClient<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(c: pg.Client, name: string): Promise<void> {
  await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

export function runId(): string {
  const id = process.env.CC_TEST_RUN_ID;
  if (!id) throw new Error('jest global setup did not run (CC_TEST_RUN_ID unset)');
  return id;
}

const TEMPLATE_LOCK = 72_673_999;

/**
 * The run's migrated template database, made once: the first caller creates and migrates it
 * while holding an advisory lock; the others wait on the lock and find it done.
 */
export async function ensureTemplateDatabase(): Promise<string> {
  const template = `cc_t_${runId()}_tpl`;
  await withAdminClient(async (c) => {
    await c.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount) return;
      await c.query(`CREATE DATABASE ${quoteIdent(template)}`);
      const config = loadConfig({ DATABASE_URL: urlOfDatabase(template), NODE_ENV: 'test' });
      const ds = new DataSource(dataSourceOptions(config, 2));
      await ds.initialize();
      try {
        await runMigrationsLocked(ds, config.database.migrationsLockKey);
      } finally {
        await ds.destroy();
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return template;
}
