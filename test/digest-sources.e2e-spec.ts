import ExcelJS from 'exceljs';
import { jest } from '@jest/globals';
import { TaskSources } from '../src/catalog/task-sources.js';
import { binary } from './support/binary.js';
import { mediumWorld, ok, type MediumWorld, type TaskBody } from './medium/medium-world.js';

/**
 * 来源 in the weekly digest, with fixtures written only through the API at injected clock times
 * (the medium tests' rule): per-source figures per unit and district-wide, the source weights
 * of config/sources.json applied to 综合指标值 (领导交办 ×2), and the 按来源 / 签收 parts of the
 * CSV and .xlsx.
 */

interface SourceFigures {
  source: string;
  sourceName: string;
  weight: number;
  raised: number;
  closed: number;
  closedOnTime: number;
  openOverdue: number;
}
interface UnitRow {
  unitId: string;
  figures: Record<string, number | null>;
  bySource: SourceFigures[];
  acknowledgement?: {
    assigned: number;
    signedInTime: number;
    signingRate: number | null;
    medianHoursToSign: number | null;
  };
}

describe('digest by 来源, with 来源 weights in 综合指标值', () => {
  let m: MediumWorld;
  const WEEK = '/reports/digest?from=2026-11-09&to=2026-11-15';

  /** A task the office logs at the unit's site with a source, worked by the unit: submitted at `submitAt`, passed 1 h later. */
  const work = async (
    unit: 'A' | 'B',
    source: string,
    description: string,
    submitAt: string,
  ): Promise<void> => {
    m.setNow('2026-11-09 09:00');
    const created = await ok(
      m.office().post('/tasks', {
        categoryId: m.checkedCategory,
        unitId: unit === 'A' ? m.w.unitA.unitId : m.w.unitB.unitId,
        address: `${description}地址`,
        description,
        source,
      }),
    );
    m.setNow(submitAt);
    const worker = unit === 'A' ? m.unitA() : m.unitB();
    const sub: TaskBody = await ok(
      worker.post(`/tasks/${created.id}/submissions`, {
        version: created.version,
        description: '已整改',
      }),
    );
    const [h, min] = submitAt.slice(11).split(':').map(Number);
    m.setNow(
      `${submitAt.slice(0, 11)}${String(h + 1).padStart(2, '0')}:${String(min).padStart(2, '0')}`,
    );
    await ok(
      m.inspector().post(`/tasks/${sub.id}/checks`, { version: sub.version, result: 'pass' }),
    );
  };

  beforeAll(async () => {
    m = await mediumWorld('2026-11-09 09:00', { ACK_REQUIRED: 'true', ACK_LIMIT_HOURS: '24' });
    // Each unit: four tasks due Thursday 11-12 (3 work days); three closed on time, one late.
    // Unit A's late one is 领导交办 (weight 2), unit B's an ordinary 督导检查.
    for (const unit of ['A', 'B'] as const) {
      await work(unit, 'inspection', `${unit}一`, '2026-11-09 15:00');
      await work(unit, 'hotline', `${unit}二`, '2026-11-09 15:00');
      await work(unit, 'inspection', `${unit}三`, '2026-11-09 15:00');
      await work(unit, unit === 'A' ? 'leader' : 'inspection', `${unit}四`, '2026-11-13 10:00');
    }
    // A 媒体曝光 task still open and overdue at the week's end, waiting for unit B.
    m.setNow('2026-11-10 09:00');
    await ok(
      m.office().post('/tasks', {
        categoryId: m.selfCloseCategory,
        unitId: m.w.unitB.unitId,
        address: '媒体曝光地址',
        description: '媒体曝光的问题',
        source: 'media',
      }),
    );
    m.setNow('2026-11-16 10:00');
  }, 180_000);
  afterAll(() => m?.close());

  it('counts each source per unit and district-wide, and weighs a late 领导交办 twice', async () => {
    const res = await m.office().get(WEEK).expect(200);
    const units = new Map<string, UnitRow>(res.body.units.map((u: UnitRow) => [u.unitId, u]));
    const a = units.get(m.w.unitA.unitId)!;
    const b = units.get(m.w.unitB.unitId)!;

    // A: 4 due, 3 on time; the shown rates are unweighted (0.75, 1; unweighted index 85) but the
    // late task was 领导交办 (×2): 60 × (4 − 2)/4 + 30 × 4/4 + 10 = 70.
    expect(a.figures).toMatchObject({
      due: 4,
      dueClosed: 4,
      dueClosedOnTime: 3,
      checks: 4,
      failedChecks: 0,
      onTimeClosureRate: 0.75,
      closureRate: 1,
      dueMissedWeighted: 2,
      dueUnclosedWeighted: 0,
      compositeIndex: 70,
    });
    // B: 5 due (the 媒体曝光 task too, open past its deadline), 4 closed, 3 on time. Unweighted:
    // 60 × 0.6 + 30 × 0.8 + 10 = 70. The late 督导检查 weighs 1, the open 媒体曝光 2 in both terms:
    // 60 × (5 − 3)/5 + 30 × (5 − 2)/5 + 10 = 24 + 18 + 10 = 52.
    expect(b.figures).toMatchObject({
      due: 5,
      dueClosed: 4,
      dueClosedOnTime: 3,
      onTimeClosureRate: 0.6,
      closureRate: 0.8,
      dueMissedWeighted: 3,
      dueUnclosedWeighted: 2,
      compositeIndex: 52,
    });

    expect(a.bySource).toEqual([
      {
        source: 'inspection',
        sourceName: '督导检查',
        weight: 1,
        raised: 2,
        closed: 2,
        closedOnTime: 2,
        openOverdue: 0,
      },
      {
        source: 'hotline',
        sourceName: '12345',
        weight: 1,
        raised: 1,
        closed: 1,
        closedOnTime: 1,
        openOverdue: 0,
      },
      {
        source: 'leader',
        sourceName: '领导交办',
        weight: 2,
        raised: 1,
        closed: 1,
        closedOnTime: 0,
        openOverdue: 0,
      },
    ]);
    expect(
      b.bySource.map((s) => [s.source, s.raised, s.closed, s.closedOnTime, s.openOverdue]),
    ).toEqual([
      ['inspection', 3, 3, 2, 0],
      ['hotline', 1, 1, 1, 0],
      ['media', 1, 0, 0, 1],
    ]);
    const district = new Map<string, SourceFigures>(
      res.body.sources.map((s: SourceFigures) => [s.source, s]),
    );
    expect(res.body.sources.map((s: SourceFigures) => s.source)).toEqual([
      'inspection',
      'undercover',
      'assessment',
      'hotline',
      'leader',
      'media',
      'self_check',
    ]);
    expect(district.get('inspection')).toMatchObject({
      raised: 5,
      closed: 5,
      closedOnTime: 4,
      openOverdue: 0,
    });
    expect(district.get('leader')).toMatchObject({
      weight: 2,
      raised: 1,
      closed: 1,
      closedOnTime: 0,
    });
    expect(district.get('media')).toMatchObject({
      weight: 2,
      raised: 1,
      closed: 0,
      openOverdue: 1,
    });
    expect(district.get('undercover')).toMatchObject({ raised: 0, closed: 0, openOverdue: 0 });

    // 签收: three signed by their submission after 6 h, the late one after 97 h (limit 24 h).
    expect(a.acknowledgement).toEqual({
      assigned: 4,
      signedInTime: 3,
      signingRate: 0.75,
      medianHoursToSign: 6,
    });
  });

  it('writes the 按来源 and 签收 parts into the CSV and the .xlsx', async () => {
    const csv = await m.office().get(`${WEEK}&format=csv`).expect(200);
    const blocks = csv.text.replace(/^\uFEFF/, '').split('\r\n\r\n');
    expect(blocks).toHaveLength(3);
    expect(blocks[1].split('\r\n')[0]).toBe('维度,名称,来源,权重,新增,结案,按期结案,超期未结');
    expect(blocks[1]).toContain('合计,全区,领导交办,2,1,1,0,0');
    expect(blocks[1]).toContain('单位,东辛房街道,领导交办,2,1,1,0,0');
    expect(blocks[2]).toContain('责任单位,应签收,按时签收,签收率,签收用时中位数(小时)');
    expect(blocks[2]).toContain('东辛房街道,4,3,75.00%,6');

    const xlsx = await m.office().get(`${WEEK}&format=xlsx`).buffer(true).parse(binary).expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ExcelJS.Buffer);
    const bySource = wb.getWorksheet('按来源')!;
    const values = bySource
      .getSheetValues()
      .slice(1)
      .map((r) => (r as unknown[]).slice(1));
    expect(values[0]).toEqual([
      '维度',
      '名称',
      '来源',
      '权重',
      '新增',
      '结案',
      '按期结案',
      '超期未结',
    ]);
    expect(values).toContainEqual(['单位', '城子街道', '媒体曝光', 2, 1, 0, 0, 1]);
    const signing = wb.getWorksheet('签收')!;
    const signingValues = signing
      .getSheetValues()
      .slice(2)
      .map((r) => (r as unknown[]).slice(1));
    expect(signingValues).toContainEqual(['东辛房街道', 4, 3, 0.75, 6]);
    // B: the 媒体曝光 task was never signed and is past its 24 h: counted, not in time.
    expect(signingValues).toContainEqual(['城子街道', 5, 3, 0.6, 6]);
  });

  it('lists a 来源 that config/sources.json no longer has after the configured ones, by code', async () => {
    // One more task for unit A, 第三方测评, logged Friday and due next Wednesday: raised in the
    // week, neither closed nor overdue at its end, so its row comes from the 新增 count alone and
    // is merged after A's outcome rows (which the aggregate returns by code).
    m.setNow('2026-11-13 09:00');
    await ok(
      m.office().post('/tasks', {
        categoryId: m.checkedCategory,
        unitId: m.w.unitA.unitId,
        address: '测评地址',
        description: '第三方测评发现的问题',
        source: 'assessment',
      }),
    );
    m.setNow('2026-11-16 10:00');
    // As if 第三方测评, 12345 and 媒体曝光 were taken out of the file after tasks were logged with
    // them: the digest still counts those tasks, under their code, weight 1, after the listed
    // sources, by code.
    const sources = m.t.app.get(TaskSources);
    const removed = new Set(['media', 'hotline', 'assessment']);
    const find = sources.find.bind(sources);
    const all = jest.replaceProperty(
      sources,
      'all',
      sources.all.filter((x) => !removed.has(x.code)),
    );
    const spy = jest
      .spyOn(sources, 'find')
      .mockImplementation((code) => (removed.has(code) ? undefined : find(code)));
    try {
      const res = await m.office().get(WEEK).expect(200);
      const row = (unitId: string) =>
        (res.body.units as UnitRow[])
          .find((u) => u.unitId === unitId)!
          .bySource.map((s) => [s.source, s.sourceName, s.weight, s.raised]);
      expect(row(m.w.unitA.unitId)).toEqual([
        ['inspection', '督导检查', 1, 2],
        ['leader', '领导交办', 2, 1],
        ['assessment', 'assessment', 1, 1],
        ['hotline', 'hotline', 1, 1],
      ]);
      expect(row(m.w.unitB.unitId)).toEqual([
        ['inspection', '督导检查', 1, 3],
        ['hotline', 'hotline', 1, 1],
        ['media', 'media', 1, 1],
      ]);
      expect(
        (res.body.sources as SourceFigures[]).map((s) => [s.source, s.sourceName, s.weight]),
      ).toEqual([
        ['inspection', '督导检查', 1],
        ['undercover', '暗访', 1],
        ['leader', '领导交办', 2],
        ['self_check', '单位自查', 1],
        ['assessment', 'assessment', 1],
        ['hotline', 'hotline', 1],
        ['media', 'media', 1],
      ]);
      expect((res.body.sources as SourceFigures[]).slice(-3)).toMatchObject([
        { raised: 1, closed: 0, closedOnTime: 0, openOverdue: 0 },
        { raised: 2, closed: 2, closedOnTime: 2, openOverdue: 0 },
        { raised: 1, closed: 0, closedOnTime: 0, openOverdue: 1 },
      ]);
    } finally {
      spy.mockRestore();
      all.restore();
    }
  });

  it("gives a 来源's district-wide row, not one unit's, when units and 待派遣 differ", async () => {
    // 暗访 only from Friday on, due next week: raised in the week and nothing else, so every
    // 暗访 row comes from the 新增 count alone (readRaisedCounts), not from the aggregate that
    // orders the district's rows first. On these few rows Postgres plans that GROUPING SETS
    // statement as a sorted rollup, which gives each source's unit rows before its district row,
    // so taking the first 暗访 row would take a unit's. Two for unit A, one for unit B and one
    // still waiting for dispatch (no unit): the district's 4 is neither unit's figure nor their
    // sum.
    m.setNow('2026-11-13 09:30');
    const undercover = (unitId: string | undefined, description: string) =>
      ok(
        m.office().post('/tasks', {
          categoryId: m.checkedCategory,
          ...(unitId ? { unitId } : { siteId: m.w.siteNoUnit }),
          address: `${description}地址`,
          description,
          source: 'undercover',
        }),
      );
    await undercover(m.w.unitA.unitId, '暗访一');
    await undercover(m.w.unitA.unitId, '暗访二');
    await undercover(m.w.unitB.unitId, '暗访三');
    const waiting = await undercover(undefined, '暗访四');
    expect(waiting).toMatchObject({ status: 'pending_dispatch', unit: null });
    m.setNow('2026-11-16 10:00');

    const res = await m.office().get(WEEK).expect(200);
    const undercoverOf = (unitId: string) =>
      (res.body.units as UnitRow[])
        .find((u) => u.unitId === unitId)!
        .bySource.find((s) => s.source === 'undercover');
    expect(undercoverOf(m.w.unitA.unitId)).toMatchObject({ raised: 2, closed: 0 });
    expect(undercoverOf(m.w.unitB.unitId)).toMatchObject({ raised: 1, closed: 0 });
    expect((res.body.sources as SourceFigures[]).find((s) => s.source === 'undercover')).toEqual({
      source: 'undercover',
      sourceName: '暗访',
      weight: 1,
      raised: 4,
      closed: 0,
      closedOnTime: 0,
      openOverdue: 0,
    });
  });
});
