import { createTestApp, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';

/**
 * The list's page is read in two steps (src/tasks/data/task-views.repository.ts `taskPage`): the
 * ids of the page in order first, then those rows with their joins. Where no index gives the
 * order (overdue tasks, sorted by creation), and with ties on the sort key, the pages must still
 * be exactly the filtered, scoped set in order — none skipped, repeated or another unit's — and
 * each item must carry its own category, site and unit.
 */
describe('task list pages (ids first, then rows)', () => {
  let t: TestApp;
  let w: LoopWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    for (let i = 0; i < 14; i += 1) {
      await as(t, w.admin.token)
        .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: `堆物${i}` })
        .expect(201);
    }
    // Half to unit B; creation times in four groups of equal timestamps (ties broken by id);
    // deadlines alternately past and future; a few submitted (not overdue whatever the deadline).
    await t.ds.query(
      `UPDATE tasks t
          SET unit_id = CASE WHEN n.i % 2 = 0 THEN $1::uuid ELSE t.unit_id END,
              created_at = '2026-11-20T02:00:00.000Z'::timestamptz + (n.i % 4) * interval '1 minute',
              deadline = CASE WHEN n.i % 3 = 0 THEN now() + interval '2 days' ELSE now() - interval '1 day' END,
              status = CASE WHEN n.i % 5 = 0 THEN 'submitted' ELSE t.status END
         FROM (SELECT id, row_number() OVER (ORDER BY random()) AS i FROM tasks) n
        WHERE n.id = t.id`,
      [w.unitB.unitId],
    );
  });
  afterAll(() => t.close());

  /** Follows nextCursor with `limit` and returns the items in the order seen. */
  async function walk(token: string, path: string, limit: number) {
    const seen: {
      id: string;
      category: { name: string };
      site: { name: string } | null;
      unit: { id: string; name: string } | null;
    }[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i += 1) {
      const url: string = `${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await as(t, token).get(url);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...(res.body.items as typeof seen));
      cursor = res.body.nextCursor as string | null;
      if (!cursor) break;
    }
    return seen;
  }

  const overdueIds = async (unitId: string | null): Promise<string[]> =>
    (
      (await t.ds.query(
        `SELECT id FROM tasks
          WHERE status = 'assigned' AND deadline < now() AND ($1::uuid IS NULL OR unit_id = $1)
          ORDER BY created_at DESC, id DESC`,
        [unitId],
      )) as { id: string }[]
    ).map((r) => r.id);

  it('a unit walks exactly its own overdue tasks, in order, across ties, page by page', async () => {
    const expected = await overdueIds(w.unitA.unitId);
    expect(expected.length).toBeGreaterThan(2);
    for (const limit of [1, 2, 3]) {
      const seen = await walk(w.unitA.token, '/tasks?overdue=true', limit);
      expect(seen.map((x) => x.id)).toEqual(expected);
      expect(seen.every((x) => x.unit?.id === w.unitA.unitId)).toBe(true);
    }
  });

  it('the office walks every unit’s overdue tasks in order', async () => {
    const expected = await overdueIds(null);
    const seen = await walk(w.admin.token, '/tasks?overdue=true', 2);
    expect(seen.map((x) => x.id)).toEqual(expected);
    expect(new Set(seen.map((x) => x.unit?.id))).toEqual(new Set([w.unitA.unitId, w.unitB.unitId]));
  });

  it('each item carries its own category, site and unit, as the database has them', async () => {
    const seen = await walk(w.admin.token, '/tasks?status=assigned,submitted', 4);
    const rows = (await t.ds.query(
      `SELECT t.id, c.name AS category, s.name AS site, u.id AS unit_id, u.name AS unit
         FROM tasks t JOIN categories c ON c.id = t.category_id
         LEFT JOIN sites s ON s.id = t.site_id LEFT JOIN units u ON u.id = t.unit_id
        ORDER BY t.created_at DESC, t.id DESC`,
    )) as { id: string; category: string; site: string | null; unit_id: string; unit: string }[];
    expect(
      seen.map((x) => [x.id, x.category.name, x.site?.name ?? null, x.unit?.id, x.unit?.name]),
    ).toEqual(rows.map((r) => [r.id, r.category, r.site, r.unit_id, r.unit]));
  });
});
