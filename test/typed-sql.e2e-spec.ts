import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { dbOf } from '../src/database/kysely.js';
import { cloneTestDatabase } from './support/test-app.js';
import { urlOfDatabase } from './support/test-db.js';

/**
 * The typed query builder runs on the TypeORM manager it is bound to: inside a transaction its
 * statements commit or roll back with that transaction; outside one each statement stands alone.
 */
describe('dbOf(em): typed SQL on a TypeORM manager', () => {
  let ds: DataSource;

  beforeAll(async () => {
    const db = await cloneTestDatabase();
    const config = loadConfig({ DATABASE_URL: urlOfDatabase(db), NODE_ENV: 'test' });
    ds = new DataSource(dataSourceOptions(config, 2));
    await ds.initialize();
  });
  afterAll(() => ds?.destroy());

  const unitNamed = (name: string) =>
    dbOf(ds.manager).selectFrom('units').select(['id', 'name']).where('name', '=', name);

  it('rolls back with the TypeORM transaction that handed out the manager', async () => {
    await expect(
      ds.transaction(async (em) => {
        await dbOf(em)
          .insertInto('units')
          .values({ name: '回滚单位', code: 'RB01', kind: 'street' })
          .execute();
        // Visible inside the transaction, on the same connection …
        expect(
          await dbOf(em).selectFrom('units').select('id').where('name', '=', '回滚单位').execute(),
        ).toHaveLength(1);
        // … and not outside it before COMMIT.
        expect(await unitNamed('回滚单位').execute()).toHaveLength(0);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await unitNamed('回滚单位').execute()).toHaveLength(0);
  });

  it('commits with it, and reports affected rows of updates', async () => {
    await ds.transaction(async (em) => {
      await dbOf(em)
        .insertInto('units')
        .values({ name: '提交单位', code: 'TJ01', kind: 'street' })
        .execute();
    });
    const [row] = await unitNamed('提交单位').execute();
    expect(row.name).toBe('提交单位');
    const result = await dbOf(ds.manager)
      .updateTable('units')
      .set({ name: '提交单位（改）' })
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(result.numUpdatedRows).toBe(1n);
    expect(await unitNamed('提交单位（改）').execute()).toHaveLength(1);
  });

  it('refuses to open a transaction of its own', async () => {
    await expect(
      dbOf(ds.manager)
        .transaction()
        .execute(async () => undefined),
    ).rejects.toThrow('TransactionRunner');
  });
});
