import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** The API the console's 设置, 我的任务 (返工) and 工作台 (trend) read. */
describe('console additions: calendar, rework filter, weekly counts, deliveries by unit', () => {
  let t: TestApp;
  let w: LoopWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  describe('GET /calendar', () => {
    it('lists every day of a loaded year as the deadline code counts it, for office and units', async () => {
      for (const who of [w.admin, w.inspector, w.unitA]) {
        const res = await as(t, who.token).get('/calendar?year=2026').expect(200);
        expect(res.body).toMatchObject({ year: 2026, official: true });
        expect(res.body.loadedYears).toEqual(expect.arrayContaining([2026, 2027]));
        const days = res.body.days as { date: string; kind: string; workday: boolean }[];
        expect(days).toHaveLength(365);
        const day = (d: string) => days.find((x) => x.date === d);
        expect(day('2026-10-01')).toEqual({
          date: '2026-10-01',
          kind: 'holiday',
          workday: false,
          name: '国庆节',
        });
        expect(day('2026-10-02')).toMatchObject({ kind: 'holiday', workday: false });
        // 2026-01-04 (a Sunday) is worked for 元旦, per the State Council notice.
        expect(day('2026-01-04')).toMatchObject({ kind: 'makeup_workday', workday: true });
        expect(day('2026-11-28')).toMatchObject({ kind: 'weekend', workday: false, name: null });
        expect(day('2026-11-30')).toMatchObject({ kind: 'workday', workday: true, name: null });
        expect(res.body.workdays).toBe(days.filter((d) => d.workday).length);
      }
    });

    it('answers an unloaded year with a 404 naming the field and the years there are', async () => {
      const res = await as(t, w.unitA.token).get('/calendar?year=2031').expect(404);
      expect(res.body.code).toBe('CALENDAR_YEAR_NOT_LOADED');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'year' })]);
      expect(res.body.loadedYears).toEqual(expect.arrayContaining([2026, 2027]));
      for (const bad of ['abc', '1999', '2026.5', '']) {
        const r = await as(t, w.admin.token).get(`/calendar?year=${bad}`).expect(400);
        expect(r.body.code).toBe('VALIDATION_FAILED');
        expect((r.body.errors as { field: string }[]).map((e) => e.field)).toContain('year');
      }
      await as(t, w.admin.token).get('/calendar?year=2026&month=1').expect(400);
      await t.http().get('/api/v1/calendar?year=2026').expect(401);
    });
  });

  describe('GET /tasks?rework=true (返工)', () => {
    it('matches tasks sent back by a failed check and not yet resubmitted, and counts equal the list', async () => {
      const unit = as(t, w.unitA.token);
      const insp = as(t, w.inspector.token);
      const create = async (d: string) =>
        (
          await insp
            .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: d })
            .expect(201)
        ).body as { id: string; version: number };
      const submit = async (id: string, version: number) =>
        (
          await unit
            .post(`/tasks/${id}/submissions`, {
              version,
              description: '已整改',
              afterPhotoIds: [await uploadPhoto(t, w.unitA.token)],
            })
            .expect(200)
        ).body as { version: number };
      const check = async (id: string, version: number, result: 'pass' | 'fail') =>
        (await insp.post(`/tasks/${id}/checks`, { version, result, note: '复查' }).expect(200))
          .body as { version: number; status: string };

      const plain = await create('未整改');
      const sentBack = await create('复查未通过');
      const failed = await check(sentBack.id, (await submit(sentBack.id, 1)).version, 'fail');
      const resubmitted = await create('返工后再次提交');
      const f1 = await check(resubmitted.id, (await submit(resubmitted.id, 1)).version, 'fail');
      await submit(resubmitted.id, f1.version);
      const reopened = await create('返工后通过又反弹');
      const f2 = await check(reopened.id, (await submit(reopened.id, 1)).version, 'fail');
      const passed = await check(
        reopened.id,
        (await submit(reopened.id, f2.version)).version,
        'pass',
      );
      expect(passed.status).toBe('closed');
      await insp
        .post(`/tasks/${reopened.id}/reopen`, { version: passed.version, reason: '问题反弹' })
        .expect(200);
      expect(failed.status).toBe('assigned');

      const ids = async (token: string, q: string) =>
        (
          (await as(t, token).get(`/tasks?limit=200&${q}`).expect(200)).body.items as {
            id: string;
          }[]
        )
          .map((x) => x.id)
          .sort();
      expect(await ids(w.unitA.token, 'rework=true')).toEqual([sentBack.id]);
      expect(await ids(w.admin.token, 'rework=true')).toEqual([sentBack.id]);
      expect(await ids(w.unitB.token, 'rework=true')).toEqual([]);
      const notRework = await ids(w.unitA.token, 'rework=false');
      expect(notRework).toEqual(expect.arrayContaining([plain.id, resubmitted.id, reopened.id]));
      expect(notRework).not.toContain(sentBack.id);

      // The 我的任务 tab's figure: the counts route with the same filter equals the list.
      for (const q of ['rework=true', 'rework=false', 'rework=true&status=assigned']) {
        const counts = await unit.get(`/tasks/counts?${q}`).expect(200);
        expect([q, counts.body.total]).toEqual([q, (await ids(w.unitA.token, q)).length]);
      }
      // And the 台账 export takes it too.
      const csv = await as(t, w.admin.token)
        .get('/tasks/export?format=csv&rework=true')
        .expect(200);
      const [{ number }] = (await t.ds.query('SELECT number FROM tasks WHERE id = $1', [
        sentBack.id,
      ])) as { number: string }[];
      expect(csv.text).toContain(number);
      expect(csv.text.trim().split('\n')).toHaveLength(2);
      await unit.get('/tasks?rework=maybe').expect(400);
    });
  });

  describe('GET /tasks/counts/weekly', () => {
    it('gives each of the last weeks the figures the counts route gives for that week', async () => {
      // Spread some tasks over earlier weeks, closed ones too.
      await t.ds.query(
        `UPDATE tasks SET created_at = now() - (interval '9 days') * (abs(hashtext(id::text)) % 10)`,
      );
      await t.ds.query(
        `UPDATE tasks SET closed_at = created_at + interval '2 days' WHERE status = 'closed'`,
      );
      for (const who of [w.admin, w.unitA, w.unitB]) {
        const res = await as(t, who.token).get('/tasks/counts/weekly?weeks=12').expect(200);
        const weeks = res.body.weeks as {
          week: string;
          from: string;
          to: string;
          created: number;
          closed: number;
        }[];
        expect(weeks).toHaveLength(12);
        expect(new Date(weeks[11].from).getTime()).toBeLessThanOrEqual(Date.now());
        expect(new Date(weeks[11].to).getTime()).toBeGreaterThan(Date.now());
        for (const wk of weeks) {
          expect(wk.from).toBe(`${wk.week}T00:00:00+08:00`);
          const range = (k: string) =>
            `${k}From=${encodeURIComponent(wk.from)}&${k}To=${encodeURIComponent(wk.to)}`;
          const created = await as(t, who.token).get(`/tasks/counts?${range('created')}`);
          const closed = await as(t, who.token).get(`/tasks/counts?${range('closed')}`);
          expect([wk.week, wk.created, wk.closed]).toEqual([
            wk.week,
            created.body.total,
            closed.body.total,
          ]);
        }
        const total = weeks.reduce((a, x) => a + x.created, 0);
        if (who === w.admin) expect(total).toBeGreaterThan(0);
      }
      await as(t, w.admin.token).get('/tasks/counts/weekly?weeks=0').expect(400);
      await as(t, w.admin.token).get('/tasks/counts/weekly?weeks=54').expect(400);
    });
  });

  describe('GET /tasks/counts/dashboard', () => {
    it('gives every 工作台 figure with its list filter, and the list with that filter has as many', async () => {
      // Some overdue and escalated work, and something closed this week.
      for (const d of ['超期一', '超期二']) {
        await as(t, w.inspector.token)
          .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: d })
          .expect(201);
      }
      await t.ds.query(
        `UPDATE tasks SET assigned_at = now() - interval '30 days', deadline = now() - interval '10 days'
          WHERE id IN (SELECT id FROM tasks WHERE status = 'assigned' ORDER BY number LIMIT 2)`,
      );
      await t.ds.query(`UPDATE tasks SET closed_at = now() WHERE status = 'closed'`);
      for (const who of [w.admin, w.unitA, w.unitB]) {
        const res = await as(t, who.token).get('/tasks/counts/dashboard').expect(200);
        const figures = res.body.figures as {
          key: string;
          label: string;
          filter: Record<string, unknown>;
          total: number;
        }[];
        expect(figures.map((f) => f.key)).toEqual([
          'pending',
          'assigned',
          'submitted',
          'hold',
          'overdue',
          'supervise',
          'notify',
          'new',
          'closed',
        ]);
        for (const f of figures) {
          const q = Object.entries(f.filter)
            .map(
              ([k, v]) => `${k}=${encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v))}`,
            )
            .join('&');
          const counts = await as(t, who.token).get(`/tasks/counts?${q}`).expect(200);
          const list = await as(t, who.token).get(`/tasks?limit=200&${q}`).expect(200);
          expect([f.key, f.total]).toEqual([f.key, counts.body.total]);
          expect([f.key, f.total]).toEqual([f.key, (list.body.items as unknown[]).length]);
        }
        if (who === w.admin) {
          const byKey = Object.fromEntries(figures.map((f) => [f.key, f.total]));
          expect(byKey.overdue).toBeGreaterThanOrEqual(2);
          expect(byKey.supervise).toBeGreaterThanOrEqual(2);
          expect(byKey.assigned).toBeGreaterThanOrEqual(2);
        }
      }
      await t.http().get('/api/v1/tasks/counts/dashboard').expect(401);
    });
  });

  describe('GET /admin/webhook-deliveries?unitId=', () => {
    it("lists one unit's deliveries, by id or code", async () => {
      const [a] = (await t.ds.query('SELECT code FROM units WHERE id = $1', [w.unitA.unitId])) as {
        code: string;
      }[];
      for (const [unitId, key] of [
        [w.unitA.unitId, 'a1'],
        [w.unitA.unitId, 'a2'],
        [w.unitB.unitId, 'b1'],
      ]) {
        await t.ds.query(
          `INSERT INTO webhook_deliveries (unit_id, delivery_key, event_type, payload, status, attempts, last_error)
           VALUES ($1, $2, 'task.assigned', '{}', 'dead', 5, 'ECONNREFUSED')`,
          [unitId, key],
        );
      }
      const list = async (q: string) =>
        (await as(t, w.admin.token).get(`/admin/webhook-deliveries?${q}`).expect(200)).body
          .items as { unitId: string }[];
      expect((await list('')).length).toBe(3);
      const byId = await list(`unitId=${w.unitA.unitId}`);
      expect(byId.map((d) => d.unitId)).toEqual([w.unitA.unitId, w.unitA.unitId]);
      expect(await list(`unitId=${a.code}`)).toEqual(byId);
      expect(await list(`unitId=${w.unitB.unitId}&status=delivered`)).toEqual([]);
      expect(await list('unitId=NO_SUCH')).toEqual([]);
      const bad = await as(t, w.admin.token)
        .get('/admin/webhook-deliveries?unitId=a%20b')
        .expect(400);
      expect((bad.body.errors as { field: string }[])[0].field).toBe('unitId');
      await as(t, w.unitA.token)
        .get(`/admin/webhook-deliveries?unitId=${w.unitA.unitId}`)
        .expect(403);
    });
  });
});
