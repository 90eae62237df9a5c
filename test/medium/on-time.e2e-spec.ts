import { bj, mediumWorld, ok, type MediumWorld, type TaskBody } from './medium-world.js';

/**
 * 按期结案 ("closed on time") as the service produces it: on time means the accepted submission
 * was made by the 考核时限, whatever the time of the 复查 that accepted it, and a failed 复查 does
 * not move that deadline. Tasks are made and moved only through the HTTP API at controlled clock
 * times; the test reads `tasks.closed_on_time` and the digest's figures for the unit.
 *
 * Every task is due Wednesday 2026-11-11 18:00 (Beijing), in the week of Monday 2026-11-09.
 * Each test builds its own tasks (mutation runs may run one test alone); the single-case tests
 * use unit A, the digest test unit B, so the digest counts only what that test made.
 */
describe('closed on time: decided by the accepted submission against the 考核时限', () => {
  let m: MediumWorld;
  const DEADLINE = '2026-11-11 18:00';

  type Unit = 'A' | 'B';
  const unit = (u: Unit) => (u === 'A' ? m.unitA() : m.unitB());
  const unitId = (u: Unit) => (u === 'A' ? m.w.unitA.unitId : m.w.unitB.unitId);

  const create = (u: Unit, categoryId: string, description: string) => {
    m.setNow('2026-11-09 09:00');
    return ok(
      m.office().post('/tasks', {
        categoryId,
        siteId: m.w.siteA,
        unitId: unitId(u),
        deadline: bj(DEADLINE).toISOString(),
        description,
      }),
    );
  };
  const submit = (u: Unit, x: TaskBody, at: string) => {
    m.setNow(at);
    return ok(
      unit(u).post(`/tasks/${x.id}/submissions`, { version: x.version, description: '已整改' }),
    );
  };
  const check = (x: TaskBody, at: string, result: 'pass' | 'fail', deadline?: string) => {
    m.setNow(at);
    return ok(
      m.inspector().post(`/tasks/${x.id}/checks`, {
        version: x.version,
        result,
        ...(deadline ? { deadline: bj(deadline).toISOString(), note: '未整改到位' } : {}),
      }),
    );
  };

  /** The six ways a task closes, each a story of API calls at clock times. */
  const CASES = {
    lateSubmitLateCheck: async (u: Unit) => {
      const x = await create(u, m.checkedCategory, '逾期反馈逾期复查');
      return check(await submit(u, x, '2026-11-12 10:00'), '2026-11-12 15:00', 'pass');
    },
    onTimeSubmitLateCheck: async (u: Unit) => {
      const x = await create(u, m.checkedCategory, '按期反馈逾期复查');
      return check(await submit(u, x, '2026-11-11 17:00'), '2026-11-13 11:00', 'pass');
    },
    onTimeSubmitOnTimeCheck: async (u: Unit) => {
      const x = await create(u, m.checkedCategory, '按期反馈按期复查');
      return check(await submit(u, x, '2026-11-10 09:00'), '2026-11-10 16:00', 'pass');
    },
    lateRework: async (u: Unit) => {
      // Submitted in time, failed with a rework deadline Friday, resubmitted Thursday: inside
      // the rework deadline but after the 考核时限.
      let x = await create(u, m.checkedCategory, '返工后逾期');
      x = await check(
        await submit(u, x, '2026-11-10 10:00'),
        '2026-11-10 15:00',
        'fail',
        '2026-11-13 18:00',
      );
      return check(await submit(u, x, '2026-11-12 10:00'), '2026-11-12 11:00', 'pass');
    },
    selfCloseOnTime: async (u: Unit) =>
      submit(u, await create(u, m.selfCloseCategory, '自行销号按期'), '2026-11-11 12:00'),
    selfCloseLate: async (u: Unit) =>
      submit(u, await create(u, m.selfCloseCategory, '自行销号逾期'), '2026-11-12 09:00'),
  } as const;

  const row = async (id: string) => {
    const [r] = (await m.t.ds.query(
      'SELECT status, closed_on_time, closed_unverified, closed_at FROM tasks WHERE id = $1',
      [id],
    )) as {
      status: string;
      closed_on_time: boolean | null;
      closed_unverified: boolean | null;
      closed_at: Date | null;
    }[];
    return r;
  };

  beforeAll(async () => {
    m = await mediumWorld('2026-11-09 09:00');
  });
  afterAll(() => m.close());

  it('late submission, late check: not on time', async () => {
    const x = await CASES.lateSubmitLateCheck('A');
    expect(x).toMatchObject({ status: 'closed', closedOnTime: false });
    expect(await row(x.id)).toEqual({
      status: 'closed',
      closed_on_time: false,
      closed_unverified: false,
      closed_at: bj('2026-11-12 15:00'),
    });
  });

  it('on-time submission, late check: on time (the late check does not make the unit late)', async () => {
    const x = await CASES.onTimeSubmitLateCheck('A');
    expect(x).toMatchObject({ status: 'closed', closedOnTime: true });
    expect(await row(x.id)).toEqual({
      status: 'closed',
      closed_on_time: true,
      closed_unverified: false,
      closed_at: bj('2026-11-13 11:00'),
    });
  });

  it('on-time submission, on-time check: on time', async () => {
    const x = await CASES.onTimeSubmitOnTimeCheck('A');
    expect(await row(x.id)).toMatchObject({ status: 'closed', closed_on_time: true });
  });

  it('failed check, resubmitted after the 考核时限 inside the rework deadline: not on time', async () => {
    const x = await CASES.lateRework('A');
    expect(await row(x.id)).toMatchObject({ status: 'closed', closed_on_time: false });
    const [{ assessed_deadline, deadline }] = (await m.t.ds.query(
      'SELECT assessed_deadline, deadline FROM tasks WHERE id = $1',
      [x.id],
    )) as { assessed_deadline: Date; deadline: Date }[];
    expect({ assessed_deadline, deadline }).toEqual({
      assessed_deadline: bj(DEADLINE),
      deadline: bj('2026-11-13 18:00'),
    });
  });

  it('self-close by the deadline: closed on time, unverified, at the submission', async () => {
    const x = await CASES.selfCloseOnTime('A');
    expect(x).toMatchObject({ status: 'closed', closedOnTime: true, closedUnverified: true });
    expect(await row(x.id)).toEqual({
      status: 'closed',
      closed_on_time: true,
      closed_unverified: true,
      closed_at: bj('2026-11-11 12:00'),
    });
  });

  it('self-close after the deadline: closed late', async () => {
    const x = await CASES.selfCloseLate('A');
    expect(x).toMatchObject({ status: 'closed', closedOnTime: false, closedUnverified: true });
    expect(await row(x.id)).toEqual({
      status: 'closed',
      closed_on_time: false,
      closed_unverified: true,
      closed_at: bj('2026-11-12 09:00'),
    });
  });

  it('the digest counts exactly those closures as 按期结案 for the unit', async () => {
    for (const story of Object.values(CASES)) await story('B');
    m.setNow('2026-11-20 12:00');
    const res = await m.inspector().get('/reports/digest?from=2026-11-09&to=2026-11-15');
    expect(res.status).toBe(200);
    const b = (res.body.units as { unitId: string; figures: Record<string, number | null> }[]).find(
      (u) => u.unitId === m.w.unitB.unitId,
    );
    // Worked by hand: six tasks due Wednesday, all closed by Sunday. On time: the two submitted
    // by the deadline and passed (one at a late check) and the self-close by the deadline.
    // Checks: five passes and the one fail of lateRework.
    expect(b?.figures).toMatchObject({
      due: 6,
      dueOnHold: 0,
      volume: 6,
      closed: 6,
      closedOnTime: 3,
      closedUnverified: 2,
      dueClosed: 6,
      dueClosedOnTime: 3,
      checks: 5,
      failedChecks: 1,
      onTimeClosureRate: 0.5,
      closureRate: 1,
      reworkRate: 0.2,
      // 0.5×60 + 1×30 + (1 − 0.2)×10
      compositeIndex: 68,
    });
  });
});
