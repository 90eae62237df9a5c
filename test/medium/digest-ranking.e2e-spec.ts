import { as } from '../support/fixtures.js';
import { bj, mediumWorld, ok, type MediumWorld, type TaskBody } from './medium-world.js';

interface UnitRow {
  unitId: string;
  rank: number | null;
  card: string | null;
  unrankedReason: string | null;
  figures: Record<string, number | null>;
}

/**
 * The weekly 综合评价 of four units whose week was produced by the service itself: tasks
 * created, submitted and checked through the HTTP API at controlled clock times (no row is
 * inserted with SQL). 按期结案 carries 60 % of the 综合指标值, so it decides the ranking here.
 *
 * Week of Monday 2026-11-09 (Beijing); every task is due Wednesday 2026-11-11 18:00.
 * - A: five tasks submitted Tuesday and passed Tuesday: all on time.
 * - B: five tasks submitted Thursday (late) and passed Thursday: closed, none on time.
 * - C: three tasks submitted Wednesday 17:00 (in time) and passed Friday (a late 复查: still on
 *   time); two never submitted.
 * - D: two tasks, both on time: too few to rank (minVolume 5, config/digest.json).
 */
describe('综合评价 of a week the service produced', () => {
  let m: MediumWorld;
  const unitIds: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };
  const tokens: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };

  async function story(
    u: keyof typeof unitIds,
    n: number,
    submitAt: string | null,
    checkAt: string | null,
  ): Promise<TaskBody[]> {
    const out: TaskBody[] = [];
    for (let i = 0; i < n; i++) {
      m.setNow('2026-11-09 09:00');
      let x = await ok(
        m.office().post('/tasks', {
          categoryId: m.checkedCategory,
          siteId: m.w.siteA,
          unitId: unitIds[u],
          deadline: bj('2026-11-11 18:00').toISOString(),
          description: `${u} 单位任务 ${i + 1}`,
        }),
      );
      if (submitAt) {
        m.setNow(submitAt);
        x = await ok(
          as(m.t, tokens[u]).post(`/tasks/${x.id}/submissions`, {
            version: x.version,
            description: '已整改',
          }),
        );
      }
      if (submitAt && checkAt) {
        m.setNow(checkAt);
        x = await ok(
          m.inspector().post(`/tasks/${x.id}/checks`, { version: x.version, result: 'pass' }),
        );
      }
      out.push(x);
    }
    return out;
  }

  beforeAll(async () => {
    m = await mediumWorld('2026-11-09 08:00');
    unitIds.A = m.w.unitA.unitId;
    tokens.A = m.w.unitA.token;
    unitIds.B = m.w.unitB.unitId;
    tokens.B = m.w.unitB.token;
    for (const u of ['C', 'D'] as const) {
      const unit = await m.t.createUnit(`${u}街道`);
      unitIds[u] = unit.id;
      tokens[u] = (await m.t.signIn('unit', { unitId: unit.id })).token;
    }
  });
  afterAll(() => m.close());

  it('ranks the units by 综合指标值, with 按期结案 decided by each accepted submission', async () => {
    await story('A', 5, '2026-11-10 10:00', '2026-11-10 15:00');
    await story('B', 5, '2026-11-12 10:00', '2026-11-12 15:00');
    await story('C', 3, '2026-11-11 17:00', '2026-11-13 10:00');
    await story('C', 2, null, null);
    await story('D', 2, '2026-11-10 10:00', '2026-11-10 11:00');

    m.setNow('2026-11-18 09:00');
    const res = await m.inspector().get('/reports/digest?from=2026-11-09&to=2026-11-15');
    expect(res.status).toBe(200);
    const rows = res.body.units as UnitRow[];
    const of = (u: keyof typeof unitIds) => {
      const r = rows.find((x) => x.unitId === unitIds[u]);
      if (!r) throw new Error(`unit ${u} is not in the digest`);
      return r;
    };

    expect(of('A').figures).toMatchObject({
      due: 5,
      volume: 5,
      dueClosed: 5,
      dueClosedOnTime: 5,
      closedOnTime: 5,
      checks: 5,
      failedChecks: 0,
      onTimeClosureRate: 1,
      closureRate: 1,
      reworkRate: 0,
      compositeIndex: 100, // 1×60 + 1×30 + 1×10
    });
    expect(of('B').figures).toMatchObject({
      due: 5,
      volume: 5,
      dueClosed: 5,
      dueClosedOnTime: 0,
      closed: 5,
      closedOnTime: 0,
      onTimeClosureRate: 0,
      closureRate: 1,
      reworkRate: 0,
      compositeIndex: 40, // 0×60 + 1×30 + 1×10
    });
    expect(of('C').figures).toMatchObject({
      due: 5,
      volume: 5,
      dueClosed: 3,
      dueClosedOnTime: 3,
      closedOnTime: 3,
      openOverdue: 2,
      checks: 3,
      onTimeClosureRate: 0.6,
      closureRate: 0.6,
      reworkRate: 0,
      compositeIndex: 64, // 0.6×60 + 0.6×30 + 1×10
    });
    expect(of('D').figures).toMatchObject({ due: 2, dueClosedOnTime: 2, compositeIndex: 100 });

    // Three ranked units: the best green, the worst red (shares ⅓), D listed without a rank.
    expect(
      (['A', 'C', 'B', 'D'] as const).map((u) => [u, of(u).rank, of(u).card, of(u).unrankedReason]),
    ).toEqual([
      ['A', 1, 'green', null],
      ['C', 2, 'yellow', null],
      ['B', 3, 'red', null],
      ['D', null, null, 'below_min_volume'],
    ]);

    // Listed ranked first, by rank, then the unranked (the reader gives them by name, bytewise:
    // C街道, D街道, 东辛房街道, 城子街道).
    expect(rows.map((r) => r.unitId)).toEqual([unitIds.A, unitIds.C, unitIds.B, unitIds.D]);

    // And the database holds what the figures were counted from.
    const perUnit = (await m.t.ds.query(
      `SELECT unit_id, count(*) FILTER (WHERE closed_on_time)::int AS on_time,
              count(*) FILTER (WHERE closed_on_time IS FALSE)::int AS late,
              count(*) FILTER (WHERE status <> 'closed')::int AS open
         FROM tasks GROUP BY unit_id`,
    )) as { unit_id: string; on_time: number; late: number; open: number }[];
    const db = (u: keyof typeof unitIds) => {
      const r = perUnit.find((x) => x.unit_id === unitIds[u]);
      return r && [r.on_time, r.late, r.open];
    };
    expect([db('A'), db('B'), db('C'), db('D')]).toEqual([
      [5, 0, 0],
      [0, 5, 0],
      [3, 0, 2],
      [2, 0, 0],
    ]);
  });

  /**
   * Units written through the units API (POST/PATCH /units) and a task through POST /tasks, in a
   * later week; independent of the test above (it filters the digest to its own units).
   */
  it('lists every active unit and a retired one with figures, in configured order then pinyin', async () => {
    m.setNow('2026-11-23 09:00');
    let seq = 0;
    const unit = async (name: string, sortOrder: number): Promise<string> => {
      seq += 1;
      const res = await m.office().post('/units', {
        code: `RANK${seq}`,
        name,
        kind: 'street',
        sortOrder,
      });
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
      return res.body.id as string;
    };
    const retire = async (id: string) =>
      expect((await m.office().patch(`/units/${id}`, { active: false })).status).toBe(200);

    const yi = await unit('乙街道', 1);
    const jia = await unit('甲街道', 5);
    // Same sort order: by name in pinyin (安 an before 北 bei), though 北 U+5317 < 安 U+5B89.
    const bei = await unit('北辛街道', 50);
    const an = await unit('安宁街道', 50);
    // Names the collator holds equal (豈 U+8C48 and its compatibility twin U+F900; 更 U+66F4 and
    // U+F901): by id. The database lists them by name, bytewise. One pair is named so that this
    // order is the reverse of the ids' (the higher id gets U+8C48) and the other so that it is
    // the same: the id rule has to reorder the first and keep the second.
    const [lowId, highId] = [await unit('双名一', 60), await unit('双名二', 60)].sort();
    expect((await m.office().patch(`/units/${highId}`, { name: '\u8c48山街道' })).status).toBe(200);
    expect((await m.office().patch(`/units/${lowId}`, { name: '\uf900山街道' })).status).toBe(200);
    const [lowId2, highId2] = [await unit('双名三', 61), await unit('双名四', 61)].sort();
    expect((await m.office().patch(`/units/${lowId2}`, { name: '\u66f4山街道' })).status).toBe(200);
    expect((await m.office().patch(`/units/${highId2}`, { name: '\uf901山街道' })).status).toBe(
      200,
    );
    // Retired: one with a task in the week (listed), one without (left out).
    const retiredWithTask = await unit('旧甲街道', 0);
    const retiredIdle = await unit('旧乙街道', 0);
    m.setNow('2026-11-24 09:00');
    await ok(
      m.office().post('/tasks', {
        categoryId: m.checkedCategory,
        unitId: retiredWithTask,
        address: '旧甲街道某处',
        description: '撤并前交办',
      }),
    );
    await retire(retiredWithTask);
    await retire(retiredIdle);

    m.setNow('2026-11-30 09:00');
    const res = await m.inspector().get('/reports/digest?from=2026-11-23&to=2026-11-29');
    expect(res.status).toBe(200);
    const mine = new Set([
      ...[yi, jia, bei, an, lowId, highId, lowId2, highId2],
      ...[retiredWithTask, retiredIdle],
    ]);
    const listed = (res.body.units as UnitRow[]).filter((u) => mine.has(u.unitId));
    expect(listed.map((u) => u.unitId)).toEqual([
      ...[retiredWithTask, yi, jia, an, bei],
      ...[lowId, highId, lowId2, highId2],
    ]);
    expect(listed[0]).toMatchObject({ rank: null, figures: { received: 1 } });
    expect(listed[1]).toMatchObject({ rank: null, figures: { received: 0, volume: 0 } });
    // Categories: only those with figures in the period (the self-close one and the loop
    // world's two have none), with their group.
    expect(
      (res.body.categories as { categoryId: string; groupName: string }[]).map((c) => [
        c.categoryId,
        c.groupName,
      ]),
    ).toEqual([[m.checkedCategory, '街面秩序']]);
  });
});
