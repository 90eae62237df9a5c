import type { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { seedCategories } from '../catalog/category-seed.js';
import { seedChecklists } from '../checklists/checklist-seed.js';
import type { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { ensureDatabase } from './database-url.js';
import { runMigrationsLocked } from './migrate.js';

/**
 * Before the app starts: create the database if allowed and missing, then apply pending
 * migrations under the advisory lock and load missing default categories and checklists, on a short-lived
 * connection of its own.
 */
export async function prepareDatabase(
  config: AppConfig,
  logger: Pick<Logger, 'log'>,
): Promise<void> {
  if (config.database.createIfMissing && (await ensureDatabase(config.database.url))) {
    logger.log('database created');
  }
  if (!config.database.migrationsRunOnStart && !config.database.seedCatalogOnStart) return;
  // Two connections: one holds the advisory lock while the other runs the migrations.
  const ds = new DataSource(dataSourceOptions(config, 2));
  await ds.initialize();
  try {
    if (config.database.migrationsRunOnStart) {
      await runMigrationsLocked(ds, config.database.migrationsLockKey, logger);
    }
    if (config.database.seedCatalogOnStart) {
      const { inserted } = await seedCategories(ds, config.configDir);
      if (inserted) logger.log(`default categories loaded: ${inserted}`);
      const lists = await seedChecklists(ds, config.configDir);
      if (lists) logger.log(`default checklists loaded: ${lists}`);
    }
  } finally {
    await ds.destroy();
  }
}
