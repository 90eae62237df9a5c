import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import type { DB, Db, NamedQuery } from './kysely.js';
import { prepared } from './prepared.js';

/** A Kysely whose connection records what it is sent and answers `rows`. */
function recording(rows: unknown[] = [{ id: 'r1' }]): { db: Db; sent: CompiledQuery[] } {
  const sent: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    executeQuery: async <R>(q: CompiledQuery) => {
      sent.push(q);
      return { rows: rows as R[] };
    },
    // eslint-disable-next-line require-yield
    streamQuery: async function* () {
      throw new Error('not used');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { db, sent };
}

describe('prepared statements', () => {
  const byNumber = (db: Db, p: { number: string; status: string }) =>
    db
      .selectFrom('tasks')
      .select(['id', 'number'])
      .where('number', '=', p.number)
      .where('status', '=', p.status as 'assigned')
      .where('rework_count', '<', 3)
      .orderBy('id')
      .limit(5);

  it('sends the SQL the builder writes, with the values in their places and constants kept', async () => {
    const { db, sent } = recording();
    const statement = prepared(byNumber);
    const values = { number: 'T-1', status: 'assigned' };
    await expect(statement(db, values)).resolves.toEqual([{ id: 'r1' }]);
    const direct = byNumber(db, values).compile();
    expect(sent[0].sql).toBe(direct.sql);
    expect(sent[0].parameters).toEqual(['T-1', 'assigned', 3, 5]);
    expect(direct.parameters).toEqual(['T-1', 'assigned', 3, 5]);
  });

  it('builds once and sends each call its own values', async () => {
    const { db, sent } = recording();
    let builds = 0;
    const build = (db: Db, p: { number: string; status: string }) => {
      builds += 1;
      return byNumber(db, p);
    };
    const statement = prepared(build);
    await statement(db, { number: 'T-1', status: 'assigned' });
    await statement(db, { number: 'T-2', status: 'closed' });
    expect(await statement.first(db, { number: 'T-3', status: 'submitted' })).toEqual({
      id: 'r1',
    });
    expect(builds).toBe(1);
    expect(sent.map((q) => q.parameters)).toEqual([
      ['T-1', 'assigned', 3, 5],
      ['T-2', 'closed', 3, 5],
      ['T-3', 'submitted', 3, 5],
    ]);
    expect(new Set(sent.map((q) => q.sql)).size).toBe(1);
    // One server-side statement, named after its text: the same name on every call.
    const names = sent.map((q) => (q as NamedQuery).name);
    expect(names[0]).toMatch(/^cc_[0-9a-f]{40}$/);
    expect(new Set(names).size).toBe(1);
    const other = prepared((db, p: { number: string }) =>
      db.selectFrom('tasks').select('id').where('number', '=', p.number),
    );
    await other(db, { number: 'T-4' });
    expect((sent[3] as NamedQuery).name).toMatch(/^cc_[0-9a-f]{40}$/);
    expect((sent[3] as NamedQuery).name).not.toBe(names[0]);
  });

  it('binds a parameter used twice in both places, and arrays and dates as they are', async () => {
    const { db, sent } = recording();
    const at = new Date('2026-12-02T01:02:03Z');
    const statement = prepared((db, p: { ids: string[]; at: Date }) =>
      db
        .selectFrom('tasks')
        .select('id')
        .where(sql<boolean>`id = ANY(${p.ids}::uuid[]) AND array_length(${p.ids}, 1) > 0`)
        .where('created_at', '<', p.at),
    );
    await statement(db, { ids: ['a', 'b'], at });
    expect(sent[0].sql).toContain('id = ANY($1::uuid[]) AND array_length($2, 1) > 0');
    expect(sent[0].parameters).toEqual([['a', 'b'], ['a', 'b'], at]);
  });

  it('sends a statement planned for each run unnamed, still compiled once', async () => {
    const { db, sent } = recording();
    let builds = 0;
    const statement = prepared(
      (db, p: { number: string; status: string }) => {
        builds += 1;
        return byNumber(db, p);
      },
      { planEachRun: true },
    );
    await statement(db, { number: 'T-1', status: 'assigned' });
    await statement(db, { number: 'T-2', status: 'closed' });
    expect(builds).toBe(1);
    expect(sent.map((q) => (q as Partial<NamedQuery>).name)).toEqual([undefined, undefined]);
    expect(sent[1].parameters).toEqual(['T-2', 'closed', 3, 5]);
  });

  it('answers undefined from first() when there is no row', async () => {
    const { db } = recording([]);
    const statement = prepared(byNumber);
    await expect(statement.first(db, { number: 'x', status: 'y' })).resolves.toBeUndefined();
  });

  it('refuses a builder that puts a parameter into the SQL text', async () => {
    const { db, sent } = recording();
    const statement = prepared((db, p: { column: string }) =>
      db
        .selectFrom('tasks')
        .select('id')
        .where(sql.raw<boolean>(`${p.column} IS NULL`)),
    );
    await expect(statement(db, { column: 'closed_at' })).rejects.toThrow(
      'parameter "column" was used as a value, not bound',
    );
    expect(sent).toHaveLength(0);
  });

  it('refuses a builder that reads a parameter without binding it', async () => {
    const { db, sent } = recording();
    const statement = prepared((db, p: { unitId: string | null }) => {
      const q = db.selectFrom('tasks').select('id');
      // The shape would depend on the value: not preparable.
      return p.unitId === null ? q : q.where('unit_id', 'is not', null);
    });
    await expect(statement(db, { unitId: 'u1' })).rejects.toThrow(
      'parameter(s) unitId read but not bound',
    );
    expect(sent).toHaveLength(0);
    expect(() => statement.sql()).toThrow('unitId read but not bound');
  });

  it('shows its SQL', () => {
    expect(prepared(byNumber).sql()).toBe(
      'select "id", "number" from "tasks" where "number" = $1 and "status" = $2 and "rework_count" < $3 order by "id" limit $4',
    );
  });
});
