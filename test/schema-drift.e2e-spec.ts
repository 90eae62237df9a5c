import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DataSource, type EntityMetadata } from 'typeorm';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { cloneTestDatabase } from './support/test-app.js';
import { urlOfDatabase } from './support/test-db.js';

/**
 * The schema is written by hand in migrations/; the entities must describe it exactly, or
 * `npm run migration:generate` hands the next developer a migration that drops our foreign keys,
 * indexes and checks. The generator compares checks, foreign keys and composite uniques by name
 * only and indexes by their set of columns, so past the empty diff the declarations it does not
 * read closely are compared with the database here, each compiled by Postgres itself.
 */
describe('entity metadata and the migrated schema', () => {
  let ds: DataSource;
  let dbName: string;

  beforeAll(async () => {
    const db = await cloneTestDatabase();
    dbName = db;
    const config = loadConfig({ DATABASE_URL: urlOfDatabase(db), NODE_ENV: 'test' });
    ds = new DataSource(dataSourceOptions(config, 1));
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const entities = (): EntityMetadata[] => ds.entityMetadatas;

  /** `pg_get_constraintdef` of a constraint, or null when the table has none of that name. */
  async function constraintDef(table: string, name: string): Promise<string | null> {
    const rows: { def: string }[] = await ds.query(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conrelid = $1::regclass AND conname = $2`,
      [table, name],
    );
    return rows[0]?.def ?? null;
  }

  /** `pg_get_indexdef` of an index in the public schema, or null when there is none. */
  async function indexDef(name: string): Promise<string | null> {
    const rows: { def: string }[] = await ds.query(
      `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND indexname = $1`,
      [name],
    );
    return rows[0]?.def ?? null;
  }

  const report = (mismatches: string[]): string => mismatches.join('\n');

  it('vacuums tasks after a fixed number of changes, whatever its size (the counts are index-only)', async () => {
    // Migration TasksAutovacuum: with the default 20 % of the table, the open tasks' pages would
    // stay unmarked in the visibility map and every count would read them from the table.
    const [{ reloptions }]: { reloptions: string[] | null }[] = await ds.query(
      `SELECT reloptions FROM pg_class WHERE oid = 'tasks'::regclass`,
    );
    expect([...(reloptions ?? [])].sort()).toEqual([
      'autovacuum_analyze_scale_factor=0',
      'autovacuum_analyze_threshold=5000',
      'autovacuum_vacuum_insert_scale_factor=0',
      'autovacuum_vacuum_insert_threshold=5000',
      'autovacuum_vacuum_scale_factor=0',
      'autovacuum_vacuum_threshold=5000',
    ]);
  });

  it('matches the committed row types of src/database/db.generated.ts (npm run db:types)', async () => {
    // kysely-codegen reads the migrated schema and compares with the committed file; it exits
    // non-zero when they differ. Fix: `npm run db:types`, then fix what no longer compiles.
    const run = promisify(execFile);
    await expect(
      run(process.execPath, [
        'node_modules/kysely-codegen/dist/cli/bin.js',
        '--dialect',
        'postgres',
        '--url',
        urlOfDatabase(dbName),
        '--exclude-pattern',
        'migrations',
        '--out-file',
        'src/database/db.generated.ts',
        '--log-level',
        'error',
        '--verify',
      ]),
    ).resolves.toBeDefined();
  });

  it('gives migration:generate nothing to do', async () => {
    const { upQueries } = await ds.driver.createSchemaBuilder().log();
    // Non-empty: an entity and the migrations disagree. Fix the entity's decorators to describe
    // the schema, or write the migration the entity change needs. The statements it would run:
    expect(upQueries.map((q) => `${q.query};`).join('\n')).toBe('');
  });

  it('declares every check with the expression the database enforces', async () => {
    const mismatches: string[] = [];
    for (const meta of entities()) {
      for (const check of meta.checks) {
        const live = await constraintDef(meta.tableName, check.name);
        // Postgres renders the declared expression as it rendered the migration's.
        await ds.query(
          `ALTER TABLE ${meta.tableName} ADD CONSTRAINT cc_probe CHECK (${check.expression}) NOT VALID`,
        );
        const declared = (await constraintDef(meta.tableName, 'cc_probe'))?.replace(
          / NOT VALID$/,
          '',
        );
        await ds.query(`ALTER TABLE ${meta.tableName} DROP CONSTRAINT cc_probe`);
        if (live !== declared)
          mismatches.push(`${meta.tableName}.${check.name}: database ${live}, entity ${declared}`);
      }
    }
    expect(report(mismatches)).toBe('');
  });

  it('declares every foreign key on the columns and actions the database has', async () => {
    const mismatches: string[] = [];
    for (const meta of entities()) {
      for (const fk of meta.foreignKeys) {
        const live = await constraintDef(meta.tableName, fk.name);
        const action = (on: 'DELETE' | 'UPDATE', type: string | undefined): string =>
          type && type !== 'NO ACTION' ? ` ON ${on} ${type}` : '';
        const declared =
          `FOREIGN KEY (${fk.columnNames.join(', ')}) ` +
          `REFERENCES ${fk.referencedTablePath}(${fk.referencedColumnNames.join(', ')})` +
          action('DELETE', fk.onDelete) +
          action('UPDATE', fk.onUpdate);
        if (live !== declared)
          mismatches.push(`${meta.tableName}.${fk.name}: database ${live}, entity ${declared}`);
      }
    }
    expect(report(mismatches)).toBe('');
  });

  it('declares every unique constraint on the columns the database has', async () => {
    const mismatches: string[] = [];
    for (const meta of entities()) {
      for (const unique of meta.uniques) {
        const live = await constraintDef(meta.tableName, unique.name);
        const declared = `UNIQUE (${unique.columns.map((c) => c.databaseName).join(', ')})`;
        if (live !== declared)
          mismatches.push(`${meta.tableName}.${unique.name}: database ${live}, entity ${declared}`);
      }
    }
    expect(report(mismatches)).toBe('');
  });

  it('declares every index as the database has it, or names one it leaves alone', async () => {
    const mismatches: string[] = [];
    for (const meta of entities()) {
      for (const index of meta.indices) {
        const live = await indexDef(index.name);
        if (!index.synchronize) {
          // Descending keys and expressions: TypeORM cannot describe them; the name must exist.
          if (!live) mismatches.push(`${meta.tableName}.${index.name}: not in the database`);
          continue;
        }
        const columns = index.columns.map((c) => c.databaseName).join(', ');
        await ds.query(
          `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX cc_probe ON ${meta.tableName} (${columns})` +
            (index.where ? ` WHERE ${index.where}` : ''),
        );
        const declared = (await indexDef('cc_probe'))?.replace('cc_probe', index.name);
        await ds.query(`DROP INDEX cc_probe`);
        if (live !== declared)
          mismatches.push(`${meta.tableName}.${index.name}: database ${live}, entity ${declared}`);
      }
    }
    expect(report(mismatches)).toBe('');
  });
});
