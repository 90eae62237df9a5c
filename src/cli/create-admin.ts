import { ensureFirstAdmin } from '../auth/bootstrap-admin.js';
import { runMigrationsLocked } from '../database/migrate.js';
import { cliConfig, runCli, say, withDataSource } from './cli-common.js';

/**
 * `ADMIN_USERNAME=… ADMIN_PASSWORD=… npm run create-admin`: adds an admin account (also when
 * other admins exist). An existing username is left unchanged.
 */
runCli(async () => {
  const config = cliConfig();
  const admin = config.auth.bootstrapAdmin;
  if (!admin) throw new Error('set ADMIN_USERNAME and ADMIN_PASSWORD');
  await withDataSource(config, async (ds) => {
    await runMigrationsLocked(ds, config.database.migrationsLockKey);
    const r = await ensureFirstAdmin(ds, admin, { evenIfAdminsExist: true });
    say(
      r === 'created'
        ? `admin "${admin.username}" created`
        : `user "${admin.username}" already exists`,
    );
  });
});
