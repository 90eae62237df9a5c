import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { createServer, type Server } from 'node:http';
import { NOTIFICATIONS_QUEUE } from '../../src/jobs/queues.js';
import { drainQueues } from '../support/queues.js';
import { bj, mediumWorld, ok, type MediumWorld, type TaskBody } from './medium-world.js';

/**
 * Who hears of each task action: the notifications rows (per recipient user, or the one shared
 * office row) and the webhook_deliveries rows (per unit) written for the action's event, once
 * the outbox and the queues have run to completion.
 *
 * The expectation is written out literally below from the documented rules (README, DESIGN.md,
 * the comment of src/notifications/notification-routing.ts), not read from the routing table:
 * - the unit the event concerned — the unit as it was right after the event, even if the task
 *   has moved on when the worker runs — hears of what the office or an inspector did to its
 *   task: every active user of the unit gets an inbox row, the unit's webhook one delivery;
 * - a reassignment also tells the unit the task left (reassigned_away);
 * - a submission waiting for a 复查 tells the inspector who raised the task (inbox only); a
 *   submission that closes the task at once (self_close) tells nobody;
 * - a unit's 延期申请 and 申诉 go to the office as one shared row (audience office), no webhook;
 * - a task created without a unit tells nobody (it waits in the pending_dispatch list).
 */

/** Recipients as the test names them: the users of unit A (two) and B (one), the inspector who
 * raised the tasks, and the shared office row. */
type Who = 'unitA' | 'unitB' | 'inspector' | 'office';

interface Expected {
  /** [who, kind] per recipient; a unit expands to each of its active users. */
  tell: [Who, string][];
  /** Units whose webhook gets one delivery, of type `task.<action>`. */
  webhooks: ('A' | 'B')[];
}

/** The expected routing, one row per action (and the variants whose routing differs). */
const EXPECTED: Record<string, Expected> = {
  'create (routed to unit A)': { tell: [['unitA', 'assigned']], webhooks: ['A'] },
  'create (no route: pending dispatch)': { tell: [], webhooks: [] },
  dispatch: { tell: [['unitB', 'assigned']], webhooks: ['B'] },
  reassign: {
    tell: [
      ['unitB', 'assigned'],
      ['unitA', 'reassigned_away'],
    ],
    webhooks: ['A', 'B'],
  },
  'submit (waits for a check)': { tell: [['inspector', 'awaiting_check']], webhooks: [] },
  'submit (self_close)': { tell: [], webhooks: [] },
  check_pass: { tell: [['unitA', 'closed']], webhooks: ['A'] },
  check_fail: { tell: [['unitA', 'returned']], webhooks: ['A'] },
  request_extension: { tell: [['office', 'extension_requested']], webhooks: [] },
  approve_extension: { tell: [['unitA', 'extension_approved']], webhooks: ['A'] },
  refuse_extension: { tell: [['unitA', 'extension_refused']], webhooks: ['A'] },
  dispute: { tell: [['office', 'disputed']], webhooks: [] },
  // The task has gone back to the office without a unit: the unit that disputed it hears.
  uphold_dispute: { tell: [['unitA', 'dispute_upheld']], webhooks: ['A'] },
  reject_dispute: { tell: [['unitA', 'dispute_rejected']], webhooks: ['A'] },
  hold: { tell: [['unitA', 'held']], webhooks: ['A'] },
  resume: { tell: [['unitA', 'resumed']], webhooks: ['A'] },
  cancel: { tell: [['unitA', 'cancelled']], webhooks: ['A'] },
  mark_duplicate: { tell: [['unitA', 'duplicate']], webhooks: ['A'] },
  reopen: { tell: [['unitA', 'reopened']], webhooks: ['A'] },
  override_deadline: { tell: [['unitA', 'deadline_changed']], webhooks: ['A'] },
};

