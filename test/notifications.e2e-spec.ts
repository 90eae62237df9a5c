import { jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { createServer, type Server } from 'node:http';
import { Clock } from '../src/common/clock.js';
import { NOTIFICATIONS_QUEUE } from '../src/jobs/queues.js';
import { EscalationJobs } from '../src/notifications/jobs/escalation.jobs.js';
import { verifyWebhook } from '../src/notifications/webhook-signature.js';
import type { TaskAction } from '../src/tasks/task-lifecycle.js';
import { as, buildLoopWorld, uploadPhoto, type LoopWorld } from './support/fixtures.js';
import { drainQueues } from './support/queues.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Who hears of what (src/notifications/notification-routing.ts), through the HTTP API: after
 * each action, the rows in `notifications` and `webhook_deliveries` written for its event.
 */

interface Received {
  event: string;
  id: string;
  body: string;
  signature: string;
}

/** A webhook receiver on 127.0.0.1 whose answer the test sets. */
async function receiver(): Promise<{
  server: Server;
  url: string;
  received: Received[];
  status: { code: number };
}> {
  const received: Received[] = [];
  const status = { code: 200 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({
        event: String(req.headers['x-cc-event']),
        id: String(req.headers['x-cc-delivery']),
        body,
        signature: String(req.headers['x-cc-signature']),
      });
      res.writeHead(status.code).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}/hook`, received, status };
}

const SECRET_A = 'unit-a-webhook-secret-0001';
const SECRET_B = 'unit-b-webhook-secret-0002';

/** Independent of the service's formatter: Intl's zh-CN date in Asia/Shanghai. */
const shanghaiDay = (d: Date): string =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(d);

/** 23:59 Shanghai time, `days` days from now: a date the text writes without a time. */
const endOfDayIn = (days: number): Date => {
  const d = new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000);
  return new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 23, 59) - 8 * 3_600_000,
  );
};

async function world(t: TestApp): Promise<{
  w: LoopWorld;
  hooks: { A: Awaited<ReturnType<typeof receiver>>; B: Awaited<ReturnType<typeof receiver>> };
}> {
  const w = await buildLoopWorld(t);
  const hooks = { A: await receiver(), B: await receiver() };
  for (const [unitId, url, secret] of [
    [w.unitA.unitId, hooks.A.url, SECRET_A],
    [w.unitB.unitId, hooks.B.url, SECRET_B],
  ]) {
    await t
      .http()
      .put(`/api/v1/units/${unitId}/webhook`)
      .set('authorization', `Bearer ${w.admin.token}`)
      .send({ url, secret })
      .expect(200);
  }
  return { w, hooks };
}

type Who = 'unitA' | 'unitB' | 'inspector' | 'office' | 'admin';

interface Heard {
  to: Who;
  kind: string;
  title: string;
  body: string;
}

describe('who hears of every task action', () => {
  let t: TestApp;
  let w: LoopWorld;
  let hooks: Awaited<ReturnType<typeof world>>['hooks'];
  let secondAdmin: { token: string; id: string };

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_POLL_MS: '50', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    ({ w, hooks } = await world(t));
    const a2 = await t.signIn('admin');
    secondAdmin = { token: a2.token, id: a2.user.id };
  });
  afterAll(async () => {
    for (const h of Object.values(hooks)) h.server.close();
    await t.close();
  });

  const admin = () => as(t, w.admin.token);
  const unitA = () => as(t, w.unitA.token);
  const inspector = () => as(t, w.inspector.token);

  interface Task {
    id: string;
    version: number;
    number: string;
  }
  const task = (body: { id: string; version: number; number: string }): Task => ({
    id: body.id,
    version: body.version,
    number: body.number,
  });
  const ok = (res: { status: number; body: unknown }): void => {
    if (res.status >= 300) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  };

  /** A task with unit A, assigned. */
  const assignedToA = async (): Promise<Task> => {
    const res = await inspector().post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteA,
      description: '楼道堆放杂物',
    });
    ok(res);
    return task(res.body);
  };
  const submitted = async (): Promise<Task> => {
    const x = await assignedToA();
    const photo = await uploadPhoto(t, w.unitA.token);
    const res = await unitA().post(`/tasks/${x.id}/submissions`, {
      version: x.version,
      description: '已清理',
      afterPhotoIds: [photo],
    });
    ok(res);
    return task(res.body);
  };
  const closed = async (): Promise<Task> => {
    const x = await submitted();
    const res = await inspector().post(`/tasks/${x.id}/checks`, {
      version: x.version,
      result: 'pass',
    });
    ok(res);
    return task(res.body);
  };
  const requested = endOfDayIn(30);
  const withExtension = async (): Promise<Task & { requestId: string }> => {
    const x = await assignedToA();
    const res = await unitA().post(`/tasks/${x.id}/extension-requests`, {
      version: x.version,
      requestedDeadline: requested.toISOString(),
      reason: '需协调产权单位',
    });
    ok(res);
    const [r] = (await t.ds.query(
      `SELECT id FROM extension_requests WHERE task_id = $1 AND status = 'pending'`,
      [x.id],
    )) as { id: string }[];
    return { ...task(res.body), requestId: r.id };
  };
  const withDispute = async (): Promise<Task & { disputeId: string }> => {
    const x = await assignedToA();
    const res = await unitA().post(`/tasks/${x.id}/disputes`, {
      version: x.version,
      reason: '不属于本单位',
    });
    ok(res);
    const [d] = (await t.ds.query(
      `SELECT id FROM task_disputes WHERE task_id = $1 AND status = 'pending'`,
      [x.id],
    )) as { id: string }[];
    return { ...task(res.body), disputeId: d.id };
  };
  const held = async (): Promise<Task> => {
    const x = await assignedToA();
    const res = await admin().post(`/tasks/${x.id}/hold`, {
      version: x.version,
      reason: '涉及工程改造',
      reviewOn: '2031-03-01',
    });
    ok(res);
    return task(res.body);
  };

  const newDeadline = endOfDayIn(20);

  interface Case {
    /** Brings a task to where the action can be taken, then takes it; returns the task. */
    run: () => Promise<Task>;
    /** Who hears of it: every row the event wrote, and nothing else. */
    heard: (x: Task) => { to: Who; kind: string; title: string | RegExp; body?: RegExp }[];
    /** Units whose webhook gets a delivery for the event. */
    webhooks: ('A' | 'B')[];
  }

  // Typed over every action: a new or renamed action does not compile until it has a case.
  // 签收 needs ACK_REQUIRED: test/acknowledgement.e2e-spec.ts checks it tells nobody.
  const CASES: Record<Exclude<TaskAction, 'acknowledge'> | 'create', Case> = {
    create: {
      run: assignedToA,
      heard: (x) => [{ to: 'unitA', kind: 'assigned', title: `新整改任务 ${x.number}` }],
      webhooks: ['A'],
    },
    dispatch: {
      run: async () => {
        const created = await inspector().post('/tasks', {
          categoryId: w.categoryId,
          siteId: w.siteNoUnit,
          description: '公园内乱堆放',
        });
        ok(created);
        const res = await admin().post(`/tasks/${created.body.id}/dispatch`, {
          version: created.body.version,
          unitId: w.unitB.unitId,
        });
        ok(res);
        return task(res.body);
      },
      heard: (x) => [{ to: 'unitB', kind: 'assigned', title: `新整改任务 ${x.number}` }],
      webhooks: ['B'],
    },
    reassign: {
      run: async () => {
        const x = await assignedToA();
        const res = await admin().post(`/tasks/${x.id}/reassignment`, {
          version: x.version,
          unitId: w.unitB.unitId,
        });
        ok(res);
        return task(res.body);
      },
      heard: (x) => [
        { to: 'unitB', kind: 'assigned', title: `新整改任务 ${x.number}` },
        { to: 'unitA', kind: 'reassigned_away', title: `${x.number} 已改派至城子街道` },
      ],
      webhooks: ['A', 'B'],
    },
    submit: {
      run: submitted,
      heard: (x) => [
        {
          to: 'inspector',
          kind: 'awaiting_check',
          title: `${x.number} 已整改反馈，待复查`,
          body: /^东辛房街道已反馈整改情况。楼道堆物：楼道堆放杂物（西山社区）。说明：已清理。$/,
        },
      ],
      webhooks: [],
    },
    check_pass: {
      run: closed,
      heard: (x) => [{ to: 'unitA', kind: 'closed', title: `${x.number} 复查通过，已销号` }],
      webhooks: ['A'],
    },
    check_fail: {
      run: async () => {
        const x = await submitted();
        const res = await inspector().post(`/tasks/${x.id}/checks`, {
          version: x.version,
          result: 'fail',
          note: '仍有杂物',
        });
        ok(res);
        return task(res.body);
      },
      heard: (x) => [
        {
          to: 'unitA',
          kind: 'returned',
          title: `${x.number} 复查未通过，请返工`,
          body: /整改时限.*说明：仍有杂物/,
        },
      ],
      webhooks: ['A'],
    },
    request_extension: {
      run: withExtension,
      heard: (x) => [
        {
          to: 'office',
          kind: 'extension_requested',
          title: `${x.number} 申请延期至 ${shanghaiDay(requested)}`,
          body: /^东辛房街道申请延期。.*说明：需协调产权单位。$/,
        },
      ],
      webhooks: [],
    },
    approve_extension: {
      run: async () => {
        const x = await withExtension();
        const res = await admin().post(
          `/tasks/${x.id}/extension-requests/${x.requestId}/decision`,
          {
            version: x.version,
            approve: true,
          },
        );
        ok(res);
        return task(res.body);
      },
      heard: (x) => [
        {
          to: 'unitA',
          kind: 'extension_approved',
          title: `${x.number} 延期申请已批准`,
          body: new RegExp(`^新的整改时限${shanghaiDay(requested)}。$`),
        },
      ],
      webhooks: ['A'],
    },
    refuse_extension: {
      run: async () => {
        const x = await withExtension();
        const res = await admin().post(
          `/tasks/${x.id}/extension-requests/${x.requestId}/decision`,
          {
            version: x.version,
            approve: false,
            note: '时限内可完成',
          },
        );
        ok(res);
        return task(res.body);
      },
      heard: (x) => [
        {
          to: 'unitA',
          kind: 'extension_refused',
          title: `${x.number} 延期申请未获批准`,
          body: /说明：时限内可完成/,
        },
      ],
      webhooks: ['A'],
    },
    dispute: {
      run: withDispute,
      heard: (x) => [
        { to: 'office', kind: 'disputed', title: `东辛房街道对 ${x.number} 提出申诉` },
      ],
      webhooks: [],
    },
    uphold_dispute: {
      run: async () => {
        const x = await withDispute();
        const res = await admin().post(`/tasks/${x.id}/disputes/${x.disputeId}/decision`, {
          version: x.version,
          uphold: true,
        });
        ok(res);
        return task(res.body);
      },
      // The task has no unit any more: the unit that disputed it hears of the decision.
      heard: (x) => [
        {
          to: 'unitA',
          kind: 'dispute_upheld',
          title: `${x.number} 申诉成立，已退回创城办重新派遣`,
        },
      ],
      webhooks: ['A'],
    },
    reject_dispute: {
      run: async () => {
        const x = await withDispute();
        const res = await admin().post(`/tasks/${x.id}/disputes/${x.disputeId}/decision`, {
          version: x.version,
          uphold: false,
          note: '属于你单位辖区',
        });
        ok(res);
        return task(res.body);
      },
      heard: (x) => [
        {
          to: 'unitA',
          kind: 'dispute_rejected',
          title: `${x.number} 申诉未获支持，请继续整改`,
          body: /说明：属于你单位辖区/,
        },
      ],
      webhooks: ['A'],
    },
    hold: {
      run: held,
      heard: (x) => [
        {
          to: 'unitA',
          kind: 'held',
          title: `${x.number} 已挂账`,
          body: /暂停整改计时，2031年3月1日复核。说明：涉及工程改造。$/,
        },
      ],
      webhooks: ['A'],
    },
    resume: {
      run: async () => {
        const x = await held();
        const res = await admin().post(`/tasks/${x.id}/resume`, {
          version: x.version,
          deadline: newDeadline.toISOString(),
        });
        ok(res);
        return task(res.body);
      },
      heard: (x) => [
        {
          to: 'unitA',
          kind: 'resumed',
          title: `${x.number} 恢复整改`,
          body: new RegExp(`整改时限${shanghaiDay(newDeadline)}。$`),
        },
      ],
      webhooks: ['A'],
    },
    cancel: {
      run: async () => {
        const x = await assignedToA();
        const res = await admin().post(`/tasks/${x.id}/cancellation`, {
          version: x.version,
          reason: '误报',
        });
        ok(res);
        return task(res.body);
      },
      heard: (x) => [{ to: 'unitA', kind: 'cancelled', title: `${x.number} 已撤销` }],
      webhooks: ['A'],
    },
    mark_duplicate: {
      run: async () => {
        const original = await assignedToA();
        const x = await assignedToA();
        const res = await admin().post(`/tasks/${x.id}/duplicate`, {
          version: x.version,
          duplicateOfId: original.id,
        });
        ok(res);
        return task(res.body);
      },
      heard: (x) => [
        {
          to: 'unitA',
          kind: 'duplicate',
          title: `${x.number} 已作为重复任务撤销`,
          body: /与ZG-\d{4}-\d{6}重复/,
        },
      ],
      webhooks: ['A'],
    },
    reopen: {
      run: async () => {
        const x = await closed();
        const res = await inspector().post(`/tasks/${x.id}/reopen`, {
          version: x.version,
          reason: '杂物又出现',
        });
        ok(res);
        return task(res.body);
      },
      heard: (x) => [{ to: 'unitA', kind: 'reopened', title: `${x.number} 问题反弹，请重新整改` }],
      webhooks: ['A'],
    },
    override_deadline: {
      run: async () => {
        const x = await assignedToA();
        const res = await admin().post(`/tasks/${x.id}/deadline`, {
          version: x.version,
          deadline: newDeadline.toISOString(),
          reason: '结合集中整治',
        });
        ok(res);
        return task(res.body);
      },
      heard: (x) => [
        {
          to: 'unitA',
          kind: 'deadline_changed',
          title: `${x.number} 整改时限调整为 ${shanghaiDay(newDeadline)}`,
        },
      ],
      webhooks: ['A'],
    },
  };

  /** Every notification and delivery written for the task's last event. */
  async function heardOfLastEvent(taskId: string): Promise<{
    heard: Heard[];
    webhooks: { unit: 'A' | 'B'; type: string }[];
  }> {
    const [{ id: eventId }] = (await t.ds.query(
      'SELECT e.id::text AS id FROM task_events e WHERE e.task_id = $1 ORDER BY e.id DESC LIMIT 1',
      [taskId],
    )) as { id: string }[];
    const key = `event:${eventId}`;
    const rows = (await t.ds.query(
      `SELECT n.audience, n.user_id, n.kind, n.title, n.body, u.role, u.unit_id
         FROM notifications n LEFT JOIN users u ON u.id = n.user_id WHERE n.dedupe_key = $1`,
      [key],
    )) as {
      audience: string;
      user_id: string | null;
      kind: string;
      title: string;
      body: string;
      role: string | null;
      unit_id: string | null;
    }[];
    const who = (r: (typeof rows)[number]): Who =>
      r.audience === 'office'
        ? 'office'
        : r.unit_id === w.unitA.unitId
          ? 'unitA'
          : r.unit_id === w.unitB.unitId
            ? 'unitB'
            : r.role === 'inspector'
              ? 'inspector'
              : 'admin';
    const deliveries = (await t.ds.query(
      `SELECT unit_id, event_type FROM webhook_deliveries WHERE delivery_key = $1 ORDER BY unit_id`,
      [key],
    )) as { unit_id: string; event_type: string }[];
    return {
      heard: rows.map((r) => ({ to: who(r), kind: r.kind, title: r.title, body: r.body })),
      webhooks: deliveries.map((d) => ({
        unit: d.unit_id === w.unitA.unitId ? 'A' : 'B',
        type: d.event_type,
      })),
    };
  }

  const sortBy = <T extends { to?: string; unit?: string }>(xs: T[]): T[] =>
    [...xs].sort((a, b) => String(a.to ?? a.unit).localeCompare(String(b.to ?? b.unit)));

  it.each(Object.keys(CASES) as (keyof typeof CASES)[])('%s', async (action) => {
    const c = CASES[action];
    const x = await c.run();
    await drainQueues(t);
    const got = await heardOfLastEvent(x.id);
    const [{ action: last }] = (await t.ds.query(
      'SELECT action FROM task_events WHERE task_id = $1 ORDER BY id DESC LIMIT 1',
      [x.id],
    )) as { action: string }[];
    expect(last).toBe(action);
    const want = c.heard(x);
    expect(sortBy(got.heard)).toEqual(
      sortBy(
        want.map((h) => ({
          to: h.to,
          kind: h.kind,
          title: typeof h.title === 'string' ? h.title : expect.stringMatching(h.title),
          body: h.body ? expect.stringMatching(h.body) : expect.any(String),
        })),
      ),
    );
    expect(sortBy(got.webhooks)).toEqual(
      c.webhooks.map((unit) => ({ unit, type: `task.${action}` })),
    );
  });

  it('a task created without a unit tells nobody: it waits in the pending_dispatch list', async () => {
    const res = await inspector().post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteNoUnit,
      description: '无人认领',
    });
    ok(res);
    await drainQueues(t);
    expect(await heardOfLastEvent(res.body.id)).toEqual({ heard: [], webhooks: [] });
  });

  it('tells the unit the event concerned, even when the task has moved on before the worker ran', async () => {
    const queue = t.app.get<Queue>(getQueueToken(NOTIFICATIONS_QUEUE), { strict: false });
    const x = await assignedToA();
    await drainQueues(t);
    await queue.pause(true);
    try {
      const moved = await admin().post(`/tasks/${x.id}/deadline`, {
        version: x.version,
        deadline: newDeadline.toISOString(),
        reason: '调整',
      });
      ok(moved);
      const [{ id: overrideEvent }] = (await t.ds.query(
        `SELECT id::text FROM task_events WHERE task_id = $1 AND action = 'override_deadline'`,
        [x.id],
      )) as { id: string }[];
      ok(
        await admin().post(`/tasks/${x.id}/reassignment`, {
          version: moved.body.version,
          unitId: w.unitB.unitId,
        }),
      );
      await queue.resume(true);
      await drainQueues(t);
      const rows = (await t.ds.query(
        `SELECT u.unit_id, n.kind FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.dedupe_key = $1`,
        [`event:${overrideEvent}`],
      )) as { unit_id: string; kind: string }[];
      expect(rows).toEqual([{ unit_id: w.unitA.unitId, kind: 'deadline_changed' }]);
      const deliveries = (await t.ds.query(
        `SELECT unit_id FROM webhook_deliveries WHERE delivery_key = $1`,
        [`event:${overrideEvent}`],
      )) as { unit_id: string }[];
      expect(deliveries).toEqual([{ unit_id: w.unitA.unitId }]);
    } finally {
      await queue.resume(true);
    }
  });

  it('the office hears once, in a shared inbox: one clerk reading it reads it for the office', async () => {
    const x = await withExtension();
    await drainQueues(t);
    const adminRows = (await t.ds.query(
      `SELECT count(*)::int AS n FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.role = 'admin'`,
    )) as { n: number }[];
    expect(adminRows[0].n).toBe(0);
    const [row] = (await t.ds.query(
      `SELECT id FROM notifications WHERE audience = 'office' AND task_id = $1`,
      [x.id],
    )) as { id: string }[];
    const first = await admin().get('/notifications?unread=true').expect(200);
    const second = await as(t, secondAdmin.token).get('/notifications?unread=true').expect(200);
    for (const inbox of [first, second]) {
      expect(inbox.body.items).toContainEqual(
        expect.objectContaining({
          id: row.id,
          audience: 'office',
          kind: 'extension_requested',
          readAt: null,
        }),
      );
    }
    await as(t, secondAdmin.token).post(`/notifications/${row.id}/read`).expect(204);
    const after = await admin().get('/notifications').expect(200);
    expect(after.body.items.find((i: { id: string }) => i.id === row.id)).toMatchObject({
      readAt: expect.any(String),
      readBy: expect.stringMatching(/^admin /),
    });
    expect(after.body.unread).toBe(first.body.unread - 1);
    // Units and inspectors never see office rows.
    await unitA().post(`/notifications/${row.id}/read`).expect(404);
    const theirs = await inspector().get('/notifications').expect(200);
    expect(theirs.body.items.map((i: { id: string }) => i.id)).not.toContain(row.id);
  });

  it('the webhooks that reached the receivers are signed with each unit\u2019s secret', () => {
    expect(hooks.A.received.length).toBeGreaterThan(0);
    for (const r of hooks.A.received)
      expect(verifyWebhook(SECRET_A, r.body, r.signature)).toBe(true);
    for (const r of hooks.B.received)
      expect(verifyWebhook(SECRET_B, r.body, r.signature)).toBe(true);
  });
});

describe('escalations: one summary per scan and level to the office, one batch per unit', () => {
  let t: TestApp;
  let w: LoopWorld;
  let hooks: Awaited<ReturnType<typeof world>>['hooks'];

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_POLL_MS: '50', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    ({ w, hooks } = await world(t));
  });
  afterAll(async () => {
    for (const h of Object.values(hooks)) h.server.close();
    await t.close();
  });

  it('50 overdue tasks: 督办 then 通报, each once per scan', async () => {
    const admin = as(t, w.admin.token);
    for (let i = 0; i < 50; i++) {
      const res = await admin.post('/tasks', {
        categoryId: w.categoryId,
        siteId: w.siteA,
        description: `超期任务 ${i}`,
        ...(i < 20 ? { unitId: w.unitB.unitId } : {}),
      });
      expect(res.status).toBe(201);
    }
    await drainQueues(t);
    const [{ last }] = (await t.ds.query('SELECT max(deadline) AS last FROM tasks')) as {
      last: Date;
    }[];
    const before = { A: hooks.A.received.length, B: hooks.B.received.length };
    const clock = t.app.get(Clock);
    const schedules = t.app.get(EscalationJobs);
    const spy = jest.spyOn(clock, 'now');
    try {
      spy.mockReturnValue(new Date(last.getTime() + 3_600_000));
      expect(await schedules.deadlineScan()).toEqual({ escalated: 50 });
      await drainQueues(t);
      expect(await schedules.deadlineScan()).toEqual({ escalated: 0 });
      spy.mockReturnValue(new Date(last.getTime() + 73 * 3_600_000));
      expect(await schedules.deadlineScan()).toEqual({ escalated: 50 });
      await drainQueues(t);
    } finally {
      spy.mockRestore();
    }

    const office = (await t.ds.query(
      `SELECT title, body FROM notifications WHERE audience = 'office' AND kind = 'escalation' ORDER BY created_at`,
    )) as { title: string; body: string }[];
    expect(office).toEqual([
      {
        title: '督办：50 个任务已超期',
        body: '本次扫描新超期50个任务：东辛房街道30个、城子街道20个。',
      },
      {
        title: '通报：50 个任务严重超期',
        body: '本次扫描新达到通报等级50个任务：东辛房街道30个、城子街道20个。',
      },
    ]);
    const perUser = (await t.ds.query(
      `SELECT n.user_id, n.title FROM notifications n WHERE n.kind = 'escalation' AND n.audience = 'user' ORDER BY n.created_at, n.user_id`,
    )) as { user_id: string; title: string }[];
    expect(perUser.map((r) => [r.user_id === w.unitA.id ? 'A' : 'B', r.title]).sort()).toEqual(
      [
        ['A', '督办：你单位30个整改任务（督办30个）'],
        ['A', '通报：你单位30个整改任务（通报30个）'],
        ['B', '督办：你单位20个整改任务（督办20个）'],
        ['B', '通报：你单位20个整改任务（通报20个）'],
      ].sort(),
    );
    // Admins have no private copies.
    const [{ n: adminCopies }] = (await t.ds.query(
      `SELECT count(*)::int AS n FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.role = 'admin'`,
    )) as { n: number }[];
    expect(adminCopies).toBe(0);

    const batches = (await t.ds.query(
      `SELECT unit_id, status, jsonb_array_length(payload->'tasks') AS n, payload->'tasks'->0->>'level' AS level
         FROM webhook_deliveries WHERE event_type = 'tasks.escalated' ORDER BY created_at, unit_id`,
    )) as { unit_id: string; status: string; n: number; level: string }[];
    expect(
      batches.map((b) => [b.unit_id === w.unitA.unitId ? 'A' : 'B', b.n, b.level, b.status]).sort(),
    ).toEqual(
      [
        ['A', 30, 'supervise', 'delivered'],
        ['A', 30, 'notify', 'delivered'],
        ['B', 20, 'supervise', 'delivered'],
        ['B', 20, 'notify', 'delivered'],
      ].sort(),
    );
    const escalatedA = hooks.A.received
      .slice(before.A)
      .filter((r) => r.event === 'tasks.escalated');
    expect(escalatedA).toHaveLength(2);
    expect(
      hooks.B.received.slice(before.B).filter((r) => r.event === 'tasks.escalated'),
    ).toHaveLength(2);
    // Signed at the test's clock, days ahead: checked without the replay window.
    for (const r of escalatedA)
      expect(verifyWebhook(SECRET_A, r.body, r.signature, Number.POSITIVE_INFINITY)).toBe(true);
    expect(JSON.parse(escalatedA[0].body)).toMatchObject({
      type: 'tasks.escalated',
      kind: 'escalation',
      tasks: expect.arrayContaining([
        expect.objectContaining({ number: expect.stringMatching(/^ZG-/), level: 'supervise' }),
      ]),
    });
  });
});

describe('webhook: read back, ping, and a retry that keeps the history', () => {
  let t: TestApp;
  let w: LoopWorld;
  let hooks: Awaited<ReturnType<typeof world>>['hooks'];

  beforeAll(async () => {
    t = await createTestApp({
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      OUTBOX_POLL_MS: '50',
      WEBHOOK_MAX_ATTEMPTS: '2',
      WEBHOOK_BACKOFF_MS: '50',
    });
    ({ w, hooks } = await world(t));
  });
  afterAll(async () => {
    for (const h of Object.values(hooks)) h.server.close();
    await t.close();
  });

  it('the office and the unit itself read the webhook back, without the secret', async () => {
    for (const token of [w.admin.token, w.unitA.token]) {
      const res = await as(t, token).get(`/units/${w.unitA.unitId}/webhook`).expect(200);
      expect(res.body).toEqual({
        unitId: w.unitA.unitId,
        url: hooks.A.url,
        hasSecret: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(JSON.stringify(res.body)).not.toContain(SECRET_A);
    }
    await as(t, w.unitB.token).get(`/units/${w.unitA.unitId}/webhook`).expect(404);
    await as(t, w.inspector.token).get(`/units/${w.unitA.unitId}/webhook`).expect(403);
  });

  it('ping sends a signed ping now and answers with the outcome', async () => {
    hooks.A.status.code = 200;
    const res = await as(t, w.admin.token)
      .post(`/units/${w.unitA.unitId}/webhook/ping`)
      .expect(200);
    expect(res.body).toMatchObject({
      delivered: true,
      statusCode: 200,
      errorCategory: null,
      durationMs: expect.any(Number),
    });
    const ping = hooks.A.received.find((r) => r.id === res.body.deliveryId)!;
    expect(ping.event).toBe('ping');
    expect(verifyWebhook(SECRET_A, ping.body, ping.signature)).toBe(true);
    expect(verifyWebhook(SECRET_B, ping.body, ping.signature)).toBe(false);
    expect(JSON.parse(ping.body)).toMatchObject({ type: 'ping', deliveryId: res.body.deliveryId });

    hooks.A.status.code = 500;
    const failed = await as(t, w.unitA.token)
      .post(`/units/${w.unitA.unitId}/webhook/ping`)
      .expect(200);
    expect(failed.body).toMatchObject({
      delivered: false,
      statusCode: 500,
      errorCategory: 'http_status',
      error: 'HTTP 500',
    });
    hooks.A.status.code = 200;
  });

  it('a retried delivery keeps its earlier attempts', async () => {
    hooks.A.status.code = 503;
    const created = await as(t, w.inspector.token).post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteA,
      description: '接收端故障',
    });
    expect(created.status).toBe(201);
    await drainQueues(t);
    const [d] = (await t.ds.query(
      `SELECT id, status, attempts FROM webhook_deliveries WHERE payload->'task'->>'id' = $1`,
      [created.body.id],
    )) as { id: string; status: string; attempts: number }[];
    expect(d).toMatchObject({ status: 'dead', attempts: 2 });
    const admin = as(t, w.admin.token);
    const dead = await admin.get('/admin/webhook-deliveries?status=dead').expect(200);
    expect(dead.body.items.find((i: { id: string }) => i.id === d.id)).toMatchObject({
      attempts: 2,
      lastError: 'HTTP 503',
      lastErrorCategory: 'http_status',
      lastAttemptAt: expect.any(String),
    });

    hooks.A.status.code = 200;
    await admin.post(`/admin/webhook-deliveries/${d.id}/retry`).expect(202);
    await drainQueues(t);
    const list = await admin.get('/admin/webhook-deliveries').expect(200);
    expect(list.body.items.find((i: { id: string }) => i.id === d.id)).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastError: null,
    });
    const history = await admin.get(`/admin/webhook-deliveries/${d.id}/attempts`).expect(200);
    expect(
      history.body.items.map((a: { statusCode: number; errorCategory: string | null }) => [
        a.statusCode,
        a.errorCategory,
      ]),
    ).toEqual([
      [503, 'http_status'],
      [503, 'http_status'],
      [200, null],
    ]);
    expect(history.body.items[0]).toMatchObject({
      attemptedAt: expect.any(String),
      durationMs: expect.any(Number),
      error: 'HTTP 503',
    });
  });
});
