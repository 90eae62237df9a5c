import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import type { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export function dataSourceOptions(config: AppConfig): DataSourceOptions {
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
      max: config.database.poolSize,
      // Times leave and enter the database as UTC instants.
      options: '-c timezone=UTC',
      application_name: `chuangcheng-${config.role}`,
    },
  };
}
