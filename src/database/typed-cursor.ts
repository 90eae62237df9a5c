import { sql, type Expression } from 'kysely';

/**
 * A timestamp column as text to the microsecond, in UTC, for a keyset cursor (the typed form of
 * `microsUtc` in common/http/pagination.ts). Pass `eb.ref('table.column')`, so a renamed column
 * breaks the compile here too.
 */
export const microsUtcOf = (column: Expression<Date>) =>
  sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A cursor's timestamp (validated by `cursorTimestamp`), read by Postgres to the microsecond. */
export const timestamptz = (value: string) => sql<Date>`${value}::timestamptz`;

/** A cursor's id as a uuid, so a row comparison with an id column is typed in SQL as well. */
export const uuid = (value: string | number) => sql<string>`${String(value)}::uuid`;
