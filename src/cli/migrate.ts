import { revertLastMigration, runMigrationsLocked } from '../database/migrate.js';
import { cliConfig, runCli, say, withDataSource } from './cli-common.js';

/** `npm run migration:run` (up) and `npm run migration:revert` (down: the last one). */
runCli(async () => {
  const direction = process.argv[2];
  if (direction !== 'up' && direction !== 'down') throw new Error('usage: migrate up|down');
  const config = cliConfig();
  await withDataSource(config, async (ds) => {
    if (direction === 'up') {
      const applied = await runMigrationsLocked(ds, config.database.migrationsLockKey);
      say(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
    } else {
      await revertLastMigration(ds, config.database.migrationsLockKey);
      say('reverted the last migration');
    }
  });
});
