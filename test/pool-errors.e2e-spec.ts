import type pg from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { keepPoolErrorsHandled } from '../src/database/pool-errors.js';
import { cloneTestDatabase } from './support/test-app.js';
import { dropDatabase, urlOfDatabase, withAdminClient } from './support/test-db.js';

/**
 * A connection the server ends while the pool has lent it out (a restart, a DBA's
 * pg_terminate_backend) emits 'error' with neither the pool nor TypeORM listening; without a
 * listener of our own Node would end the process. Here: a real connection, really terminated.
 */
describe('keepPoolErrorsHandled', () => {
  let name: string;
  let ds: DataSource;
  const warned: string[] = [];
  const log = { warn: (m: string) => warned.push(m) };

  beforeAll(async () => {
    name = await cloneTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: urlOfDatabase(name),
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    });
    ds = await new DataSource(dataSourceOptions(config)).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await withAdminClient((c) => dropDatabase(c, name));
  });

  const pool = (): pg.Pool => (ds.driver as unknown as { master: pg.Pool }).master;

  async function terminate(client: pg.PoolClient): Promise<void> {
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const before = warned.length;
    await withAdminClient((c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
    for (let i = 0; i < 100 && warned.length === before; i += 1) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('keeps a listener on a lent-out connection, made before or after, and logs its loss', async () => {
    // A connection the pool made before the listener was added (TypeORM's start-up query).
    await ds.query('SELECT 1');
    expect(pool().totalCount).toBeGreaterThan(0);
    keepPoolErrorsHandled(ds, log as never);

    const early = await pool().connect();
    const late = await pool().connect();
    try {
      // Checked out: the pool took its own listener off; ours stays, on one made before the
      // listener was added and on one made after (while the first is still lent out).
      expect(late).not.toBe(early);
      expect(early.listenerCount('error')).toBe(1);
      expect(late.listenerCount('error')).toBe(1);

      await terminate(early);
      await terminate(late);
      // Each lost connection logged (node-postgres may report one twice: the server's FATAL
      // message, then the socket's end).
      expect(warned.length).toBeGreaterThanOrEqual(2);
      expect(warned.every((m) => m.startsWith('database connection lost: '))).toBe(true);
    } finally {
      early.release(true);
      late.release(true);
    }
    // The pool carries on with new connections.
    await expect(ds.query('SELECT 2 AS n')).resolves.toEqual([{ n: 2 }]);
  });
});
