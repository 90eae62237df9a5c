import { sql, type Expression, type SqlBool } from 'kysely';
import { compileOnly, type Db } from '../../database/kysely.js';
import { prepared } from '../../database/prepared.js';
import { SqlWhere } from '../../database/sql-where.js';
import { recurrenceLinkColumns } from '../recurrence/recurrence-links.js';
import { conditionOf } from './sql-where.js';

/**
 * The task as lists and the detail show it: the row with its category, site and unit names.
 * `TaskRow` is what this query selects, so a renamed column breaks its readers' compile.
 */
export function taskRows(db: Db) {
  return db
    .selectFrom('tasks as t')
    .innerJoin('categories as c', 'c.id', 't.category_id')
    .leftJoin('sites as s', 's.id', 't.site_id')
    .leftJoin('units as u', 'u.id', 't.unit_id')
    .select([
      't.id',
      't.number',
      't.status',
      't.inspection_id',
      't.category_id',
      'c.code as category_code',
      'c.name as category_name',
      'c.bulletin_name as category_bulletin_name',
      'c.group_name as category_group',
      'c.measure_word',
      'c.verification_policy as category_policy',
      't.site_id',
      's.name as site_name',
      't.address',
      't.lat',
      't.lng',
      't.description',
      't.unit_id',
      'u.name as unit_name',
      't.assigned_at',
      't.deadline',
      't.deadline_overridden',
      't.verification_policy',
      't.rework_count',
      't.reopen_count',
      't.extension_count',
      't.hold_reason',
      sql<string | null>`to_char(t.hold_review_on, 'YYYY-MM-DD')`.as('hold_review_on'),
      't.duplicate_of_id',
      't.recurrence_of_id',
      't.closed_at',
      't.closed_on_time',
      't.closed_unverified',
      't.found_at',
      't.source',
      't.import_batch_id',
      't.acknowledged_at',
      't.created_at',
      't.updated_at',
      't.version',
    ]);
}

export type TaskRow = Awaited<ReturnType<ReturnType<typeof taskRows>['executeTakeFirstOrThrow']>>;

/**
 * One page of the list: `limit` tasks matching `matching` in `order` (a total order: it ends in a
 * unique column), each with `cursorKey` (the sort key as the cursor keeps it).
 *
 * Two steps in one statement: the page's ids first — an index walk over `tasks` alone, selecting
 * only `t.id` (index-only where the index holds the sort and filter columns) — then the rows of
 * just those ids with their category, site and unit and their formatted columns. Joining and
 * formatting before the LIMIT would build every matching row when no index gives the order
 * (a unit's overdue tasks: ~1,000 rows built and sorted for 51 at 1 M tasks; the office's: ~20,000).
 * Both steps read `tasks as t`, so the filters' `t.` columns mean the same row in either.
 */
export function taskPage(
  db: Db,
  matching: Expression<SqlBool>,
  order: string,
  cursorKey: string,
  limit: number,
) {
  const ids = db
    .selectFrom('tasks as t')
    .select('t.id')
    .where(matching)
    .orderBy(sql.raw(order))
    .limit(limit);
  return taskRows(db)
    .select(sql<string | number>`${sql.raw(cursorKey)}`.as('cursor_key'))
    .where(sql<SqlBool>`t.id = ANY(ARRAY(${ids}))`)
    .orderBy(sql.raw(order));
}

/**
 * One task by id with its 反弹 links (src/tasks/recurrence/), scoped like `lockTask`: a unit's
 * principal finds only its own unit's task.
 */
export function findTaskRow(db: Db, id: string, onlyUnitId: string | null) {
  return onlyUnitId === null
    ? findAnyTaskRow.first(db, { id })
    : findUnitTaskRow.first(db, { id, unitId: onlyUnitId });
}

const taskDetailRow = (db: Db, id: string) =>
  taskRows(db).select(recurrenceLinkColumns()).where('t.id', '=', id);

const findAnyTaskRow = prepared((db, p: { id: string }) => taskDetailRow(db, p.id));

const findUnitTaskRow = prepared((db, p: { id: string; unitId: string }) =>
  taskDetailRow(db, p.id).where('t.unit_id', '=', p.unitId),
);

export type TaskDetailRow = NonNullable<Awaited<ReturnType<typeof findTaskRow>>>;

/** How many tasks match, by status. */
export function countByStatus(db: Db, matching: Expression<SqlBool>) {
  return db
    .selectFrom('tasks as t')
    .select(['t.status', sql<number>`count(*)::int`.as('n')])
    .where(matching)
    .groupBy('t.status')
    .execute();
}

/** A row of `taskPage`: the task's row and its cursor key. */
export type TaskPageRow = Awaited<ReturnType<ReturnType<typeof taskPage>['execute']>>[number];

/** Where a page's bound value goes while its shape is compiled: the `i`-th of its values. */
class ValueAt {
  constructor(readonly i: number) {}
}

/** Compiled pages by shape. The list's filters make a few dozen shapes; past this many, start over. */
const pageShapes = new Map<string, { sql: string; parameters: readonly unknown[] }>();
export const PAGE_SHAPES_KEPT = 500;
/** How many shapes are kept now (for the spec). */
export const pageShapesKept = (): number => pageShapes.size;

/**
 * The list's statement for one page, `taskPage`, as SQL text and bound values (the reader runs
 * it; bench/scenarios.ts gives it to pgbench). Compiled once per shape — the order, the cursor key
 * and the filters' clauses — with a stand-in for each value: building and compiling the 40-column
 * query with Kysely was ~5 % of a list request's CPU (speed, issue 15), the same text every time
 * for the same filters. The statement stays unnamed, so PostgreSQL still plans each page for its
 * values (a text search and a unit's overdue tasks want different plans).
 */
export function compileTaskPage(
  where: SqlWhere,
  order: string,
  cursorKey: string,
  limit: number,
): { sql: string; parameters: readonly unknown[] } {
  // NUL never occurs in SQL text (PostgreSQL refuses it), so no two shapes share a key.
  const shape = [order, cursorKey, ...where.clauses].join('\0');
  let compiled = pageShapes.get(shape);
  if (!compiled) {
    const standIn = new SqlWhere();
    standIn.clauses.push(...where.clauses);
    standIn.params.push(...where.params.map((_, i) => new ValueAt(i)));
    const limitAt = new ValueAt(where.params.length) as unknown as number;
    const { sql, parameters } = taskPage(
      compileOnly,
      conditionOf(standIn),
      order,
      cursorKey,
      limitAt,
    ).compile();
    compiled = { sql, parameters };
    if (pageShapes.size >= PAGE_SHAPES_KEPT) pageShapes.clear();
    pageShapes.set(shape, compiled);
  }
  const values = [...where.params, limit];
  return {
    sql: compiled.sql,
    parameters: compiled.parameters.map((p) => (p instanceof ValueAt ? values[p.i] : p)),
  };
}
