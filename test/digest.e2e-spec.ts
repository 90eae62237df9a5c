import ExcelJS from 'exceljs';
import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock.js';
import { DigestScheduler } from '../src/reports/digest.scheduler.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { binary } from './support/binary.js';

interface Figures {
  received: number;
  closed: number;
  closedOnTime: number;
  closedUnverified: number;
  openOverdue: number;
  supervised: number;
  notified: number;
  medianHoursToClose: number | null;
  due: number;
  dueOnHold: number;
  dueClosed: number;
  dueClosedOnTime: number;
  inHand: number;
  checks: number;
  failedChecks: number;
  extensionsGranted: number;
  volume: number;
  onTimeClosureRate: number | null;
  closureRate: number | null;
  reworkRate: number | null;
  extensionRate: number | null;
  unverifiedShare: number | null;
  compositeIndex: number | null;
}

interface UnitRow {
  unitId: string;
  unitName: string;
  rank: number | null;
  card: string | null;
  unrankedReason: string | null;
  figures: Figures;
}

interface Digest {
  from: string;
  to: string;
  periodStart: string;
  periodEnd: string;
  generatedAt: string;
  rules: { minVolume: number; superviseAfterHours: number; notifyAfterHours: number };
  units: UnitRow[];
  categories: { categoryId: string; categoryName: string; figures: Figures }[];
  totals: Figures;
}

/** A Beijing wall-clock time as an instant. */
const bj = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

const WEEK = 'from=2026-11-09&to=2026-11-15';

/**
 * The week of Monday 2026-11-09 to Sunday 2026-11-15 (Beijing), with figures worked out by hand
 * below. Tasks are written straight into the database with the timestamps that matter (the
 * 考核时限 equal to the deadline: none was reworked through the API). The rework rules are
 * exercised through the HTTP API in digest-rework.e2e-spec.ts.
 */
