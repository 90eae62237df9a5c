import { createHash } from 'node:crypto';
import { CompiledQuery, type Compilable } from 'kysely';
import { compileOnly, type Db, type NamedQuery } from './kysely.js';

/**
 * Statements built and compiled once per process (speed, issue 15: building and compiling Kysely
 * queries was 13–17 % of the CPU of a create or a transition, the same SQL text every time).
 *
 * `prepared(build)` calls `build` once, on first use, with a stand-in for every parameter: the
 * builder binds `p.id` as it would bind a string, Kysely compiles the statement, and the stand-ins
 * come out of the compiler as bound values in their positions. Each later call sends the same SQL
 * text with the caller's values in those positions, as a named server-side prepared statement
 * (`NamedQuery`): each pool connection has PostgreSQL parse it once, and the later runs skip
 * the parse and the plan. Types are the builder's own: a renamed column still breaks the compile.
 *
 * The builder must make the same statement for any values: it may only bind a parameter (as a
 * value of `where`, `values`, `set`, `sql\`${p.x}\`` …), never look at it. Looking at one is
 * caught where it can be: a stand-in turned into text or a number throws, and a parameter read
 * but not bound throws at the first call. A statement whose shape depends on the values (an
 * `in` list, an optional condition) is two prepared statements, or is not prepared.
 */
export function prepared<P extends Record<string, unknown>, O>(
  build: (db: Db, p: P) => Compilable<O>,
  options: PreparedOptions = {},
): PreparedStatement<P, O> {
  let compiled: Compiled | undefined;
  const statement = async (db: Db, params: P): Promise<O[]> => {
    compiled ??= compile(build);
    const parameters = compiled.slots.map((s) => (s instanceof Slot ? params[s.name] : s));
    const raw = CompiledQuery.raw(compiled.sql, parameters);
    const query = options.planEachRun ? raw : ({ ...raw, name: compiled.name } as NamedQuery);
    const { rows } = await db.executeQuery<O>(query);
    return rows;
  };
  return Object.assign(statement, {
    first: async (db: Db, params: P): Promise<O | undefined> => (await statement(db, params))[0],
    sql: (): string => (compiled ??= compile(build)).sql,
  });
}

export interface PreparedOptions {
  /**
   * Send the statement unnamed, so that PostgreSQL plans it for each run's values. A named
   * statement gets a generic plan after five runs on a connection when PostgreSQL estimates it
   * no worse than the custom ones; for a statement whose best plan depends on its values (ranges,
   * a bounding box) that plan can be far slower. It is still built and compiled once.
   */
  planEachRun?: boolean;
}

export interface PreparedStatement<P, O> {
  /** Runs the statement with `params` on `db` (its transaction, if it has one); its rows. */
  (db: Db, params: P): Promise<O[]>;
  /** The first row, or undefined. */
  first(db: Db, params: P): Promise<O | undefined>;
  /** The SQL text (compiled on first use). */
  sql(): string;
}

/** The stand-in for one parameter while the statement is built. */
class Slot {
  constructor(readonly name: string) {}

  [Symbol.toPrimitive](): never {
    throw new Error(`prepared statement: parameter "${this.name}" was used as a value, not bound`);
  }

  toJSON(): never {
    return this[Symbol.toPrimitive]();
  }
}

interface Compiled {
  sql: string;
  /** The server-side statement's name: the same text always has the same name. */
  name: string;
  slots: readonly unknown[];
}

function compile<P extends Record<string, unknown>>(
  build: (db: Db, p: P) => Compilable<unknown>,
): Compiled {
  const read = new Set<string>();
  const stand = new Proxy({} as P, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      read.add(name);
      return new Slot(name);
    },
  });
  const { sql, parameters } = build(compileOnly, stand).compile();
  const bound = new Set(parameters.filter((v) => v instanceof Slot).map((s) => s.name));
  const unbound = [...read].filter((name) => !bound.has(name));
  if (unbound.length) {
    throw new Error(`prepared statement: parameter(s) ${unbound.join(', ')} read but not bound`);
  }
  return { sql, name: `cc_${createHash('sha1').update(sql).digest('hex')}`, slots: parameters };
}
