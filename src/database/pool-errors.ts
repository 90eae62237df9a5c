import { Logger } from '@nestjs/common';
import type pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Every pooled connection keeps an 'error' listener for its whole life. node-postgres emits
 * 'error' on a client whose connection ends (a server restart, `pg_terminate_backend`); the pool
 * listens only while the client is idle, TypeORM only while a query runner holds it, and each
 * takes its listener off when the client changes hands or is given back broken. An 'error' in
 * between had no listener, and Node turns that into an exception that ends the process (seen
 * in test/hostile-faults, connections killed under load). The pool and TypeORM still drop the
 * broken client as before; this listener only logs.
 */
export function keepPoolErrorsHandled(ds: DataSource, log = new Logger('Database')): void {
  const pool = (ds.driver as unknown as { master?: pg.Pool }).master;
  if (!pool) return;
  const guard = (client: pg.PoolClient): void => {
    client.on('error', (e: Error) => log.warn(`database connection lost: ${e.message}`));
  };
  pool.on('connect', guard);
  // Clients the pool made while TypeORM initialised, before this listener was added.
  for (const client of (pool as unknown as { _clients?: pg.PoolClient[] })._clients ?? []) {
    guard(client);
  }
}
