import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { SqlWhere } from '../../database/sql-where.js';

/**
 * The list filters (task-filter.ts build them as a `SqlWhere` of `$n` clauses) as one Kysely
 * condition, each `$n` becoming a bound value again: the filters stay the SQL they are, shared
 * by the list, the counts and the ledger, and the queries around them are typed.
 */
export function conditionOf(where: SqlWhere): RawBuilder<SqlBool> {
  if (!where.clauses.length) return sql<SqlBool>`true`;
  const text = where.clauses.map((c) => `(${c})`).join(' AND ');
  const pieces = text
    .split(/\$(\d+)/)
    .map((piece, i) => (i % 2 ? sql`${where.params[Number(piece) - 1]}` : sql.raw(piece)));
  return sql<SqlBool>`${sql.join(pieces, sql``)}`;
}
