import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { runMigrationsLocked } from '../src/database/migrate.js';
import { withClient } from './seed.js';

/**
 * Brings a kept benchmark database up to the newest migrations (an index added since it was
 * seeded is built on the full data) and refreshes the planner's statistics.
 */
export async function migrateExisting(url: string): Promise<void> {
  const config = loadConfig({ DATABASE_URL: url, NODE_ENV: 'test' });
  const ds = new DataSource(dataSourceOptions(config, 2));
  await ds.initialize();
  try {
    await runMigrationsLocked(ds, config.database.migrationsLockKey);
  } finally {
    await ds.destroy();
  }
  await withClient(url, (c) => c.query('VACUUM (ANALYZE) tasks'));
}

/** Tasks in the database: a reused one may have grown by earlier runs' creates. */
export async function taskCount(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM tasks`);
    return rows[0].n;
  });
}
