import { bj, mediumWorld, ok, type MediumWorld, type TaskBody } from './medium-world.js';

/**
 * What a 反弹 (a problem back where a task of its category was closed) writes on both tasks: the
 * new task's link and create event, and the `recur` event on the earlier one — from and to
 * closed, its note, who logged it, the distance to a tenth of a metre or none for the same 点位
 * without positions — and the window counted back from when the problem was found. Tasks are
 * created through the API at controlled clock times; the earlier ones are closed in the database
 * at chosen instants (what is tested is the link, not the loop).
 */
describe('what a 反弹 writes on the new task and on the closed one', () => {
  let m: MediumWorld;
  /** A base point per test, a kilometre apart, so no test finds another's closed tasks. */
  let base = 0;
  const nextPlace = () => {
    base += 1;
    const lat = 39.8 + base * 0.01;
    return (metresNorth = 0) => ({ lat: lat + metresNorth / 111_195, lng: 116.05 });
  };

  beforeAll(async () => {
    m = await mediumWorld('2026-11-09 09:00');
  });
  afterAll(() => m.close());

  const log = (at: string, place: Record<string, unknown>): Promise<TaskBody> => {
    m.setNow(at);
    return ok(
      m.inspector().post('/tasks', {
        categoryId: m.checkedCategory,
        siteId: m.w.siteA,
        description: '沿街堆放杂物',
        ...place,
      }),
    );
  };
  const closeAt = (id: string, at: string) =>
    m.t.ds.query(
      `UPDATE tasks SET status = 'closed', closed_at = $2, closed_on_time = true,
              closed_unverified = false WHERE id = $1`,
      [id, bj(at)],
    );
  const events = async (id: string) =>
    (await m.t.ds.query(
      `SELECT action, from_status, to_status, actor_id, note, data FROM task_events
        WHERE task_id = $1 ORDER BY id`,
      [id],
    )) as {
      action: string;
      from_status: string | null;
      to_status: string;
      actor_id: string;
      note: string | null;
      data: Record<string, unknown>;
    }[];
  const taskRow = async (id: string) =>
    (
      (await m.t.ds.query('SELECT recurrence_of_id, version, status FROM tasks WHERE id = $1', [
        id,
      ])) as { recurrence_of_id: string | null; version: number; status: string }[]
    )[0];

  it('12.3 m away: both events name the other task and the distance to a tenth of a metre', async () => {
    const at = nextPlace();
    const earlier = await log('2026-11-02 09:00', at());
    await closeAt(earlier.id, '2026-11-05 10:00');
    const versionBefore = (await taskRow(earlier.id)).version;
    const back = await log('2026-11-09 09:00', at(12.34));

    expect((await taskRow(back.id)).recurrence_of_id).toBe(earlier.id);
    const [created] = await events(back.id);
    const recurrenceOf = created.data.recurrenceOf as { id: string; distanceM: number };
    expect(recurrenceOf.id).toBe(earlier.id);
    expect(recurrenceOf.distanceM).toBeCloseTo(12.3, 5);

    const trail = await events(earlier.id);
    expect(trail.map((e) => e.action)).toEqual(['create', 'recur']);
    expect(trail[1]).toEqual({
      action: 'recur',
      from_status: 'closed',
      to_status: 'closed',
      actor_id: m.w.inspector.id,
      note: '同类问题在原址附近再次出现（反弹）',
      data: {
        unitId: m.w.unitA.unitId,
        recurrenceTaskId: back.id,
        distanceM: recurrenceOf.distanceM,
      },
    });
    // Nothing a client acts on changed on the earlier task.
    expect(await taskRow(earlier.id)).toEqual({
      recurrence_of_id: null,
      version: versionBefore,
      status: 'closed',
    });
  });

  it('the same 点位 without positions: linked, with no distance on either event', async () => {
    const [site] = (await m.t.ds.query(
      `INSERT INTO sites (name, kind, default_unit_id) VALUES ('反弹无坐标社区', '社区', $1) RETURNING id`,
      [m.w.unitA.unitId],
    )) as { id: string }[];
    const earlier = await log('2026-11-02 09:00', { siteId: site.id });
    await closeAt(earlier.id, '2026-11-05 10:00');
    const back = await log('2026-11-09 09:00', { siteId: site.id });
    expect((await taskRow(back.id)).recurrence_of_id).toBe(earlier.id);
    expect((await events(back.id))[0].data.recurrenceOf).toEqual({
      id: earlier.id,
      distanceM: null,
    });
    const recur = (await events(earlier.id)).find((e) => e.action === 'recur');
    expect(recur?.data).toEqual({
      unitId: m.w.unitA.unitId,
      recurrenceTaskId: back.id,
      distanceM: null,
    });
  });

  it('the window is counted back from when the problem was found, not from now', async () => {
    // Window 30 days. Found (foundAt) 2026-11-09 09:00, logged a week later.
    const at = nextPlace();
    const inside = await log('2026-10-01 09:00', at());
    await closeAt(inside.id, '2026-10-11 09:00');
    const back = await log('2026-11-16 09:00', {
      ...at(5),
      foundAt: bj('2026-11-09 09:00').toISOString(),
    });
    // Closed 29 days before it was found (but 36 before it was logged): a 反弹.
    expect((await taskRow(back.id)).recurrence_of_id).toBe(inside.id);

    const at2 = nextPlace();
    const outside = await log('2026-10-01 09:00', at2());
    await closeAt(outside.id, '2026-10-09 09:00');
    const notBack = await log('2026-11-09 10:00', at2(5));
    // Closed 31 days before: too long ago.
    expect((await taskRow(notBack.id)).recurrence_of_id).toBeNull();
    expect((await events(outside.id)).map((e) => e.action)).toEqual(['create']);
  });

  it('a category with radius 0 has none: not at the same 点位, not at the very same point', async () => {
    const [cat] = (await m.t.ds.query(
      `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule, requires_after_photo, recurrence_radius_m)
       VALUES ('MR0', '乱贴乱画', '街面秩序', '处', '{"kind":"work_days","days":3}', false, 0) RETURNING id`,
    )) as { id: string }[];
    const [site] = (await m.t.ds.query(
      `INSERT INTO sites (name, kind, default_unit_id) VALUES ('半径为零社区', '社区', $1) RETURNING id`,
      [m.w.unitA.unitId],
    )) as { id: string }[];
    const at = nextPlace();
    for (const place of [{ siteId: site.id }, at()]) {
      const earlier = await log('2026-11-02 09:00', { ...place, categoryId: cat.id });
      await closeAt(earlier.id, '2026-11-05 10:00');
      const later = await log('2026-11-09 09:00', { ...place, categoryId: cat.id });
      expect({ place, link: (await taskRow(later.id)).recurrence_of_id }).toEqual({
        place,
        link: null,
      });
      expect((await events(earlier.id)).map((e) => e.action)).toEqual(['create']);
    }
  });

  it('a problem logged without a position or 点位 is never linked by distance, not even at (0, 0)', async () => {
    // A phone without a fix may report 0, 0 (a stored task there stands for it); a new task
    // with only an address has no position at all, which must not count as a point at 0, 0.
    // The office routes both to unit A (a closed task needs a unit); neither has a position.
    const atAddress = (at: string, address: string): Promise<TaskBody> => {
      m.setNow(at);
      return ok(
        m.office().post('/tasks', {
          categoryId: m.checkedCategory,
          unitId: m.w.unitA.unitId,
          address,
          description: '沿街堆放杂物',
        }),
      );
    };
    const earlier = await atAddress('2026-11-02 09:00', '定位失败的地址');
    await m.t.ds.query(`UPDATE tasks SET lat = 0.00001, lng = 0.00001 WHERE id = $1`, [earlier.id]);
    await closeAt(earlier.id, '2026-11-05 10:00');
    const later = await atAddress('2026-11-09 09:00', '只有地址');
    expect((await taskRow(later.id)).recurrence_of_id).toBeNull();
    expect((await events(earlier.id)).map((e) => e.action)).toEqual(['create']);
  });
});
