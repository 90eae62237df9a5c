import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { ensureDatabase } from '../database/database-url.js';

/** Config for a command-line tool: a bad environment prints each problem and exits 1. */
export function cliConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) console.error(`config error: ${p}`);
      process.exit(1);
    }
    throw e;
  }
}

export async function withDataSource<T>(
  config: AppConfig,
  work: (ds: DataSource) => Promise<T>,
): Promise<T> {
  if (config.database.createIfMissing) await ensureDatabase(config.database.url);
  const ds = new DataSource(dataSourceOptions(config, 2));
  await ds.initialize();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}

/** A command-line tool's output line (stdout; logs go through the logger). */
export const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export function runCli(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