describe('the weekly digest (综合评价) over HTTP', () => {
  let t: TestApp;
  let w: LoopWorld;
  let units: Record<'A' | 'B' | 'C' | 'D', string>;
  let openTaskA6: string;
  let seq = 0;

  const admin = () => as(t, w.admin.token);
  const inspector = () => as(t, w.inspector.token);

  interface TaskSpec {
    unit: string;
    category?: string;
    created: string;
    deadline: string;
    status?: 'assigned' | 'closed' | 'on_hold' | 'cancelled';
    closed?: string;
    onTime?: boolean;
    /** Closed on the unit's submission alone, without a 复查 (tasks.closed_unverified). */
    unverified?: boolean;
    cancelled?: string;
  }

  async function task(s: TaskSpec): Promise<string> {
    seq += 1;
    const status = s.status ?? (s.closed ? 'closed' : 'assigned');
    const [row] = (await t.ds.query(
      `INSERT INTO tasks (number, category_id, address, description, unit_id, status, assigned_at, deadline,
                          assessed_deadline, closed_at, closed_on_time, closed_unverified, cancelled_at,
                          hold_reason, created_by, created_at, updated_at)
       VALUES ($1, $2, '测试地址', '测试问题', $3, $4, $5, $6, $6, $7, $8, $9, $10, $11, $12, $5, $5) RETURNING id`,
      [
        `T-${String(seq).padStart(4, '0')}`,
        s.category ?? w.categoryId,
        s.unit,
        status,
        bj(s.created),
        bj(s.deadline),
        s.closed ? bj(s.closed) : null,
        s.closed ? (s.onTime ?? true) : null,
        s.closed ? (s.unverified ?? false) : null,
        s.cancelled ? bj(s.cancelled) : null,
        status === 'on_hold' ? '需工程改造' : null,
        w.admin.id,
      ],
    )) as { id: string }[];
    return row.id;
  }

  async function event(taskId: string, action: string, at: string): Promise<string> {
    const [row] = (await t.ds.query(
      `INSERT INTO task_events (task_id, action, from_status, to_status, actor_kind, actor_name, created_at)
       VALUES ($1, $2, 'assigned', 'assigned', 'system', '测试', $3) RETURNING id`,
      [taskId, action, bj(at)],
    )) as { id: string }[];
    return row.id;
  }

  async function check(taskId: string, result: 'pass' | 'fail', at: string): Promise<void> {
    const [submission] = (await t.ds.query(
      `INSERT INTO task_submissions (task_id, round, description, event_id, created_at)
       VALUES ($1, (SELECT coalesce(max(round), 0) + 1 FROM task_submissions WHERE task_id = $1), '已整改', $2, $3)
       RETURNING id`,
      [taskId, await event(taskId, 'submit', at), bj(at)],
    )) as { id: string }[];
    await t.ds.query(
      `INSERT INTO task_checks (task_id, submission_id, result, event_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [taskId, submission.id, result, await event(taskId, `check_${result}`, at), bj(at)],
    );
  }

  async function extension(taskId: string, decided: string): Promise<void> {
    await t.ds.query(
      `INSERT INTO extension_requests (task_id, requested_deadline, reason, status, granted_deadline,
                                       request_event_id, decided_at)
       VALUES ($1, $2, '需要更多时间', 'approved', $2, $3, $4)`,
      [
        taskId,
        bj('2026-11-20 18:00'),
        await event(taskId, 'request_extension', decided),
        bj(decided),
      ],
    );
  }

  async function get(path: string): Promise<Digest> {
    const res = await inspector().get(path);
    expect(res.status).toBe(200);
    return res.body as Digest;
  }

  const unitRow = (d: Digest, unitId: string): UnitRow => {
    const row = d.units.find((u) => u.unitId === unitId);
    if (!row) throw new Error(`unit ${unitId} not in the digest`);
    return row;
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    units = {
      A: w.unitA.unitId, // 东辛房街道
      B: w.unitB.unitId, // 城子街道
      C: (await t.createUnit('永定镇')).id,
      D: (await t.createUnit('妙峰山镇')).id,
    };

    // A — 东辛房街道: six due in the week, one long overdue from before, one closed early.
    for (const _ of [1, 2, 3, 4]) {
      const id = await task({
        unit: units.A,
        created: '2026-11-09 09:00',
        deadline: '2026-11-10 18:00',
        closed: '2026-11-10 12:00',
      });
      await check(id, 'pass', '2026-11-10 11:00');
    }
    await task({
      unit: units.A,
      created: '2026-11-09 09:00',
      deadline: '2026-11-11 18:00',
      closed: '2026-11-12 10:00',
      onTime: false,
    });
    openTaskA6 = await task({
      unit: units.A,
      created: '2026-11-09 09:00',
      deadline: '2026-11-13 18:00',
    });
    await check(openTaskA6, 'fail', '2026-11-12 16:00');
    await extension(openTaskA6, '2026-11-11 09:00');
    // Overdue since last week: not due this week, but 通报-level overdue at its end.
    await task({ unit: units.A, created: '2026-10-30 09:00', deadline: '2026-11-02 18:00' });
    // Due next week, closed this week on time.
    await task({
      unit: units.A,
      created: '2026-11-09 09:00',
      deadline: '2026-11-17 18:00',
      closed: '2026-11-13 10:00',
    });
    // Cancelled: counts nowhere.
    await task({
      unit: units.A,
      created: '2026-11-09 09:00',
      deadline: '2026-11-11 18:00',
      status: 'cancelled',
      cancelled: '2026-11-10 09:00',
    });

    // B — 城子街道 (小广告): the Sunday-night edge, and a parked task.
    const b = { unit: units.B, category: w.selfCloseCategoryId, created: '2026-11-11 09:00' };
    // Closed Sunday 23:30 Beijing (15:30 UTC): in the week, though late.
    await task({ ...b, deadline: '2026-11-15 20:00', closed: '2026-11-15 23:30', onTime: false });
    await task({ ...b, deadline: '2026-11-15 20:00', closed: '2026-11-15 23:30', onTime: false });
    // Closed Monday 00:30 Beijing: not in the week, so open and overdue at its end. It closed on
    // the unit's submission alone, as its self_close category allows: counted the week after.
    await task({
      ...b,
      deadline: '2026-11-15 20:00',
      closed: '2026-11-16 00:30',
      onTime: false,
      unverified: true,
    });
    // Also self-closed, in the week: one of B's four closures is unverified.
    await task({
      ...b,
      deadline: '2026-11-15 20:00',
      closed: '2026-11-14 10:00',
      unverified: true,
    });
    await task({ ...b, deadline: '2026-11-15 20:00', status: 'on_hold' });
    await task({ ...b, deadline: '2026-11-14 12:00', closed: '2026-11-14 10:00' });

    // C — 永定镇: perfect, but only two tasks.
    for (const _ of [1, 2]) {
      await task({
        unit: units.C,
        created: '2026-11-09 10:00',
        deadline: '2026-11-12 18:00',
        closed: '2026-11-11 10:00',
      });
    }

    // D — 妙峰山镇: five due, all on time, two checks passed.
    for (const n of [1, 2, 3, 4, 5]) {
      const id = await task({
        unit: units.D,
        created: '2026-11-10 09:00',
        deadline: '2026-11-13 18:00',
        closed: '2026-11-12 09:00',
      });
      if (n <= 2) await check(id, 'pass', '2026-11-12 08:00');
    }
  });
  afterAll(() => t.close());

  it('counts each unit as worked out by hand', async () => {
    const d = await get(`/reports/digest?${WEEK}`);
    expect(d).toMatchObject({
      from: '2026-11-09',
      to: '2026-11-15',
      periodStart: '2026-11-08T16:00:00.000Z',
      periodEnd: '2026-11-15T16:00:00.000Z',
      rules: { minVolume: 5, superviseAfterHours: 0, notifyAfterHours: 72 },
    });
    expect(unitRow(d, units.A).figures).toEqual({
      received: 7, // a1–a6 and the early one; not the old one, not the cancelled one
      closed: 6,
      closedOnTime: 5,
      closedUnverified: 0,
      closedFlagged: 0, // submitted without photos: nothing to doubt
      openOverdue: 2, // a6 (54 h) and the old one
      supervised: 2,
      notified: 1, // the old one: 13 days over; a6 is 54 h < 72 h
      medianHoursToClose: 27, // [27, 27, 27, 27, 73, 97]
      due: 6,
      dueOnHold: 0,
      dueClosed: 5,
      dueClosedOnTime: 4,
      // Every task is 督导检查 (weight 1): volume − dueClosedOnTime, volume − dueClosed.
      dueMissedWeighted: 2,
      dueUnclosedWeighted: 1,
      inHand: 8,
      checks: 5,
      failedChecks: 1,
      extensionsGranted: 1,
      volume: 6,
      onTimeClosureRate: 0.6667,
      closureRate: 0.8333,
      reworkRate: 0.2,
      extensionRate: 0.125,
      unverifiedShare: 0,
      compositeIndex: 73, // 4/6×60 + 5/6×30 + 0.8×10 = 40 + 25 + 8
      recurrences: 0,
      // Every task here is at '测试地址': three or more 楼道堆物 logged in the week there.
      repeatLocations: 1,
      recurrenceDeduction: 0,
    });
    // 签收 is off here (ACK_REQUIRED unset): no acknowledgement figures; none adopted from 信息.
    expect(unitRow(d, units.A)).toMatchObject({ unitName: '东辛房街道', infoAdopted: 0 });
    expect(Object.keys(unitRow(d, units.A)).sort()).toEqual(
      [
        'bySource',
        'card',
        'figures',
        'infoAdopted',
        'rank',
        'unitId',
        'unitName',
        'unrankedReason',
      ].sort(),
    );
    expect(unitRow(d, units.B).figures).toEqual({
      received: 6,
      closed: 4, // the two Sunday 23:30 closures count; the Monday 00:30 one does not
      closedOnTime: 2,
      closedUnverified: 1, // the Saturday self-close; the Monday 00:30 one is next week's
      closedFlagged: 0,
      openOverdue: 1, // the Monday 00:30 one was open and 4 h over at the week's end
      supervised: 1,
      notified: 0,
      medianHoursToClose: 91.8, // [73, 73, 110.5, 110.5]
      due: 6,
      dueOnHold: 1,
      dueClosed: 4,
      dueClosedOnTime: 2,
      dueMissedWeighted: 3,
      dueUnclosedWeighted: 1,
      inHand: 6,
      checks: 0,
      failedChecks: 0,
      extensionsGranted: 0,
      volume: 5,
      onTimeClosureRate: 0.4,
      closureRate: 0.8,
      reworkRate: null,
      extensionRate: 0,
      unverifiedShare: 0.25, // 1 of 4 closed; not part of the index
      compositeIndex: 53.33, // no 复查: (0.4×60 + 0.8×30) ÷ 90 × 100
      recurrences: 0,
      repeatLocations: 1, // as for A: one category logged three or more times at '测试地址'
      recurrenceDeduction: 0,
    });
    expect(unitRow(d, units.D).figures).toMatchObject({
      received: 5,
      closed: 5,
      medianHoursToClose: 48,
      checks: 2,
      compositeIndex: 100,
    });
    expect(unitRow(d, units.C).figures).toMatchObject({ volume: 2, compositeIndex: 100 });
    expect(d.totals).toMatchObject({
      received: 20,
      closed: 17,
      closedOnTime: 14,
      openOverdue: 3,
      due: 19,
      dueOnHold: 1,
      checks: 7,
      failedChecks: 1,
      extensionsGranted: 1,
    });
    // The share of closures nobody checked, district-wide: 1 of 17.
    expect([d.totals.closedUnverified, d.totals.unverifiedShare]).toEqual([1, 0.0588]);
  });

  it('ranks by 综合指标值 above the minimum volume and hands out cards', async () => {
    const d = await get(`/reports/digest?${WEEK}`);
    expect(d.units.map((u) => [u.unitName, u.rank, u.card, u.unrankedReason])).toEqual([
      ['妙峰山镇', 1, 'green', null],
      ['东辛房街道', 2, 'yellow', null],
      ['城子街道', 3, 'red', null],
      // 100 on two tasks is luck, not a ranking.
      ['永定镇', null, null, 'below_min_volume'],
    ]);
  });

  it('gives the same counts per category', async () => {
    const d = await get(`/reports/digest?${WEEK}`);
    // Catalog order: GG01 非法小广告 before HJ07 楼道堆物.
    expect(d.categories.map((c) => c.categoryName)).toEqual(['非法小广告', '楼道堆物']);
    const [ads, stacking] = d.categories;
    expect(ads.figures).toEqual(unitRow(d, units.B).figures);
    expect(stacking.figures).toMatchObject({
      received: 14,
      closed: 13,
      due: 13,
      checks: 7,
      closedUnverified: 0,
      unverifiedShare: 0,
    });
  });

  it('counts the Monday 00:30 closure in the following week', async () => {
    const d = await get('/reports/digest?from=2026-11-16&to=2026-11-22');
    expect(unitRow(d, units.B).figures).toMatchObject({
      closed: 1,
      closedOnTime: 0,
      closedUnverified: 1,
      unverifiedShare: 1,
      due: 0,
    });
    expect(unitRow(d, units.A).figures).toMatchObject({ closed: 0, due: 1, unverifiedShare: null });
  });

  it('writes the digest as CSV and .xlsx', async () => {
    const res = await inspector().get(`/reports/digest?${WEEK}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('filename="digest-20261109-20261115.csv"');
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    // The first block: the figures table (按来源 follows after an empty line).
    const rows = res.text
      .slice(1)
      .split('\r\n\r\n')[0]
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    const header = rows[0];
    const cell = (row: string[], name: string): string => row[header.indexOf(name)];
    expect(header.slice(0, 4)).toEqual(['维度', '名称', '排名', '评牌']);
    expect(rows.map((r) => `${r[0]}:${r[1]}`)).toEqual([
      '维度:名称',
      '单位:妙峰山镇',
      '单位:东辛房街道',
      '单位:城子街道',
      '单位:永定镇',
      '合计:全区',
      '问题类别:非法小广告',
      '问题类别:楼道堆物',
    ]);
    const dongxinfang = rows[2];
    expect([
      cell(dongxinfang, '排名'),
      cell(dongxinfang, '评牌'),
      cell(dongxinfang, '结案'),
      cell(dongxinfang, '按期结案率'),
      cell(dongxinfang, '结案率'),
      cell(dongxinfang, '返工率'),
      cell(dongxinfang, '综合指标值'),
    ]).toEqual(['2', '黄牌', '6', '66.67%', '83.33%', '20.00%', '73.00']);
    expect(cell(rows[3], '返工率')).toBe('');
    expect([cell(rows[3], '未经复查销号'), cell(rows[3], '未经复查销号占比')]).toEqual([
      '1',
      '25.00%',
    ]);
    expect(cell(rows[4], '评牌')).toBe('未达最低任务量');

    const xlsx = await inspector()
      .get(`/reports/digest?${WEEK}&format=xlsx`)
      .buffer(true)
      .parse(binary);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    // As printed: A3 landscape one page wide, the header frozen and on every page, and the
    // cards as coloured cells with their word.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('单位排名')!;
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 8,
      orientation: 'landscape',
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const cards = new Map<unknown, ExcelJS.Cell>();
    sheet.eachRow((row, n) => n > 1 && cards.set(row.getCell(1).value, row.getCell(3)));
    const card = cards.get('东辛房街道')!;
    expect(card.value).toBe('黄牌');
    expect(card.fill).toMatchObject({ pattern: 'solid', fgColor: { argb: 'FFFFD966' } });
    expect(cards.get('永定镇')!.value).toBe('未达最低任务量');
  });

  it('stores the week once and reads it back unchanged after more tasks close', async () => {
    const clock = t.app.get(Clock);
    // Monday 2026-11-16 08:00 in Beijing: last week is over and it is past 06:00.
    const now = jest.spyOn(clock, 'now').mockReturnValue(new Date('2026-11-16T00:00:00Z'));
    try {
      await inspector().get('/reports/digests/2026-11-09').expect(404);
      // A 督导计划 for the week, so that the stored week has coverage to keep.
      await admin()
        .post('/plans', {
          inspectorId: w.inspector.id,
          periodKind: 'week',
          periodStart: '2026-11-09',
          siteIds: [w.siteA],
        })
        .expect(201);
      const scheduler = t.app.get(DigestScheduler);
      // Two instances at once: one stores it, the other finds it busy or already stored.
      const runs = await Promise.all([scheduler.storeLastWeek(), scheduler.storeLastWeek()]);
      expect(runs.map((r) => r.weekStart)).toEqual(['2026-11-09', '2026-11-09']);
      expect(runs.filter((r) => r.outcome === 'stored')).toHaveLength(1);
      expect((await scheduler.storeLastWeek()).outcome).toBe('exists');
      const rows = await t.ds.query(
        `SELECT count(*)::int AS n FROM weekly_digests WHERE week_start = '2026-11-09'`,
      );
      expect(rows).toEqual([{ n: 1 }]);

      const stored = await get('/reports/digests/2026-11-09');
      expect(stored.generatedAt).toBe('2026-11-16T00:00:00.000Z');
      // Read back whole as it was computed: the same as the live digest at the same instant
      // (rules, 来源 and coverage included).
      expect(stored).toEqual(await get(`/reports/digest?${WEEK}`));
      expect(stored).toMatchObject({ coverage: { plans: 1, overall: { planned: 1 } } });

      // a6 turns out to have been closed on Saturday: the live figures move, the stored do not.
      await t.ds.query(
        `UPDATE tasks SET status = 'closed', closed_at = $2, closed_on_time = false WHERE id = $1`,
        [openTaskA6, bj('2026-11-14 10:00')],
      );
      const live = await get(`/reports/digest?${WEEK}`);
      expect(unitRow(live, units.A).figures).toMatchObject({ closed: 7, openOverdue: 1 });
      const again = await get('/reports/digests/2026-11-09');
      expect(again).toEqual(stored);
      expect(unitRow(again, units.A).figures).toMatchObject({ closed: 6, openOverdue: 2 });

      // The office's backfill route does not replace a stored week either.
      const backfill = await admin().post('/reports/digests/2026-11-09');
      expect(backfill.status).toBe(200);
      expect(backfill.body).toEqual(stored);
      const csv = await inspector().get('/reports/digests/2026-11-09?format=csv');
      expect(csv.text).toContain('单位,东辛房街道,2,黄牌,7,6,5,2,');
    } finally {
      now.mockRestore();
    }
  });

  it('defaults to the last full Monday–Sunday week', async () => {
    const clock = t.app.get(Clock);
    // Sunday 2026-11-22 17:00 Beijing: the current week is not over.
    const now = jest.spyOn(clock, 'now').mockReturnValue(new Date('2026-11-22T09:00:00Z'));
    try {
      const d = await get('/reports/digest');
      expect([d.from, d.to]).toEqual(['2026-11-09', '2026-11-15']);
      const oneDay = await get('/reports/digest?from=2026-11-15&to=2026-11-15');
      expect(unitRow(oneDay, units.B).figures.closed).toBe(2);
      const fromOnly = await get('/reports/digest?from=2026-11-09');
      expect(fromOnly.to).toBe('2026-11-15');
      // This week is not over: it cannot be stored yet.
      const early = await admin().post('/reports/digests/2026-11-16');
      expect(early.status).toBe(422);
      expect(early.body).toMatchObject({
        code: 'WEEK_NOT_OVER',
        detail: '2026-11-16 这一周尚未结束，不能存档',
        weekStart: '2026-11-16',
      });
      // The week is over at Monday 00:00 Beijing, not a millisecond before.
      now.mockReturnValue(new Date('2026-11-22T15:59:59.999Z'));
      expect((await admin().post('/reports/digests/2026-11-16')).status).toBe(422);
      now.mockReturnValue(new Date('2026-11-22T16:00:00.000Z'));
      expect((await admin().post('/reports/digests/2026-11-16')).status).toBe(201);
    } finally {
      now.mockRestore();
    }
  });

  it('answers bad input with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['/reports/digest?from=2026-02-30', 'from'],
      ['/reports/digest?from=2026-11-15&to=2026-11-09', 'to'],
      ['/reports/digest?to=15.11.2026', 'to'],
      ['/reports/digest?from=2024-01-01&to=2026-01-01', 'to'],
      ['/reports/digest?format=pdf', 'format'],
      ['/reports/digests/2026-11-10', 'weekStart'],
      ['/reports/digests/monday', 'weekStart'],
    ];
    for (const [path, field] of cases) {
      const res = await inspector().get(path);
      expect({ path, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
        path,
        status: 400,
        field,
      });
    }
    // Storing is refused the same way: a Tuesday names no week, however long ago it was.
    const tuesday = await admin().post('/reports/digests/2026-11-10');
    expect({ status: tuesday.status, errors: tuesday.body.errors }).toEqual({
      status: 400,
      errors: [
        {
          field: 'weekStart',
          code: 'isMonday',
          message: 'weekStart must be a Monday, YYYY-MM-DD, from 2000 to 2099',
        },
      ],
    });
    const missing = await inspector().get('/reports/digests/2026-11-02');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('DIGEST_NOT_FOUND');
  });

  it('backfills a week once the lock of another instance storing it is released', async () => {
    // The week's advisory lock: class 72672, object the Monday as days since 1970-01-01.
    const week = '2026-10-26';
    const lock = ['72672', String(Date.UTC(2026, 9, 26) / 86_400_000)];
    const holder = t.ds.createQueryRunner();
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::int, $2::int)', lock);
      const store = admin()
        .post(`/reports/digests/${week}`)
        .then((r) => r.status);
      // The route waits on that lock: its request shows in pg_locks, not granted.
      let waiting = 0;
      for (let i = 0; i < 100 && waiting === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const [row] = (await holder.query(
          `SELECT count(*)::int AS n FROM pg_locks
            WHERE locktype = 'advisory' AND classid::text = $1 AND objid::text = $2 AND NOT granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          lock,
        )) as { n: number }[];
        waiting = row.n;
      }
      expect(waiting).toBe(1);
      await holder.query('SELECT pg_advisory_unlock($1::int, $2::int)', lock);
      expect(await store).toBe(201);
    } finally {
      await holder.release();
    }
  });

  it('answers the week another session stored meanwhile, without overwriting it', async () => {
    // Another writer (without the week's lock) inserts the week while the route computes it: the
    // route's insert waits on that row, stores nothing, and answers the other session's digest.
    const week = '2026-10-19';
    const live = await admin().get('/reports/digest?from=2026-10-19&to=2026-10-25');
    expect(live.status).toBe(200);
    const theirs = { ...live.body, generatedAt: '2026-10-26T00:00:00.000Z' };
    const writer = t.ds.createQueryRunner();
    await writer.connect();
    try {
      await writer.startTransaction();
      await writer.query(
        'INSERT INTO weekly_digests (week_start, data, generated_at) VALUES ($1, $2, $3)',
        [week, JSON.stringify(theirs), theirs.generatedAt],
      );
      const store = admin().post(`/reports/digests/${week}`);
      const done = store.then((r) => r);
      // The route's insert waits for the writer's transaction (a lock on its transaction id).
      let waiting = 0;
      for (let i = 0; i < 100 && waiting === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const [row] = (await t.ds.query(
          // pg_locks is the whole server's; another test file may wait on its own database.
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
            WHERE l.locktype = 'transactionid' AND NOT l.granted AND a.datname = current_database()`,
        )) as { n: number }[];
        waiting = row.n;
      }
      expect(waiting).toBe(1);
      await writer.commitTransaction();
      const res = await done;
      expect(res.status).toBe(200);
      expect(res.body.generatedAt).toBe(theirs.generatedAt);
      expect(res.body.totals).toEqual(live.body.totals);
      const rows = await t.ds.query(
        `SELECT data->>'generatedAt' AS at FROM weekly_digests WHERE week_start = $1`,
        [week],
      );
      expect(rows).toEqual([{ at: theirs.generatedAt }]);
    } finally {
      if (writer.isTransactionActive) await writer.rollbackTransaction();
      await writer.release();
    }
  });

  it('is for the office and inspectors; only the office stores', async () => {
    expect((await as(t, w.unitA.token).get(`/reports/digest?${WEEK}`)).status).toBe(403);
    expect((await inspector().post('/reports/digests/2026-11-02')).status).toBe(403);
  });
});
