import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Figures {
  due: number;
  dueOnHold: number;
  dueClosed: number;
  dueClosedOnTime: number;
  closed: number;
  closedOnTime: number;
  openOverdue: number;
  checks: number;
  failedChecks: number;
  volume: number;
  onTimeClosureRate: number | null;
  closureRate: number | null;
  reworkRate: number | null;
  compositeIndex: number | null;
}

interface Digest {
  from: string;
  to: string;
  periodStart: string;
  periodEnd: string;
  clampedToNow: boolean;
  generatedAt: string;
  units: { unitId: string; rank: number | null; card: string | null; figures: Figures }[];
}

interface TaskBody {
  id: string;
  version: number;
  status: string;
  closedOnTime: boolean | null;
  deadline: string;
  pendingExtension: { id: string } | null;
}

/** A Beijing wall-clock time as an instant. */
const bj = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

/**
 * The digest's definitions of "due in the period" and "on time" against work that fails its
 * 复查, built only through the HTTP API with the clock moved step by step: the week of Monday
 * 2026-11-09 to Sunday 2026-11-15 (Beijing), then the week after.
 */
describe('the digest after rework, extensions and a period reaching into the future', () => {
  let t: TestApp;
  let w: LoopWorld;
  let categoryId: string;
  let now = bj('2026-11-09 09:00');
  let clock: { mockRestore: () => void };
  const ids: Record<'late' | 'pending' | 'onTime' | 'extended' | 'parked', string> = {
    late: '',
    pending: '',
    onTime: '',
    extended: '',
    parked: '',
  };
  let parked: TaskBody;

  const office = () => as(t, w.admin.token);
  const unit = () => as(t, w.unitA.token);
  const inspector = () => as(t, w.inspector.token);

  async function at<T>(local: string, step: () => Promise<T>): Promise<T> {
    now = bj(local);
    return step();
  }

  /** A supertest request: awaiting it sends it. */
  type Sent = PromiseLike<{ status: number; body: { errors?: { field: string }[] } }>;

  /** The task as a successful call answers it (201 for a create, 200 for an action). */
  async function ok(res: Sent): Promise<TaskBody> {
    const r = await res;
    if (r.status !== 200 && r.status !== 201) {
      throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    }
    return r.body as unknown as TaskBody;
  }

  const create = (deadline: string, description: string) =>
    ok(
      office().post('/tasks', {
        categoryId,
        siteId: w.siteA,
        unitId: w.unitA.unitId,
        deadline: bj(deadline).toISOString(),
        description,
      }),
    );
  const submit = (task: TaskBody) =>
    ok(
      unit().post(`/tasks/${task.id}/submissions`, {
        version: task.version,
        description: '已整改',
      }),
    );
  const check = (task: TaskBody, result: 'pass' | 'fail', deadline?: string) =>
    ok(
      inspector().post(`/tasks/${task.id}/checks`, {
        version: task.version,
        result,
        ...(deadline ? { deadline: bj(deadline).toISOString(), note: '未清理干净' } : {}),
      }),
    );

  async function digest(query: string): Promise<Digest> {
    const res = await inspector().get(`/reports/digest?${query}`);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    return res.body as Digest;
  }
  const unitA = (d: Digest): Figures => {
    const row = d.units.find((u) => u.unitId === w.unitA.unitId);
    if (!row) throw new Error('unit A is not in the digest');
    return row.figures;
  };

  beforeAll(async () => {
    t = await createTestApp();
    clock = jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => now);
    w = await buildLoopWorld(t);
    // A category without an after-photo requirement, checked on site (the default policy).
    const [cat] = (await t.ds.query(
      `INSERT INTO categories (code, name, group_name, measure_word, deadline_rule, requires_after_photo)
       VALUES ('JX02', '乱堆物料', '街面秩序', '处', '{"kind":"work_days","days":2}', false) RETURNING id`,
    )) as { id: string }[];
    categoryId = cat.id;

    // Monday 09:00: five tasks for unit A, four due in the week (one of them parked).
    let late = await at('2026-11-09 09:00', () => create('2026-11-10 18:00', '返工后逾期'));
    let pending = await create('2026-11-11 18:00', '返工至下周');
    let onTime = await create('2026-11-11 18:00', '按期整改');
    let extended = await create('2026-11-11 18:00', '申请延期');
    parked = await create('2026-11-11 18:00', '需工程改造');
    ids.parked = parked.id;
    ids.late = late.id;
    ids.pending = pending.id;
    ids.onTime = onTime.id;
    ids.extended = extended.id;

    // late: submitted in time, failed, resubmitted Thursday — inside the rework deadline
    // (Friday) but two days after its own (Tuesday 18:00) — and then passed.
    late = await at('2026-11-10 09:00', () => submit(late));
    late = await at('2026-11-10 12:00', () => check(late, 'fail', '2026-11-13 18:00'));
    late = await at('2026-11-12 10:00', () => submit(late));
    late = await at('2026-11-12 15:00', () => check(late, 'pass'));
    expect(late).toMatchObject({ status: 'closed', closedOnTime: false });

    // pending: failed on Tuesday with a rework deadline next week; it closes next Monday.
    pending = await at('2026-11-10 10:00', () => submit(pending));
    pending = await at('2026-11-10 15:00', () => check(pending, 'fail', '2026-11-18 18:00'));

    // onTime: submitted and passed on Tuesday.
    onTime = await at('2026-11-10 11:00', () => submit(onTime));
    onTime = await at('2026-11-10 16:00', () => check(onTime, 'pass'));
    expect(onTime).toMatchObject({ status: 'closed', closedOnTime: true });

    // extended: the office approves a 延期 to next Tuesday 18:00, so it is due next week.
    extended = await at('2026-11-10 09:30', () =>
      ok(
        unit().post(`/tasks/${extended.id}/extension-requests`, {
          version: extended.version,
          requestedDeadline: bj('2026-11-17 18:00').toISOString(),
          reason: '需协调物业清运',
        }),
      ),
    );
    const requestId = extended.pendingExtension?.id;
    extended = await at('2026-11-10 10:30', () =>
      ok(
        office().post(`/tasks/${extended.id}/extension-requests/${requestId}/decision`, {
          version: extended.version,
          approve: true,
        }),
      ),
    );

    // parked: the office parks it (挂账) on Tuesday: due in the week, but 缓办.
    parked = await at('2026-11-10 17:00', () =>
      ok(
        office().post(`/tasks/${parked.id}/hold`, {
          version: parked.version,
          reason: '需工程改造',
          reviewOn: '2026-11-20',
        }),
      ),
    );

    // Next Monday: pending is resubmitted (after its own deadline) and passes.
    pending = await at('2026-11-16 10:00', () => submit(pending));
    pending = await at('2026-11-16 15:00', () => check(pending, 'pass'));
    expect(pending).toMatchObject({ status: 'closed', closedOnTime: false });
  });

  afterAll(async () => {
    clock.mockRestore();
    await t.close();
  });

  it('keeps a task failed at its 复查 due in its period, and counts its lateness', async () => {
    now = bj('2026-11-20 12:00');
    const d = await digest('from=2026-11-09&to=2026-11-15');
    expect(d.clampedToNow).toBe(false);
    expect(d.periodEnd).toBe('2026-11-15T16:00:00.000Z');
    expect(unitA(d)).toMatchObject({
      // late, pending, onTime and parked: all four had their 考核时限 in the week. The rework
      // deadlines (Friday, next Wednesday) do not move them; the approved 延期 moves extended.
      due: 4,
      dueOnHold: 1, // parked: 应结案 4 − 缓办 1
      volume: 3,
      // pending was not closed by Sunday; late was closed, but after its deadline.
      dueClosed: 2,
      dueClosedOnTime: 1,
      closed: 2,
      closedOnTime: 1,
      // late: fail, pass; pending: fail; onTime: pass.
      checks: 4,
      failedChecks: 2,
      onTimeClosureRate: 0.3333,
      closureRate: 0.6667,
      reworkRate: 0.5,
      // (1/3)×60 + (2/3)×30 + (1 − 0.5)×10 = 20 + 20 + 5
      compositeIndex: 45,
    });
    // The row remembers the deadline the unit is judged by, apart from the rework deadline.
    const rows = (await t.ds.query(
      `SELECT id, deadline, assessed_deadline FROM tasks WHERE id = ANY($1)`,
      [[ids.late, ids.pending, ids.extended]],
    )) as { id: string; deadline: Date; assessed_deadline: Date }[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids.late)).toMatchObject({
      deadline: bj('2026-11-13 18:00'),
      assessed_deadline: bj('2026-11-10 18:00'),
    });
    expect(byId.get(ids.pending)).toMatchObject({
      deadline: bj('2026-11-18 18:00'),
      assessed_deadline: bj('2026-11-11 18:00'),
    });
    expect(byId.get(ids.extended)).toMatchObject({
      deadline: bj('2026-11-17 18:00'),
      assessed_deadline: bj('2026-11-17 18:00'),
    });
  });

  it('counts the extended task in the week its approved 延期 falls in', async () => {
    now = bj('2026-11-20 12:00');
    const d = await digest('from=2026-11-16&to=2026-11-22');
    expect(unitA(d)).toMatchObject({
      due: 1, // extended; pending's rework deadline (Wednesday) does not bring it here
      dueClosed: 0,
      closed: 1, // pending, closed Monday: a closure of this week, due last week
      closedOnTime: 0,
      openOverdue: 1, // extended, past its Tuesday 18:00 deadline on Friday
    });
  });

  it('counts a period reaching into the future up to now, and says so', async () => {
    // Tuesday 2026-11-17 14:30: extended is due at 18:00 today, and still open.
    now = bj('2026-11-17 14:30');
    const d = await digest('from=2026-11-16&to=2026-11-22');
    expect([d.from, d.to, d.periodStart, d.periodEnd, d.clampedToNow]).toEqual([
      '2026-11-16',
      '2026-11-22',
      '2026-11-15T16:00:00.000Z',
      '2026-11-17T06:30:00.000Z',
      true,
    ]);
    // Not overdue, not due yet: nothing invented about the rest of the week.
    expect(unitA(d)).toMatchObject({ openOverdue: 0, due: 0, closed: 1 });

    const future = await inspector().get('/reports/digest?from=2026-11-18&to=2026-11-22');
    expect({ status: future.status, field: future.body.errors?.[0]?.field }).toEqual({
      status: 400,
      field: 'from',
    });
  });

  it('offers this week so far', async () => {
    now = bj('2026-11-17 14:30');
    const d = await digest('period=this-week');
    expect([d.from, d.to, d.periodEnd, d.clampedToNow]).toEqual([
      '2026-11-16',
      '2026-11-22',
      '2026-11-17T06:30:00.000Z',
      true,
    ]);
    expect(d.units).toEqual((await digest('from=2026-11-16&to=2026-11-22')).units);
    // Last week stays the default, whole and not clamped.
    const last = await digest('');
    expect([last.from, last.to, last.clampedToNow]).toEqual(['2026-11-09', '2026-11-15', false]);
    const both = await inspector().get('/reports/digest?period=this-week&from=2026-11-16');
    expect({ status: both.status, field: both.body.errors?.[0]?.field }).toEqual({
      status: 400,
      field: 'period',
    });
  });

  it('moves the 考核时限 when the office resumes a parked task, as it does for a 延期', async () => {
    parked = await at('2026-11-20 12:00', () =>
      ok(
        office().post(`/tasks/${parked.id}/resume`, {
          version: parked.version,
          deadline: bj('2026-11-27 18:00').toISOString(),
        }),
      ),
    );
    const [row] = (await t.ds.query('SELECT assessed_deadline FROM tasks WHERE id = $1', [
      ids.parked,
    ])) as { assessed_deadline: Date }[];
    expect(row.assessed_deadline).toEqual(bj('2026-11-27 18:00'));
    // Back to the three it was judged on, without the parked one in due or 缓办.
    const d = await digest('from=2026-11-09&to=2026-11-15');
    expect(unitA(d)).toMatchObject({ due: 3, dueOnHold: 0, volume: 3, dueClosedOnTime: 1 });
  });

  it('answers year 9999 with a 400 naming the field, never a 500', async () => {
    now = bj('2026-11-17 14:30');
    const cases: [() => Sent, string][] = [
      [() => inspector().get('/reports/digest?from=2026-11-16&to=9999-12-31'), 'to'],
      [() => inspector().get('/reports/digest?from=9999-12-27'), 'from'],
      [() => inspector().get('/reports/digest?to=9999-12-31'), 'to'],
      // 9999-12-27 is a Monday: a week whose Sunday is in year 10000.
      [() => inspector().get('/reports/digests/9999-12-27'), 'weekStart'],
      [() => office().post('/reports/digests/9999-12-27'), 'weekStart'],
      [() => office().post('/bulletins', { periodEnd: '9999-12-31' }), 'periodEnd'],
    ];
    for (const [send, field] of cases) {
      const res = await send();
      expect({ status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
        status: 400,
        field,
      });
    }
  });
});
