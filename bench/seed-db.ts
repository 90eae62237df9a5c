import { parseArgs } from 'node:util';
import { migrateExisting } from './reuse.js';
import { createMigratedDatabase, seed, urlOf, withClient } from './seed.js';

/**
 * `npm run bench:seed -- --database NAME [--tasks N]`
 *
 * Makes a benchmark database once (migrated and seeded exactly as `npm run bench` does: about
 * 5 minutes for 1,000,000 tasks on the 2-core machine) and keeps it, so that `npm run bench --
 * --database NAME` and the other bench scripts can reuse it run after run. An existing database
 * of that name is migrated to the newest migrations instead (new indexes), not seeded again.
 */
const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    tasks: { type: 'string', default: '1000000' },
  },
});
if (!args.database || !/^bench_\w+$/.test(args.database))
  throw new Error('--database takes a name starting with bench_ (letters, digits, _)');
const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@localhost:5432/postgres';

async function main(name: string): Promise<void> {
  const exists = await withClient(ADMIN_URL, async (c) => {
    const { rowCount } = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    return rowCount === 1;
  });
  if (exists) {
    await migrateExisting(urlOf(ADMIN_URL, name));
    console.log(`database ${name} exists: migrated to the newest migrations, not seeded again`);
    return;
  }
  const started = Date.now();
  const url = await createMigratedDatabase(ADMIN_URL, name);
  const counts = await seed(url, Number(args.tasks), (line) => console.log(line));
  console.log(
    `database ${name} seeded in ${((Date.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`,
  );
}

main(args.database).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('bench:seed failed:', e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
