import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import type { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

/**
 * The service's connections. `poolSize`: fewer for a short-lived tool (migrations, the CLI),
 * which keeps every other setting — the UTC session time zone above all, on which the SQL's
 * dates and weeks rely.
 */
export function dataSourceOptions(
  config: AppConfig,
  poolSize = config.database.poolSize,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    // The schema comes from migrations only.
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: poolSize,
      // Times leave and enter the database as UTC instants.
      options: '-c timezone=UTC',
      application_name: `chuangcheng-${config.role}`,
    },
  };
}
