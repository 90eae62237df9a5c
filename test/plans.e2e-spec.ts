import { randomUUID } from 'node:crypto';
import { addDays, daysBetween, mondayOf, shanghaiDate } from '../src/reports/shanghai-time.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, type Actor, type LoopWorld } from './support/fixtures.js';

/**
 * 督导计划 and 督导覆盖率 (issue 16) on a plan small enough to count by hand: two inspectors,
 * five sites of two kinds and two units (one with none), last week's plans, and visits that
 * count and visits that must not.
 */
describe('inspection plans and coverage', () => {
  let t: TestApp;
  let w: LoopWorld;
  let li: Actor; // inspector 李明 (w.inspector)
  let wang: Actor; // inspector 王芳
  const s: Record<string, string> = {};
  // Last week, every day of it past, so inspections may be held on any of them.
  const today = shanghaiDate(new Date());
  const W = addDays(mondayOf(today), -7);
  const W_END = addDays(W, 6);
  let planLi: { id: string; version: number };
  let planWang: { id: string; version: number };

  const visit = (token: string, heldOn: string, extra: object) =>
    as(t, token).post('/inspections', {
      kind: 'inspection',
      activity: '点位督导',
      leadPersons: ['督导员'],
      heldOn,
      location: '门头沟区',
      ...extra,
    });

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    li = w.inspector;
    const other = await t.signIn('inspector');
    wang = { token: other.token, id: other.user.id };
    await t.ds.query(`UPDATE users SET display_name = '李明' WHERE id = $1`, [li.id]);
    await t.ds.query(`UPDATE users SET display_name = '王芳' WHERE id = $1`, [wang.id]);
    const site = async (key: string, name: string, kind: string, unitId: string | null) => {
      const [row] = (await t.ds.query(
        `INSERT INTO sites (name, kind, default_unit_id) VALUES ($1, $2, $3) RETURNING id`,
        [name, kind, unitId],
      )) as { id: string }[];
      s[key] = row.id;
    };
    await site('s1', '滨河社区', '社区', w.unitA.unitId);
    await site('s2', '峪园社区', '社区', w.unitA.unitId);
    await site('s3', '城子社区', '社区', w.unitB.unitId);
    await site('s4', '龙泉广场', '公园广场', w.unitB.unitId);
    await site('s5', '石门营广场', '公园广场', null);
    await site('s6', '已停用广场', '公园广场', null);
    await t.ds.query(`UPDATE sites SET active = false WHERE id = $1`, [s.s6]);
  });
  afterAll(() => t.close());

  it('refuses bad plans with a 400 naming the field, and writes nothing', async () => {
    const ok = { inspectorId: li.id, periodKind: 'week', periodStart: W, siteIds: [s.s1] };
    const cases: [object, string, string][] = [
      [{ ...ok, periodStart: addDays(W, 1) }, 'periodStart', 'isMonday'],
      [
        { ...ok, periodKind: 'month', periodStart: `${W.slice(0, 7)}-02` },
        'periodStart',
        'isFirstOfMonth',
      ],
      [{ ...ok, periodKind: 'year' }, 'periodKind', 'isIn'],
      [{ ...ok, periodStart: '2026-02-30' }, 'periodStart', 'isDay'],
      [{ ...ok, siteIds: [s.s1, randomUUID()] }, 'siteIds', 'siteExists'],
      [{ ...ok, siteIds: [s.s6] }, 'siteIds', 'siteExists'],
      [{ ...ok, siteIds: [] }, 'siteIds', 'arrayMinSize'],
      [{ ...ok, siteIds: ['永定楼'] }, 'siteIds', 'isUuid'],
      [{ ...ok, inspectorId: w.unitA.id }, 'inspectorId', 'isInspector'],
      [{ ...ok, inspectorId: w.admin.id }, 'inspectorId', 'isInspector'],
      [{ ...ok, inspectorId: randomUUID() }, 'inspectorId', 'isInspector'],
    ];
    for (const [body, field, code] of cases) {
      const res = await as(t, w.admin.token).post('/plans', body);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field, code }));
    }
    const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM inspection_plans');
    expect(n).toBe(0);
  });

  it('lets only the office plan; one plan per inspector per period', async () => {
    const body = (inspectorId: string, siteIds: string[]) => ({
      inspectorId,
      periodKind: 'week',
      periodStart: W,
      siteIds,
      note: ' 重点看楼道堆物 ',
    });
    expect((await as(t, li.token).post('/plans', body(li.id, [s.s1]))).status).toBe(403);
    expect((await as(t, w.unitA.token).post('/plans', body(li.id, [s.s1]))).status).toBe(403);

    const a = await as(t, w.admin.token).post('/plans', body(li.id, [s.s1, s.s2, s.s3, s.s4]));
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      inspectorId: li.id,
      inspectorName: '李明',
      periodKind: 'week',
      periodStart: W,
      periodEnd: W_END,
      note: '重点看楼道堆物',
      planned: 4,
      visited: 0,
      version: 1,
    });
    const b = await as(t, w.admin.token).post('/plans', {
      ...body(wang.id, [s.s3, s.s4, s.s5]),
      note: undefined,
    });
    expect(b.status).toBe(201);
    planLi = a.body;
    planWang = b.body;

    const again = await as(t, w.admin.token).post('/plans', body(li.id, [s.s5]));
    expect([again.status, again.body.code]).toEqual([409, 'PLAN_PERIOD_TAKEN']);
    expect(again.body.errors[0].field).toBe('periodStart');

    // A month plan for the same inspector is another period, and allowed; deleted again below.
    const month = await as(t, w.admin.token).post('/plans', {
      ...body(li.id, [s.s5]),
      periodKind: 'month',
      periodStart: `${W.slice(0, 7)}-01`,
    });
    expect(month.status).toBe(201);
    expect(month.body.periodEnd).toBe(
      new Date(Date.UTC(Number(W.slice(0, 4)), Number(W.slice(5, 7)), 0))
        .toISOString()
        .slice(0, 10),
    );
    const del = await t
      .http()
      .delete(`/api/v1/plans/${month.body.id}`)
      .set('authorization', `Bearer ${w.admin.token}`);
    expect(del.status).toBe(204);

    const rows = await t.ds.query(
      `SELECT p.inspector_id, to_char(p.period_start, 'YYYY-MM-DD') AS start,
              to_char(p.period_end, 'YYYY-MM-DD') AS "end", count(ps.site_id)::int AS sites
         FROM inspection_plans p LEFT JOIN inspection_plan_sites ps ON ps.plan_id = p.id
        GROUP BY p.id ORDER BY sites DESC`,
    );
    expect(rows).toEqual([
      { inspector_id: li.id, start: W, end: W_END, sites: 4 },
      { inspector_id: wang.id, start: W, end: W_END, sites: 3 },
    ]);
  });

  it('counts visits by the plan’s inspector in its period, through sites or tasks, not voided ones', async () => {
    // 李明: s1 listed, s2 through a task; s3 on a voided inspection; s4 the day before the week.
    expect((await visit(li.token, addDays(W, 1), { siteIds: [s.s1] })).status).toBe(201);
    const withTask = await visit(li.token, addDays(W, 2), {
      tasks: [{ categoryId: w.categoryId, siteId: s.s2, description: '楼道堆物' }],
    });
    expect(withTask.status).toBe(201);
    const wrong = await visit(li.token, addDays(W, 3), { siteIds: [s.s3] });
    expect(
      (await as(t, w.admin.token).post(`/inspections/${wrong.body.id}/void`, { reason: '录错' }))
        .status,
    ).toBe(200);
    expect((await visit(li.token, addDays(W, -1), { siteIds: [s.s4] })).status).toBe(201);
    // 王芳 visits s3: hers, not 李明's. The office visits s5: nobody's plan is covered by it.
    expect((await visit(wang.token, addDays(W, 4), { siteIds: [s.s3] })).status).toBe(201);
    expect((await visit(w.admin.token, addDays(W, 1), { siteIds: [s.s5] })).status).toBe(201);

    const res = await as(t, w.admin.token).get(`/plans/coverage?from=${W}&to=${W_END}`);
    expect(res.status).toBe(200);
    // By hand: 李明 s1 ✓ s2 ✓ s3 ✗ s4 ✗ = 2/4; 王芳 s3 ✓ s4 ✗ s5 ✗ = 1/3; all 3/7.
    // 社区 (s1 s2 s3 | s3) 3/4; 公园广场 (s4 | s4 s5) 0/3.
    // 东辛房街道 (s1 s2) 2/2; 城子街道 (s3 s4 | s3 s4) 1/4; no unit (s5) 0/1.
    expect(res.body).toEqual({
      from: W,
      to: W_END,
      plans: 2,
      overall: { planned: 7, visited: 3, rate: 3 / 7 },
      byInspector: [
        { inspectorId: li.id, inspectorName: '李明', planned: 4, visited: 2, rate: 0.5 },
        { inspectorId: wang.id, inspectorName: '王芳', planned: 3, visited: 1, rate: 1 / 3 },
      ],
      bySiteKind: [
        { kind: '公园广场', planned: 3, visited: 0, rate: 0 },
        { kind: '社区', planned: 4, visited: 3, rate: 0.75 },
      ],
      byUnit: [
        { unitId: w.unitB.unitId, unitName: '城子街道', planned: 4, visited: 1, rate: 0.25 },
        { unitId: w.unitA.unitId, unitName: '东辛房街道', planned: 2, visited: 2, rate: 1 },
        { unitId: null, unitName: '未指定单位', planned: 1, visited: 0, rate: 0 },
      ],
    });

    // The weekly digest of the same days carries the same section.
    const digest = await as(t, w.admin.token).get(`/reports/digest?from=${W}&to=${W_END}`);
    expect(digest.status).toBe(200);
    expect(digest.body.coverage).toEqual(res.body);

    // A range with no plan: empty.
    const before = await as(t, w.admin.token).get(
      `/plans/coverage?from=${addDays(W, -7)}&to=${addDays(W, -1)}`,
    );
    expect(before.body).toMatchObject({
      plans: 0,
      overall: { planned: 0, visited: 0, rate: null },
      byInspector: [],
    });
    const beforeDigest = await as(t, w.admin.token).get(
      `/reports/digest?from=${addDays(W, -7)}&to=${addDays(W, -1)}`,
    );
    expect(beforeDigest.body.coverage).toEqual(before.body);
  });

  it('shows each inspector only their own plans, with visited ticks; units see none', async () => {
    const mine = await as(t, li.token).get('/plans?mine=true');
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(1);
    const [plan] = mine.body.items;
    expect(plan).toMatchObject({ id: planLi.id, planned: 4, visited: 2 });
    const ticks = Object.fromEntries(
      (plan.sites as { id: string; visited: boolean }[]).map((x) => [x.id, x.visited]),
    );
    expect(ticks).toEqual({ [s.s1]: true, [s.s2]: true, [s.s3]: false, [s.s4]: false });

    // Without ?mine, and asking for someone else's: still only their own.
    const all = await as(t, li.token).get(`/plans?inspectorId=${wang.id}`);
    expect((all.body.items as { id: string }[]).map((p) => p.id)).toEqual([planLi.id]);
    expect((await as(t, li.token).get(`/plans/${planWang.id}`)).status).toBe(404);
    expect((await as(t, li.token).get(`/plans/${planLi.id}`)).status).toBe(200);

    const office = await as(t, w.admin.token).get(`/plans?from=${W}&to=${W_END}`);
    expect((office.body.items as { id: string }[]).map((p) => p.id).sort()).toEqual(
      [planLi.id, planWang.id].sort(),
    );

    for (const path of ['/plans', `/plans/${planLi.id}`, '/plans/coverage', '/sites/unvisited']) {
      const res = await as(t, w.unitA.token).get(path);
      expect([path, res.status]).toEqual([path, 403]);
    }
    expect((await as(t, li.token).get('/plans/coverage')).status).toBe(403);
    expect((await as(t, li.token).get('/sites/unvisited')).status).toBe(403);
  });

  it('replaces a plan’s sites in one transaction, guarded by its version', async () => {
    const put = (body: object, headers: Record<string, string> = {}) =>
      t
        .http()
        .put(`/api/v1/plans/${planWang.id}`)
        .set('authorization', `Bearer ${w.admin.token}`)
        .set(headers)
        .send(body);
    const body = {
      inspectorId: wang.id,
      periodKind: 'week',
      periodStart: W,
      siteIds: [s.s3, s.s1],
    };
    const noVersion = await put(body);
    expect([noVersion.status, noVersion.body.code]).toEqual([400, 'VERSION_REQUIRED']);
    const stale = await put({ ...body, version: 7 });
    expect([stale.status, stale.body.code]).toEqual([409, 'VERSION_CONFLICT']);
    // An unknown site refuses the whole edit: the old sites stay.
    const bad = await put({ ...body, siteIds: [s.s1, randomUUID()], version: 1 });
    expect(bad.status).toBe(400);
    // Moving it onto 李明's week is the duplicate the unique key forbids.
    const clash = await put({ ...body, inspectorId: li.id, version: 1 });
    expect([clash.status, clash.body.code]).toEqual([409, 'PLAN_PERIOD_TAKEN']);
    const sitesOf = async () =>
      (
        (await t.ds.query(`SELECT site_id FROM inspection_plan_sites WHERE plan_id = $1`, [
          planWang.id,
        ])) as { site_id: string }[]
      )
        .map((r) => r.site_id)
        .sort();
    expect(await sitesOf()).toEqual([s.s3, s.s4, s.s5].sort());

    const ok = await put(body, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: 2, planned: 2, visited: 1 });
    expect(await sitesOf()).toEqual([s.s1, s.s3].sort());
    // 王芳 never visited s1 (李明 did): coverage follows the new plan.
    const cov = await as(t, w.admin.token).get(`/plans/coverage?from=${W}&to=${W_END}`);
    expect(cov.body.byInspector[1]).toMatchObject({
      inspectorName: '王芳',
      planned: 2,
      visited: 1,
    });
    expect(cov.body.overall).toEqual({ planned: 6, visited: 3, rate: 0.5 });
  });

  it('lists the active sites nobody visited for N days, never-visited first', async () => {
    // s1 and s5 were last visited on W+1: exactly N days ago. s2 (W+2) and s3 (W+4) are more
    // recent. s4's only visit (W−1) counts here: any visit by anyone. s6 is retired.
    const n = daysBetween(addDays(W, 1), today);
    const res = await as(t, w.admin.token).get(`/sites/unvisited?days=${n}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ days: n, today });
    const items = res.body.items as {
      siteId: string;
      lastVisitedOn: string | null;
      daysSince: number | null;
      unitName: string | null;
    }[];
    const never = items
      .slice(0, 2)
      .map((i) => i.siteId)
      .sort();
    expect(never).toEqual([w.siteA, w.siteNoUnit].sort());
    expect(items.slice(0, 2).every((i) => i.lastVisitedOn === null && i.daysSince === null)).toBe(
      true,
    );
    expect(items.slice(2).map((i) => [i.siteId, i.lastVisitedOn, i.daysSince])).toEqual([
      [s.s4, addDays(W, -1), n + 2],
      // Same day: by name (滨河社区, 石门营广场).
      [s.s1, addDays(W, 1), n],
      [s.s5, addDays(W, 1), n],
    ]);
    // The void inspection at s3 would not have kept it off the list; 王芳's visit does.
    expect(items.find((i) => i.siteId === s.s3)).toBeUndefined();

    const byDefault = await as(t, w.admin.token).get('/sites/unvisited');
    expect(byDefault.body.days).toBe(30);
    const bad = await as(t, w.admin.token).get('/sites/unvisited?days=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('days');
  });
});
