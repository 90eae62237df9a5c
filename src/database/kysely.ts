import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { EntityManager, QueryRunner } from 'typeorm';
import type { DB } from './db.generated.js';

/**
 * Typed SQL for the core. Row types come from `db.generated.ts`, which kysely-codegen reads off
 * the migrated schema (`npm run db:types`), so a renamed column breaks the compile of every query
 * that still uses the old name. TypeORM stays for the connection pool, the migrations and the
 * transaction: a `Db` is bound to one EntityManager and runs its statements on that manager's
 * query runner, so work done through it commits or rolls back with the TypeORM transaction that
 * handed the manager out (see TransactionRunner). Errors stay TypeORM's QueryFailedError, which
 * the problem filter already turns into 4xx/503 answers.
 */
export type Db = Kysely<DB>;
export type { DB } from './db.generated.js';

const bound = new WeakMap<EntityManager, Db>();

/** The typed query builder running on `em` (inside its transaction when `em` belongs to one). */
export function dbOf(em: EntityManager): Db {
  let db = bound.get(em);
  if (!db) {
    const driver = new EntityManagerDriver(em);
    db = new Kysely<DB>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => driver,
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    bound.set(em, db);
  }
  return db;
}

/**
 * Compiles queries without a connection: the SQL text of a statement, for the benchmark's
 * pgbench scripts (bench/) and for specs that check what a builder writes.
 */
export const compileOnly: Db = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

class EntityManagerDriver implements Driver {
  private readonly connection: DatabaseConnection;

  constructor(em: EntityManager) {
    this.connection = new EntityManagerConnection(em);
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  beginTransaction(): Promise<void> {
    return Promise.reject(
      new Error('transactions are opened by TransactionRunner; pass its manager to dbOf()'),
    );
  }
  commitTransaction(): Promise<void> {
    return this.beginTransaction();
  }
  rollbackTransaction(): Promise<void> {
    return this.beginTransaction();
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

class EntityManagerConnection implements DatabaseConnection {
  constructor(private readonly em: EntityManager) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const inTransaction = this.em.queryRunner;
    if (inTransaction) return run<R>(inTransaction, query);
    const runner = this.em.connection.createQueryRunner();
    try {
      return await run<R>(runner, query);
    } finally {
      await runner.release();
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('stream large reads with a pg cursor (see tasks/ledger/ledger.reader.ts)');
  }
}

/**
 * A compiled query that names its server-side prepared statement (`prepared.ts`): pg parses it
 * once per connection under `name`, and later runs skip PostgreSQL's parse and plan. TypeORM's
 * query runner hands its first argument to pg's `client.query` as it is, so a `{ name, text }`
 * config goes through the runner — its transaction, its errors (QueryFailedError), its hooks.
 */
export interface NamedQuery extends CompiledQuery {
  readonly name: string;
}

async function run<R>(runner: QueryRunner, query: CompiledQuery): Promise<QueryResult<R>> {
  const name = (query as Partial<NamedQuery>).name;
  const text = name ? ({ name, text: query.sql } as unknown as string) : query.sql;
  const result = await runner.query(text, [...query.parameters], true);
  return {
    rows: result.records as R[],
    numAffectedRows: result.affected == null ? undefined : BigInt(result.affected),
  };
}
