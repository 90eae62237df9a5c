import { seedCategories } from '../catalog/category-seed.js';
import { seedChecklists } from '../checklists/checklist-seed.js';
import { runMigrationsLocked } from '../database/migrate.js';
import { cliConfig, runCli, say, withDataSource } from './cli-common.js';

/** `npm run seed [-- --update]`: loads config/categories.json and config/checklists.json idempotently. */
runCli(async () => {
  const config = cliConfig();
  const update = process.argv.includes('--update');
  await withDataSource(config, async (ds) => {
    await runMigrationsLocked(ds, config.database.migrationsLockKey);
    const r = await seedCategories(ds, config.configDir, { update });
    say(`categories: ${r.inserted} inserted, ${r.updated} updated`);
    // Checklists are insert-only even with --update: the office's edits are never overwritten.
    say(`checklists: ${await seedChecklists(ds, config.configDir)} inserted`);
  });
});
