import { parseCsv } from '../support/csv.js';
import { bj, mediumWorld, ok, type MediumWorld, type TaskBody } from './medium-world.js';

/**
 * The traffic light (亮灯) and escalation level (督办等级) of an open task as the office sees
 * them in the three places that show them — the task, the 整改台账 export and the phone's
 * "open tasks nearby" — at clock times around the thresholds of config/deadlines.json (yellow
 * from 80 % of the allowed time, 督办 once overdue, 通报 72 h after), and the working calendar
 * the deadlines are counted with (GET /calendar). Read through the HTTP API at controlled times.
 *
 * The task is assigned to unit A on Monday 2026-11-09 09:00, due Friday 18:00: 105 h allowed,
 * so 80 % is used on Thursday 21:00.
 */
describe('the light and escalation of an open task as its deadline nears and passes', () => {
  let m: MediumWorld;
  const POINT = { lat: 39.9123, lng: 116.1042 };

  beforeAll(async () => {
    m = await mediumWorld('2026-11-09 09:00');
  });
  afterAll(() => m.close());

  const assignedToA = (description: string): Promise<TaskBody> => {
    m.setNow('2026-11-09 09:00');
    return ok(
      m.office().post('/tasks', {
        categoryId: m.checkedCategory,
        siteId: m.w.siteA,
        unitId: m.w.unitA.unitId,
        deadline: bj('2026-11-13 18:00').toISOString(),
        description,
        ...POINT,
      }),
    );
  };

  const STEPS = [
    {
      at: '2026-11-09 12:00',
      timing: {
        light: 'green',
        escalation: 'none',
        overdue: false,
        overdueHours: 0,
        fractionUsed: 0.029,
      },
      ledger: ['绿灯', '无'],
    },
    {
      at: '2026-11-12 21:00',
      timing: {
        light: 'yellow',
        escalation: 'reminder',
        overdue: false,
        overdueHours: 0,
        fractionUsed: 0.8,
      },
      ledger: ['黄灯', '提醒'],
    },
    {
      at: '2026-11-13 18:00',
      timing: {
        light: 'yellow',
        escalation: 'reminder',
        overdue: false,
        overdueHours: 0,
        fractionUsed: 1,
      },
      ledger: ['黄灯', '提醒'],
    },
    {
      at: '2026-11-14 19:00',
      timing: {
        light: 'red',
        escalation: 'supervise',
        overdue: true,
        overdueHours: 25,
        fractionUsed: 1.238,
      },
      ledger: ['红灯', '督办'],
    },
    {
      at: '2026-11-17 18:30',
      timing: {
        light: 'red',
        escalation: 'notify',
        overdue: true,
        overdueHours: 96.5,
        fractionUsed: 1.919,
      },
      ledger: ['红灯', '通报'],
    },
  ] as const;

  it('the task shows the light, the level, how much time is used and how late it is', async () => {
    const x = await assignedToA('亮灯：任务详情');
    for (const step of STEPS) {
      m.setNow(step.at);
      const res = await m.office().get(`/tasks/${x.id}`);
      expect(res.status).toBe(200);
      expect({ at: step.at, timing: res.body.timing }).toEqual({
        at: step.at,
        timing: step.timing,
      });
    }
  });

  it('the 整改台账 shows the same light and level; none for a task not being worked on', async () => {
    await assignedToA('亮灯：整改台账');
    // Waiting for dispatch: no unit, no deadline.
    m.setNow('2026-11-09 09:00');
    await ok(
      m.office().post('/tasks', {
        categoryId: m.checkedCategory,
        address: '永定路口东侧',
        description: '亮灯：待派遣',
      }),
    );
    // Submitted: it has a deadline and an assignment time, but is no longer the unit's to work.
    const submitted = await assignedToA('亮灯：已反馈');
    m.setNow('2026-11-10 09:00');
    await ok(
      m.unitA().post(`/tasks/${submitted.id}/submissions`, {
        version: submitted.version,
        description: '已整改',
      }),
    );
    for (const step of STEPS) {
      m.setNow(step.at);
      const res = await m.office().get('/tasks/export?format=csv');
      expect(res.status).toBe(200);
      const [header, ...rows] = parseCsv(res.text);
      const cells = (description: string) => {
        const row = rows.find((r) => r[header.indexOf('问题描述')] === description);
        expect(row).toBeDefined();
        return [row![header.indexOf('亮灯')], row![header.indexOf('督办等级')]];
      };
      expect({ at: step.at, cells: cells('亮灯：整改台账') }).toEqual({
        at: step.at,
        cells: step.ledger,
      });
      expect(cells('亮灯：待派遣')).toEqual(['', '']);
      expect(cells('亮灯：已反馈')).toEqual(['', '']);
    }
  });

  it("the phone's open tasks nearby show the same light and level", async () => {
    const x = await assignedToA('亮灯：附近任务');
    for (const step of STEPS) {
      m.setNow(step.at);
      const res = await m
        .inspector()
        .get(`/tasks/nearby?categoryId=${m.checkedCategory}&lat=${POINT.lat}&lng=${POINT.lng}`);
      expect(res.status).toBe(200);
      const item = (res.body.items as { id: string; timing: unknown; distanceM: number }[]).find(
        (i) => i.id === x.id,
      );
      expect({ at: step.at, timing: item?.timing, distanceM: item?.distanceM }).toEqual({
        at: step.at,
        timing: step.timing,
        distanceM: 0,
      });
    }
  });

  it('GET /calendar shows the days the deadlines are counted with, this year by default', async () => {
    m.setNow('2026-11-09 09:00');
    const res = await m.unitA().get('/calendar');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2026, official: true });
    const days = res.body.days as { date: string; kind: string; workday: boolean }[];
    expect(days).toHaveLength(365);
    expect(days.find((d) => d.date === '2026-10-01')).toMatchObject({
      kind: 'holiday',
      workday: false,
    });
    expect(res.body.workdays).toBe(days.filter((d) => d.workday).length);
  });
});
