import { DIGEST_CONFIG, type DigestConfig } from '../src/reports/report-config.js';
import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Detail {
  id: string;
  number: string;
  status: string;
  version: number;
  createdAt: string;
  isRecurrence: boolean;
  recurrenceOf: {
    id: string | null;
    number: string;
    closedAt: string | null;
    distanceM: number | null;
  } | null;
  recurrences: { id: string | null; number: string; createdAt: string; status: string | null }[];
}

/**
 * 反弹 (issue 16): a problem logged near a task of its category closed in the last 30 days is
 * linked to it, shown on both tasks and in the earlier task's trail; the digest counts it per
 * unit with the repeat locations, and deducts for it when configured. Asserted on the answers
 * and on what the database holds.
 */
describe('problems that come back (反弹)', () => {
  let t: TestApp;
  let w: LoopWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
  });
  afterAll(() => t.close());

  const admin = () => as(t, w.admin.token);
  const inspector = () => as(t, w.inspector.token);
  const unitA = () => as(t, w.unitA.token);
  const unitB = () => as(t, w.unitB.token);

  /** A base point per test, a kilometre apart, so no test finds another's closed tasks. */
  let base = 0;
  function nextPlace() {
    base += 1;
    const origin = { lat: 39.9 + base * 0.01, lng: 116.1 };
    return (metresNorth = 0) => ({ lat: origin.lat + metresNorth / 111_195, lng: origin.lng });
  }

  async function logProblem(body: Record<string, unknown>, who = inspector()): Promise<Detail> {
    const res = await who.post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteA,
      description: '楼道堆放纸箱',
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body as Detail;
  }

  /** Closes a task straight in the database `daysAgo` days back (the window is what is tested). */
  async function closeInDb(id: string, daysAgo: number): Promise<void> {
    await t.ds.query(
      `UPDATE tasks SET status = 'closed', closed_at = now() - $2 * interval '1 day',
              closed_on_time = true, closed_unverified = false WHERE id = $1`,
      [id, daysAgo],
    );
  }

  const linkOf = async (id: string): Promise<string | null> =>
    (
      (await t.ds.query('SELECT recurrence_of_id FROM tasks WHERE id = $1', [id])) as {
        recurrence_of_id: string | null;
      }[]
    )[0].recurrence_of_id;

  const recurEvents = async (id: string) =>
    (await t.ds.query(
      `SELECT from_status, to_status, data, note FROM task_events WHERE task_id = $1 AND action = 'recur'`,
      [id],
    )) as { from_status: string; to_status: string; data: Record<string, unknown>; note: string }[];

  describe('a task closed through the loop, and the problem back 20 m away', () => {
    let old: Detail;
    let back: Detail;
    let oldVersion: number;

    beforeAll(async () => {
      const at = nextPlace();
      const first = await logProblem(at());
      const photo = await uploadPhoto(t, w.unitA.token);
      const submitted = await unitA()
        .post(`/tasks/${first.id}/submissions`, {
          version: first.version,
          description: '已清理',
          afterPhotoIds: [photo],
        })
        .expect(200);
      const checked = await inspector()
        .post(`/tasks/${first.id}/checks`, { version: submitted.body.version, result: 'pass' })
        .expect(200);
      expect(checked.body.status).toBe('closed');
      oldVersion = checked.body.version;
      back = await logProblem({ ...at(20), description: '楼道又堆放纸箱' });
      old = (await admin().get(`/tasks/${first.id}`).expect(200)).body;
    });

    it('links the new task to the closed one in the database', async () => {
      expect(await linkOf(back.id)).toBe(old.id);
      expect(back.isRecurrence).toBe(true);
    });

    it('the new task shows what it repeats, the old one what came back', async () => {
      const fresh: Detail = (await admin().get(`/tasks/${back.id}`).expect(200)).body;
      expect(fresh.recurrenceOf).toMatchObject({ id: old.id, number: old.number });
      expect(fresh.recurrenceOf?.closedAt).toEqual(expect.any(String));
      expect(fresh.recurrenceOf?.distanceM).toBeCloseTo(20, 0);
      expect(old.recurrences).toEqual([
        { id: back.id, number: fresh.number, createdAt: fresh.createdAt, status: 'assigned' },
      ]);
      expect(fresh.number).toMatch(/^ZG-\d{4}-\d{6}$/);
      expect(old.recurrenceOf).toBeNull();
      expect(old.isRecurrence).toBe(false);
    });

    it("the old task's trail says it came back, without a version bump or a status change", async () => {
      expect(old.status).toBe('closed');
      expect(old.version).toBe(oldVersion);
      const events = await recurEvents(old.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        from_status: 'closed',
        to_status: 'closed',
        data: { recurrenceTaskId: back.id, unitId: w.unitA.unitId },
      });
      expect(events[0].data.distanceM).toBeCloseTo(20, 0);
      const trail = await unitA().get(`/tasks/${old.id}/events`).expect(200);
      const recur = (trail.body.items as { action: string; note: string }[]).find(
        (e) => e.action === 'recur',
      );
      expect(recur?.note).toContain('反弹');
      const [created] = await t.ds.query(
        `SELECT data FROM task_events WHERE task_id = $1 AND action = 'create'`,
        [back.id],
      );
      expect(created.data.recurrenceOf.id).toBe(old.id);
    });

    it('the list flags it and filters on recurrence', async () => {
      const yes = await admin().get('/tasks?recurrence=true&limit=200').expect(200);
      const ids = (yes.body.items as { id: string }[]).map((i) => i.id);
      expect(ids).toContain(back.id);
      expect(ids).not.toContain(old.id);
      const no = await admin().get('/tasks?recurrence=false&limit=200').expect(200);
      expect((no.body.items as { id: string }[]).map((i) => i.id)).not.toContain(back.id);
      const bad = await admin().get('/tasks?recurrence=maybe');
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('recurrence');
    });
  });

  describe('what is not a recurrence', () => {
    it.each<
      [
        string,
        (id: string) => Promise<void>,
        (at: ReturnType<typeof nextPlace>) => Record<string, unknown>,
      ]
    >([
      ['outside the radius (80 m, radius 50)', (id) => closeInDb(id, 2), (at) => at(80)],
      [
        'of another category',
        (id) => closeInDb(id, 2),
        (at) => ({ ...at(10), categoryId: w.selfCloseCategoryId }),
      ],
      ['closed 31 days ago (window 30)', (id) => closeInDb(id, 31), (at) => at(10)],
      [
        'cancelled, not closed',
        async (id) => {
          await t.ds.query(
            `UPDATE tasks SET status = 'cancelled', cancelled_at = now() - interval '1 day' WHERE id = $1`,
            [id],
          );
        },
        (at) => at(10),
      ],
      ['still open: a duplicate, not a recurrence', async () => undefined, (at) => at(10)],
    ])('%s', async (_name, settle, where) => {
      const at = nextPlace();
      const earlier = await logProblem(at());
      await settle(earlier.id);
      const later = await logProblem(where(at));
      expect(await linkOf(later.id)).toBeNull();
      expect(later.isRecurrence).toBe(false);
      expect(later.recurrenceOf).toBeNull();
      expect(await recurEvents(earlier.id)).toEqual([]);
    });

    it('a category with radius 0 has recurrence off', async () => {
      await admin().patch(`/categories/${w.categoryId}`, { recurrenceRadiusM: 0 }).expect(200);
      try {
        const at = nextPlace();
        const earlier = await logProblem(at());
        await closeInDb(earlier.id, 1);
        const later = await logProblem(at(5));
        expect(await linkOf(later.id)).toBeNull();
      } finally {
        await admin().patch(`/categories/${w.categoryId}`, { recurrenceRadiusM: 50 }).expect(200);
      }
    });

    it('the radius is validated: 0–1000 whole metres, a 400 naming the field', async () => {
      for (const bad of [-1, 1001, 12.5]) {
        const res = await admin().patch(`/categories/${w.categoryId}`, { recurrenceRadiusM: bad });
        expect(res.status).toBe(400);
        expect(res.body.errors[0].field).toBe('recurrenceRadiusM');
      }
      const [row] = await t.ds.query('SELECT recurrence_radius_m FROM categories WHERE id = $1', [
        w.categoryId,
      ]);
      expect(row.recurrence_radius_m).toBe(50);
      const listed = await admin().get('/categories?limit=200').expect(200);
      expect(
        (listed.body.items as { id: string; recurrenceRadiusM: number }[]).find(
          (c) => c.id === w.categoryId,
        )?.recurrenceRadiusM,
      ).toBe(50);
    });
  });

  describe('which closed task, and where', () => {
    it('the nearest of two, though the farther closed later', async () => {
      const at = nextPlace();
      const near = await logProblem(at(10));
      const far = await logProblem(at(40));
      await closeInDb(near.id, 20);
      await closeInDb(far.id, 1);
      const later = await logProblem(at());
      expect(await linkOf(later.id)).toBe(near.id);
    });

    it('the same 点位 without positions is the same place', async () => {
      const [site] = (await t.ds.query(
        `INSERT INTO sites (name, kind, default_unit_id) VALUES ('反弹测试社区', '社区', $1) RETURNING id`,
        [w.unitA.unitId],
      )) as { id: string }[];
      const earlier = await logProblem({ siteId: site.id, address: '某楼3单元' });
      await closeInDb(earlier.id, 3);
      const later = await logProblem({ siteId: site.id });
      expect(await linkOf(later.id)).toBe(earlier.id);
      expect(later.recurrenceOf).toMatchObject({ id: earlier.id, distanceM: null });
    });

    it('a problem raised under an inspection is linked the same way', async () => {
      const at = nextPlace();
      const earlier = await logProblem(at());
      await closeInDb(earlier.id, 5);
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const res = await inspector()
        .post('/inspections', {
          kind: 'inspection',
          activity: '楼院环境督导检查',
          leadPersons: ['王建华'],
          heldOn: today,
          location: '东辛房',
          tasks: [{ categoryId: w.categoryId, siteId: w.siteA, description: '又堆了', ...at(15) }],
        })
        .expect(201);
      const [row] = await t.ds.query(
        'SELECT recurrence_of_id FROM tasks WHERE inspection_id = $1',
        [res.body.id],
      );
      expect(row.recurrence_of_id).toBe(earlier.id);
    });
  });

  describe('scoping: another unit sees the number only', () => {
    let earlier: Detail;
    let later: Detail;

    beforeAll(async () => {
      const at = nextPlace();
      earlier = await logProblem(at());
      await closeInDb(earlier.id, 2);
      // The office routes the new problem to unit B: the earlier fix was unit A's.
      later = await logProblem({ ...at(5), unitId: w.unitB.unitId }, admin());
      earlier = (await admin().get(`/tasks/${earlier.id}`).expect(200)).body;
      later = (await admin().get(`/tasks/${later.id}`).expect(200)).body;
    });

    it("unit B sees the earlier task's number on its own task, not its id or closure", async () => {
      const seen: Detail = (await unitB().get(`/tasks/${later.id}`).expect(200)).body;
      expect(seen.recurrenceOf).toEqual({
        id: null,
        number: earlier.number,
        closedAt: null,
        distanceM: expect.any(Number),
      });
      await unitB().get(`/tasks/${earlier.id}`).expect(404);
    });

    it('unit A sees on its closed task that it came back, by number', async () => {
      const seen: Detail = (await unitA().get(`/tasks/${earlier.id}`).expect(200)).body;
      expect(seen.recurrences).toEqual([
        { id: null, number: later.number, createdAt: later.createdAt, status: null },
      ]);
      const office: Detail = (await admin().get(`/tasks/${earlier.id}`).expect(200)).body;
      expect(office.recurrences[0]).toMatchObject({ id: later.id, status: 'assigned' });
    });
  });

  /**
   * The digest over a past week (Monday 2026-11-02 … Sunday 2026-11-08, Beijing), tasks written
   * straight into the database with the times that matter, figures worked out by hand:
   *
   * - unit A closed e1 and e2 in October. In the week: r1 and r2 repeat e1 (r2 went to unit B:
   *   still unit A's 反弹), r3 repeats e2 but was cancelled (not counted) → A 2, B 0.
   * - 重复点位: three 楼道堆物 at siteA (unit A: r1 and two more) → one; two at the address
   *   '槐树岭路8号' (not three) → none; three 小广告 at one position without a site, unit B's →
   *   one (a grid cell), B's; three problems at one site of two categories → none.
   *   A: 1, B: 2 (r2 is at siteA too, so B holds one of that place's tasks), district 2.
   * - unit A has one task due in the week and closed on time: 综合指标值 100 (no 复查: the
   *   closure terms scaled); with the deduction on (2 points per 反弹, at most 10): 96.
   */
  describe('the digest: recurrences, repeat locations, the deduction', () => {
    const bj = (local: string): Date => new Date(`${local}+08:00`);
    const WEEK = 'from=2026-11-02&to=2026-11-08';
    let seq = 0;

    async function row(s: {
      unit: string;
      category?: string;
      site?: string | null;
      address?: string;
      lat?: number;
      lng?: number;
      created: string;
      closed?: string;
      deadline?: string;
      cancelled?: boolean;
      recurrenceOf?: string;
    }): Promise<string> {
      seq += 1;
      const status = s.cancelled ? 'cancelled' : s.closed ? 'closed' : 'assigned';
      const deadline = bj(s.deadline ?? '2026-12-30T18:00:00');
      const [r] = (await t.ds.query(
        `INSERT INTO tasks (number, category_id, site_id, address, lat, lng, description, unit_id, status,
                            assigned_at, deadline, assessed_deadline, closed_at, closed_on_time,
                            cancelled_at, recurrence_of_id, created_by, created_at, found_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, '测试问题', $7, $8, $9, $10, $10, $11, $12, $13, $14, $15, $9, $9, $9)
         RETURNING id`,
        [
          `R-${String(seq).padStart(4, '0')}`,
          s.category ?? w.categoryId,
          s.site === undefined ? null : s.site,
          s.address ?? (s.site ? null : '测试地址'),
          s.lat ?? null,
          s.lng ?? null,
          s.unit,
          status,
          bj(s.created),
          deadline,
          s.closed ? bj(s.closed) : null,
          s.closed ? true : null,
          s.cancelled ? bj(s.created) : null,
          s.recurrenceOf ?? null,
          w.admin.id,
        ],
      )) as { id: string }[];
      return r.id;
    }

    type Figures = {
      recurrences: number;
      repeatLocations: number;
      recurrenceDeduction: number;
      compositeIndex: number | null;
    };
    type UnitRow = { unitId: string; figures: Figures };
    const digest = async (query = WEEK) =>
      (await admin().get(`/reports/digest?${query}`).expect(200)).body as {
        units: UnitRow[];
        totals: Figures;
        categories: { categoryId: string; figures: Figures }[];
        rules: { recurrenceDeduction: { enabled: boolean } };
      };
    const unitFigures = (d: { units: UnitRow[] }, unitId: string) =>
      d.units.find((u) => u.unitId === unitId)?.figures;

    beforeAll(async () => {
      const A = w.unitA.unitId;
      const B = w.unitB.unitId;
      const e1 = await row({
        unit: A,
        site: w.siteA,
        created: '2026-10-20T10:00:00',
        closed: '2026-10-25T10:00:00',
      });
      const e2 = await row({
        unit: A,
        address: '槐树岭路8号',
        created: '2026-10-21T10:00:00',
        closed: '2026-10-26T10:00:00',
      });
      await row({ unit: A, site: w.siteA, created: '2026-11-03T09:00:00', recurrenceOf: e1 });
      await row({ unit: B, site: w.siteA, created: '2026-11-04T09:00:00', recurrenceOf: e1 });
      await row({ unit: A, site: w.siteA, created: '2026-11-05T09:00:00' });
      await row({
        unit: A,
        address: '槐树岭路8号',
        created: '2026-11-03T11:00:00',
        cancelled: true,
        recurrenceOf: e2,
      });
      await row({ unit: A, address: '槐树岭路8号', created: '2026-11-04T11:00:00' });
      await row({ unit: A, address: '槐树岭路8号', created: '2026-11-06T11:00:00' });
      for (const day of ['03', '05', '07']) {
        await row({
          unit: B,
          category: w.selfCloseCategoryId,
          lat: 39.95,
          lng: 116.12,
          created: `2026-11-${day}T15:00:00`,
        });
      }
      const [mixed] = (await t.ds.query(
        `INSERT INTO sites (name, kind, default_unit_id) VALUES ('双类别点位', '道路', $1) RETURNING id`,
        [A],
      )) as { id: string }[];
      await row({ unit: A, site: mixed.id, created: '2026-11-03T08:00:00' });
      await row({ unit: A, site: mixed.id, created: '2026-11-04T08:00:00' });
      await row({
        unit: A,
        site: mixed.id,
        category: w.selfCloseCategoryId,
        created: '2026-11-05T08:00:00',
      });
      // Due in the week and closed on time: unit A's index is 100 before any deduction.
      await row({
        unit: A,
        site: null,
        address: '别处',
        created: '2026-10-28T10:00:00',
        deadline: '2026-11-04T18:00:00',
        closed: '2026-11-04T10:00:00',
      });
    });

    it('counts 反弹 for the unit that closed the earlier task, and the repeat locations', async () => {
      const d = await digest();
      expect(unitFigures(d, w.unitA.unitId)).toMatchObject({
        recurrences: 2,
        repeatLocations: 1,
        recurrenceDeduction: 0,
        compositeIndex: 100,
      });
      expect(unitFigures(d, w.unitB.unitId)).toMatchObject({ recurrences: 0, repeatLocations: 2 });
      expect(d.totals).toMatchObject({ recurrences: 2, repeatLocations: 2 });
      const byCategory = Object.fromEntries(d.categories.map((c) => [c.categoryId, c.figures]));
      expect(byCategory[w.categoryId]).toMatchObject({ recurrences: 2, repeatLocations: 1 });
      expect(byCategory[w.selfCloseCategoryId]).toMatchObject({
        recurrences: 0,
        repeatLocations: 1,
      });
      expect(d.rules.recurrenceDeduction.enabled).toBe(false);
    });

    it('a week without them counts none', async () => {
      const d = await digest('from=2026-10-26&to=2026-11-01');
      expect(unitFigures(d, w.unitA.unitId)).toMatchObject({ recurrences: 0, repeatLocations: 0 });
    });

    it('the deduction, when configured, takes 2 points per 反弹 off unit A', async () => {
      const config = t.app.get<DigestConfig>(DIGEST_CONFIG);
      const off = config.recurrenceDeduction;
      config.recurrenceDeduction = { enabled: true, pointsPerRecurrence: 2, max: 10 };
      try {
        const d = await digest();
        expect(unitFigures(d, w.unitA.unitId)).toMatchObject({
          recurrences: 2,
          recurrenceDeduction: 4,
          compositeIndex: 96,
        });
        // Categories and totals are not units: nothing deducted there.
        expect(d.totals.recurrenceDeduction).toBe(0);
        expect(d.rules.recurrenceDeduction).toEqual({
          enabled: true,
          pointsPerRecurrence: 2,
          max: 10,
        });
        // The week stored through the office's backfill route reads back with its 反弹 and
        // deduction (the week is long over on the real clock).
        await admin().post('/reports/digests/2026-11-02').expect(201);
        const stored = (await admin().get('/reports/digests/2026-11-02').expect(200)).body as {
          units: UnitRow[];
          rules: { recurrenceDeduction: unknown };
        };
        expect(unitFigures(stored, w.unitA.unitId)).toMatchObject({
          recurrences: 2,
          repeatLocations: 1,
          recurrenceDeduction: 4,
          compositeIndex: 96,
        });
        expect(stored.rules.recurrenceDeduction).toEqual(d.rules.recurrenceDeduction);
      } finally {
        config.recurrenceDeduction = off;
      }
      const back = await digest();
      expect(unitFigures(back, w.unitA.unitId)).toMatchObject({
        compositeIndex: 100,
        recurrenceDeduction: 0,
      });
    });

    it('the CSV export carries 反弹, 重复点位 and 反弹扣分', async () => {
      const res = await admin().get(`/reports/digest?${WEEK}&format=csv`).expect(200);
      const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
      const header = lines[0].split(',');
      const unitALine = lines.find((l) => l.startsWith('单位,东辛房街道,'))!.split(',');
      const cell = (name: string) => unitALine[header.indexOf(name)];
      expect([cell('反弹'), cell('重复点位'), cell('反弹扣分')]).toEqual(['2', '1', '0.00']);
    });
  });
});