/** A receiver on 127.0.0.1 that accepts every delivery. */
async function receiver(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}/hook` };
}

describe('who hears of each task action (notifications and webhooks)', () => {
  let m: MediumWorld;
  let secondUserOfA: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    m = await mediumWorld('2026-11-09 09:00', {
      OUTBOX_POLL_MS: '50',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    });
    secondUserOfA = (await m.t.signIn('unit', { unitId: m.w.unitA.unitId })).user.id;
    for (const unitId of [m.w.unitA.unitId, m.w.unitB.unitId]) {
      const r = await receiver();
      servers.push(r.server);
      const res = await m.t
        .http()
        .put(`/api/v1/units/${unitId}/webhook`)
        .set('authorization', `Bearer ${m.w.admin.token}`)
        .send({ url: r.url, secret: `secret-of-${unitId}-0123456789` });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await m.close();
  });

  /** Expands a unit to its users: each active user of the unit gets a row. */
  const recipients = (who: Who): string[] =>
    who === 'unitA'
      ? [m.w.unitA.id, secondUserOfA]
      : who === 'unitB'
        ? [m.w.unitB.id]
        : who === 'inspector'
          ? [m.w.inspector.id]
          : ['office'];
  const unitOf = (u: 'A' | 'B') => (u === 'A' ? m.w.unitA.unitId : m.w.unitB.unitId);

  /** Every notification and delivery written for one event, as [recipient, kind] and units. */
  async function heardOf(eventId: string) {
    const key = `event:${eventId}`;
    const rows = (await m.t.ds.query(
      `SELECT coalesce(user_id::text, audience) AS who, kind FROM notifications WHERE dedupe_key = $1`,
      [key],
    )) as { who: string; kind: string }[];
    const deliveries = (await m.t.ds.query(
      `SELECT unit_id, event_type FROM webhook_deliveries WHERE delivery_key = $1`,
      [key],
    )) as { unit_id: string; event_type: string }[];
    return {
      tell: rows.map((r) => [r.who, r.kind]).sort(),
      webhooks: deliveries.map((d) => [d.unit_id, d.event_type]).sort(),
    };
  }
  const want = (e: Expected, action: string) => ({
    tell: e.tell.flatMap(([who, kind]) => recipients(who).map((r) => [r, kind])).sort(),
    webhooks: e.webhooks.map((u) => [unitOf(u), `task.${action}`]).sort(),
  });

  /** The task's events, oldest first. */
  const events = async (taskId: string) =>
    (await m.t.ds.query(
      `SELECT id::text AS id, action, to_status FROM task_events e WHERE e.task_id = $1 ORDER BY e.id`,
      [taskId],
    )) as { id: string; action: string; to_status: string }[];

  // Steps, as the API is called. Each returns the task as answered.
  const create = (siteId = m.w.siteA, categoryId = m.checkedCategory) =>
    ok(m.inspector().post('/tasks', { categoryId, siteId, description: '楼道堆放杂物' }));
  const submit = (x: TaskBody) =>
    ok(m.unitA().post(`/tasks/${x.id}/submissions`, { version: x.version, description: '已清理' }));
  const check = (x: TaskBody, result: 'pass' | 'fail') =>
    ok(m.inspector().post(`/tasks/${x.id}/checks`, { version: x.version, result }));
  const requestExtension = (x: TaskBody) =>
    ok(
      m.unitA().post(`/tasks/${x.id}/extension-requests`, {
        version: x.version,
        requestedDeadline: bj('2026-11-30 18:00').toISOString(),
        reason: '需协调',
      }),
    );
  const dispute = (x: TaskBody) =>
    ok(m.unitA().post(`/tasks/${x.id}/disputes`, { version: x.version, reason: '不属于本单位' }));
  const hold = (x: TaskBody) =>
    ok(
      m.office().post(`/tasks/${x.id}/hold`, {
        version: x.version,
        reason: '工程改造',
        reviewOn: '2027-03-01',
      }),
    );
  const reassignToB = (x: TaskBody) =>
    ok(
      m
        .office()
        .post(`/tasks/${x.id}/reassignment`, { version: x.version, unitId: m.w.unitB.unitId }),
    );
  const override = (x: TaskBody) =>
    ok(
      m.office().post(`/tasks/${x.id}/deadline`, {
        version: x.version,
        deadline: bj('2026-11-27 18:00').toISOString(),
        reason: '集中整治',
      }),
    );

  /** Each case: the story that ends with the action, and the action its last event records. */
  const CASES: Record<keyof typeof EXPECTED, { action: string; run: () => Promise<TaskBody> }> = {
    'create (routed to unit A)': { action: 'create', run: () => create() },
    'create (no route: pending dispatch)': { action: 'create', run: () => create(m.w.siteNoUnit) },
    dispatch: {
      action: 'dispatch',
      run: async () => {
        const x = await create(m.w.siteNoUnit);
        return ok(
          m
            .office()
            .post(`/tasks/${x.id}/dispatch`, { version: x.version, unitId: m.w.unitB.unitId }),
        );
      },
    },
    reassign: { action: 'reassign', run: async () => reassignToB(await create()) },
    'submit (waits for a check)': { action: 'submit', run: async () => submit(await create()) },
    'submit (self_close)': {
      action: 'submit',
      run: async () => submit(await create(m.w.siteA, m.selfCloseCategory)),
    },
    check_pass: {
      action: 'check_pass',
      run: async () => check(await submit(await create()), 'pass'),
    },
    check_fail: {
      action: 'check_fail',
      run: async () => check(await submit(await create()), 'fail'),
    },
    request_extension: {
      action: 'request_extension',
      run: async () => requestExtension(await create()),
    },
    approve_extension: {
      action: 'approve_extension',
      run: async () => {
        const x = await requestExtension(await create());
        return ok(
          m.office().post(`/tasks/${x.id}/extension-requests/${x.pendingExtension!.id}/decision`, {
            version: x.version,
            approve: true,
          }),
        );
      },
    },
    refuse_extension: {
      action: 'refuse_extension',
      run: async () => {
        const x = await requestExtension(await create());
        return ok(
          m.office().post(`/tasks/${x.id}/extension-requests/${x.pendingExtension!.id}/decision`, {
            version: x.version,
            approve: false,
          }),
        );
      },
    },
    dispute: { action: 'dispute', run: async () => dispute(await create()) },
    uphold_dispute: {
      action: 'uphold_dispute',
      run: async () => {
        const x = await dispute(await create());
        return ok(
          m.office().post(`/tasks/${x.id}/disputes/${x.pendingDispute!.id}/decision`, {
            version: x.version,
            uphold: true,
          }),
        );
      },
    },
    reject_dispute: {
      action: 'reject_dispute',
      run: async () => {
        const x = await dispute(await create());
        return ok(
          m.office().post(`/tasks/${x.id}/disputes/${x.pendingDispute!.id}/decision`, {
            version: x.version,
            uphold: false,
          }),
        );
      },
    },
    hold: { action: 'hold', run: async () => hold(await create()) },
    resume: {
      action: 'resume',
      run: async () => {
        const x = await hold(await create());
        return ok(m.office().post(`/tasks/${x.id}/resume`, { version: x.version }));
      },
    },
    cancel: {
      action: 'cancel',
      run: async () => {
        const x = await create();
        return ok(
          m.office().post(`/tasks/${x.id}/cancellation`, { version: x.version, reason: '误报' }),
        );
      },
    },
    mark_duplicate: {
      action: 'mark_duplicate',
      run: async () => {
        const original = await create();
        const x = await create();
        return ok(
          m
            .office()
            .post(`/tasks/${x.id}/duplicate`, { version: x.version, duplicateOfId: original.id }),
        );
      },
    },
    reopen: {
      action: 'reopen',
      run: async () => {
        const x = await check(await submit(await create()), 'pass');
        return ok(
          m.inspector().post(`/tasks/${x.id}/reopen`, { version: x.version, reason: '反弹' }),
        );
      },
    },
    override_deadline: { action: 'override_deadline', run: async () => override(await create()) },
  };

  it.each(Object.keys(EXPECTED))('%s', async (name) => {
    const c = CASES[name];
    m.setNow('2026-11-09 09:00');
    const x = await c.run();
    await drainQueues(m.t);
    const all = await events(x.id);
    const last = all[all.length - 1];
    expect(last.action).toBe(c.action);
    expect(await heardOf(last.id)).toEqual(want(EXPECTED[name], c.action));
  });

  it('tells the unit each event concerned even when the task moved to another unit before the worker ran', async () => {
    m.setNow('2026-11-09 09:00');
    const queue = m.t.app.get<Queue>(getQueueToken(NOTIFICATIONS_QUEUE), { strict: false });
    let x = await create();
    await drainQueues(m.t);
    await queue.pause(true);
    try {
      // With unit A: submitted, failed at the check, deadline moved; then handed to unit B. The
      // worker runs only after all of it, when the task is B's.
      x = await submit(x);
      x = await check(x, 'fail');
      x = await override(x);
      x = await reassignToB(x);
    } finally {
      await queue.resume(true);
    }
    await drainQueues(m.t);
    const [, submitted, failed, overridden, reassigned] = await events(x.id);
    expect([submitted, failed, overridden, reassigned].map((e) => e.action)).toEqual([
      'submit',
      'check_fail',
      'override_deadline',
      'reassign',
    ]);
    expect(await heardOf(failed.id)).toEqual(want(EXPECTED.check_fail, 'check_fail'));
    expect(await heardOf(overridden.id)).toEqual(
      want(EXPECTED.override_deadline, 'override_deadline'),
    );
    expect(await heardOf(reassigned.id)).toEqual(want(EXPECTED.reassign, 'reassign'));
    expect(await heardOf(submitted.id)).toEqual(
      want(EXPECTED['submit (waits for a check)'], 'submit'),
    );
  });

  it('a unit is told nothing of another unit’s events: unit B has no rows for what A was told', async () => {
    m.setNow('2026-11-09 09:00');
    const x = await check(await submit(await create()), 'fail');
    await drainQueues(m.t);
    const rows = (await m.t.ds.query(
      `SELECT count(*)::int AS n FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.task_id = $1 AND u.unit_id = $2`,
      [x.id, m.w.unitB.unitId],
    )) as { n: number }[];
    expect(rows[0].n).toBe(0);
  });
});
