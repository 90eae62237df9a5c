import { compileOnly } from '../../database/kysely.js';
import { SqlWhere } from '../../database/sql-where.js';
import { conditionOf } from './sql-where.js';
import {
  compileTaskPage,
  PAGE_SHAPES_KEPT,
  pageShapesKept,
  taskPage,
} from './task-views.repository.js';

const ORDER = 't.created_at DESC, t.id DESC';
const KEY = 't.created_at';

/** What Kysely compiles for the page, built afresh (no shape kept). */
const built = (where: SqlWhere, limit: number) => {
  const { sql, parameters } = taskPage(
    compileOnly,
    conditionOf(where),
    ORDER,
    KEY,
    limit,
  ).compile();
  return { sql, parameters };
};

const unitsOpenTasks = (unitId: string, q: string, cursor?: [Date, string]) => {
  const where = new SqlWhere()
    .add('t.unit_id = ?', unitId)
    .add(`t.status = ANY(?::text[])`, ['assigned', 'submitted'])
    .add(`(t.number || ' ' || t.description) ILIKE ?`, `%${q}%`);
  if (cursor) where.add('(t.created_at, t.id) < (?::timestamptz, ?::uuid)', ...cursor);
  return where;
};

describe('compileTaskPage: the list statement, compiled once per shape', () => {
  it.each([
    ['no filter', () => new SqlWhere()],
    ['a unit, statuses and a search', () => unitsOpenTasks('u-1', '堆物')],
    [
      'the same with a cursor',
      () => unitsOpenTasks('u-1', '堆物', [new Date('2026-11-20T02:00:00Z'), 'id-9']),
    ],
  ])('sends what Kysely builds for the page: %s', (_, where) => {
    const once = compileTaskPage(where(), ORDER, KEY, 51);
    const again = compileTaskPage(where(), ORDER, KEY, 51);
    expect(once).toEqual(built(where(), 51));
    expect(again).toEqual(built(where(), 51));
  });

  it("a kept shape carries each call's own values, in their places", () => {
    compileTaskPage(unitsOpenTasks('u-1', '堆物'), ORDER, KEY, 51);
    const other = compileTaskPage(unitsOpenTasks('u-2', '乱停车'), ORDER, KEY, 11);
    expect(other.parameters).toEqual(['u-2', ['assigned', 'submitted'], '%乱停车%', 11]);
    expect(other).toEqual(built(unitsOpenTasks('u-2', '乱停车'), 11));
  });

  it('another clause, order or cursor key is another statement', () => {
    const base = compileTaskPage(new SqlWhere().add('t.unit_id = ?', 'u-1'), ORDER, KEY, 51);
    const site = compileTaskPage(new SqlWhere().add('t.site_id = ?', 'u-1'), ORDER, KEY, 51);
    const byNumber = compileTaskPage(
      new SqlWhere().add('t.unit_id = ?', 'u-1'),
      't.number ASC',
      't.number',
      51,
    );
    expect(site.sql).not.toBe(base.sql);
    expect(site.sql).toContain('t.site_id = $1');
    expect(byNumber.sql).toContain('order by t.number ASC');
    expect(byNumber.sql).not.toContain('order by t.created_at');
  });

  it(`keeps at most ${PAGE_SHAPES_KEPT} shapes, and pages stay right past that`, () => {
    for (let i = 0; i < PAGE_SHAPES_KEPT + 20; i += 1) {
      const where = new SqlWhere().add(`t.rework_count > ${i} AND t.unit_id = ?`, `u-${i}`);
      expect(compileTaskPage(where, ORDER, KEY, 51)).toEqual(built(where, 51));
      expect(pageShapesKept()).toBeLessThanOrEqual(PAGE_SHAPES_KEPT);
    }
    expect(compileTaskPage(unitsOpenTasks('u-3', '小广告'), ORDER, KEY, 51)).toEqual(
      built(unitsOpenTasks('u-3', '小广告'), 51),
    );
  });
});
