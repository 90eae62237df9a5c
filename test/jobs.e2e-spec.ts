import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { verifyWebhook } from '../src/notifications/webhook-signature.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { eventually, freePort, startRedis, startService, stop } from './support/processes.js';
import { createTestApp, testEnv, type TestApp } from './support/test-app.js';

const count = async (t: TestApp, sql: string, params: unknown[] = []): Promise<number> =>
  ((await t.ds.query(sql, params)) as { n: number }[])[0].n;

describe('outbox: Redis down loses nothing', () => {
  let redisPort: number;
  let redis: ChildProcess;
  let t: TestApp;
  let w: LoopWorld;
  beforeAll(async () => {
    redisPort = await freePort();
    redis = startRedis(redisPort);
    await new Promise((r) => setTimeout(r, 300));
    t = await createTestApp({ REDIS_URL: `redis://127.0.0.1:${redisPort}`, OUTBOX_POLL_MS: '100' });
    w = await buildLoopWorld(t);
  });
  afterAll(async () => {
    await t.close();
    await stop(redis);
  });

  it('takes tasks while Redis is stopped, and notifies every assignment exactly once when it is back', async () => {
    await stop(redis, 'SIGKILL');
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await as(t, w.inspector.token).post('/tasks', {
        categoryId: w.categoryId,
        siteId: w.siteA,
        description: `停机期间 ${i}`,
      });
      expect(res.status).toBe(201);
      created.push(res.body.id);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(
      await count(t, 'SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL'),
    ).toBeGreaterThanOrEqual(5);
    expect(
      await count(t, `SELECT count(*)::int AS n FROM notifications WHERE kind = 'assigned'`),
    ).toBe(0);
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(503);

    redis = startRedis(redisPort);
    await eventually(
      async () =>
        (await count(
          t,
          `SELECT count(*)::int AS n FROM notifications WHERE kind = 'assigned' AND task_id = ANY($1)`,
          [created],
        )) === 5,
      30000,
      'notifications after Redis came back',
    );
    await eventually(
      async () =>
        (await count(t, 'SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL')) === 0,
      10000,
      'outbox drained',
    );
    // Settle, then check nothing arrived twice.
    await new Promise((r) => setTimeout(r, 500));
    const perTask = (await t.ds.query(
      `SELECT task_id, count(*)::int AS n FROM notifications WHERE user_id = $1 AND task_id = ANY($2) GROUP BY task_id`,
      [w.unitA.id, created],
    )) as { n: number }[];
    expect(perTask.map((r) => r.n)).toEqual([1, 1, 1, 1, 1]);
    const inbox = await as(t, w.unitA.token).get('/notifications?unread=true').expect(200);
    expect(inbox.body.unread).toBeGreaterThanOrEqual(5);
    expect(inbox.body.items[0].title).toMatch(/^新整改任务 ZG-/);
  });
});

interface Received {
  id: string;
  body: string;
  signature: string;
}

function receiver(
  handle: (req: IncomingMessage, body: string, n: number) => number | 'hang',
): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({
        id: String(req.headers['x-cc-delivery']),
        body,
        signature: String(req.headers['x-cc-signature']),
      });
      const status = handle(req, body, received.length);
      if (status === 'hang') return;
      res.writeHead(status).end();
    });
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () =>
      r({
        server,
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
        received,
      }),
    ),
  );
}

describe('workers as separate processes', () => {
  let t: TestApp;
  let w: LoopWorld;
  let env: Record<string, string>;
  const workers: ChildProcess[] = [];
  const servers: Server[] = [];
  const SECRET = 'unit-a-webhook-secret-0001';

  beforeAll(async () => {
    // The API in this process runs no jobs; workers are real processes on the same database and Redis.
    env = await testEnv({
      OUTBOX_POLL_MS: '100',
      JOB_STALLED_INTERVAL_MS: '1500',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_BACKOFF_MS: '100',
      // Retries wait at least the timeout plus a second (see webhookBackoff): 3 s here.
      WEBHOOK_TIMEOUT_MS: '2000',
      // The receivers listen on loopback, which webhooks may reach only when listed.
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      LOG_LEVEL: 'error',
    });
    t = await createTestApp({ ...env, APP_ROLE: 'api' });
    w = await buildLoopWorld(t);
  });
  afterAll(async () => {
    await Promise.all(workers.map((p) => stop(p, 'SIGKILL')));
    for (const s of servers) s.close();
    await t.close();
  });

  const worker = (extra: Record<string, string> = {}): ChildProcess => {
    const p = startService({ ...env, APP_ROLE: 'worker', ...extra });
    workers.push(p);
    return p;
  };
  const hook = async (url: string): Promise<void> => {
    const res = await t
      .http()
      .put(`/api/v1/units/${w.unitA.unitId}/webhook`)
      .set('authorization', `Bearer ${w.admin.token}`)
      .send({ url, secret: SECRET });
    expect(res.status).toBe(200);
  };
  const newTask = async (description: string): Promise<string> =>
    (
      await as(t, w.inspector.token).post('/tasks', {
        categoryId: w.categoryId,
        siteId: w.siteA,
        description,
      })
    ).body.id as string;
  const delivery = async (
    taskId: string,
  ): Promise<{ id: string; status: string; attempts: number } | undefined> =>
    (
      (await t.ds.query(
        `SELECT d.id, d.status, d.attempts FROM webhook_deliveries d WHERE d.payload->'task'->>'id' = $1`,
        [taskId],
      )) as { id: string; status: string; attempts: number }[]
    )[0];

  it('a receiver failing twice then succeeding gets the delivery once, correctly signed', async () => {
    const r = await receiver((_req, _body, n) => (n <= 2 ? 500 : 200));
    servers.push(r.server);
    await hook(r.url);
    worker();
    const taskId = await newTask('webhook 重试');
    await eventually(
      async () => (await delivery(taskId))?.status === 'delivered',
      30000,
      'delivered',
    );
    const d = await delivery(taskId);
    expect(d).toMatchObject({ attempts: 3 });
    expect(r.received.map((x) => x.id)).toEqual([d!.id, d!.id, d!.id]);
    const last = r.received[2];
    expect(verifyWebhook(SECRET, last.body, last.signature)).toBe(true);
    expect(verifyWebhook('wrong-secret-wrong-secret', last.body, last.signature)).toBe(false);
    expect(JSON.parse(last.body)).toMatchObject({
      deliveryId: d!.id,
      type: 'task.create',
      kind: 'assigned',
      task: { id: taskId },
    });
  });

  it('a receiver that always fails is dead-lettered and visible to the office', async () => {
    const r = await receiver(() => 503);
    servers.push(r.server);
    await hook(r.url);
    const taskId = await newTask('webhook 永远失败');
    await eventually(
      async () => (await delivery(taskId))?.status === 'dead',
      30000,
      'dead letter',
    ).catch(async (e: Error) => {
      const d = await delivery(taskId);
      throw new Error(
        `${e.message}: delivery ${JSON.stringify(d)}, ${r.received.length} received, workers ${workers.map((p) => p.exitCode ?? p.signalCode ?? 'running').join(',')}`,
      );
    });
    expect(r.received).toHaveLength(3);
    const dead = await as(t, w.admin.token)
      .get('/admin/webhook-deliveries?status=dead')
      .expect(200);
    expect(dead.body.items.map((i: { id: string }) => i.id)).toContain(
      (await delivery(taskId))!.id,
    );
    const ops = await as(t, w.admin.token).get('/admin/jobs').expect(200);
    expect(ops.body.deadWebhookDeliveries).toBeGreaterThanOrEqual(1);
    expect(ops.body.outbox).toMatchObject({ pending: expect.any(Number) });
  });

  it('a worker killed mid-job: the job runs again on another worker and delivers once', async () => {
    for (const p of workers.splice(0)) await stop(p, 'SIGKILL');
    let first = true;
    const r = await receiver(() => {
      if (first) {
        first = false;
        return 'hang';
      }
      return 200;
    });
    servers.push(r.server);
    await hook(r.url);
    const victim = worker();
    const taskId = await newTask('worker 被杀');
    await eventually(
      async () => r.received.length >= 1,
      20000,
      'first attempt reached the receiver',
    );
    await stop(victim, 'SIGKILL');
    worker();
    await eventually(
      async () => (await delivery(taskId))?.status === 'delivered',
      30000,
      'redelivered after the stall',
    );
    const d = await delivery(taskId);
    expect(new Set(r.received.map((x) => x.id))).toEqual(new Set([d!.id]));
    // The inbox got the assignment once, whatever ran twice.
    expect(
      await count(
        t,
        `SELECT count(*)::int AS n FROM notifications WHERE task_id = $1 AND user_id = $2`,
        [taskId, w.unitA.id],
      ),
    ).toBe(1);
  });

  it('two workers running the deadline scan: one reminder per task', async () => {
    for (const p of workers.splice(0)) await stop(p, 'SIGKILL');
    await t
      .http()
      .put(`/api/v1/units/${w.unitA.unitId}/webhook`)
      .set('authorization', `Bearer ${w.admin.token}`)
      .send({ url: null });
    const ids = [await newTask('将到期 1'), await newTask('将到期 2')];
    // Both tasks are at 90 % of their time: reminder due.
    await t.ds.query(
      `UPDATE tasks SET assigned_at = now() - interval '9 hours', deadline = now() + interval '1 hour' WHERE id = ANY($1)`,
      [ids],
    );
    worker({ DEADLINE_SCAN_CRON: '*/2 * * * * *' });
    worker({ DEADLINE_SCAN_CRON: '*/2 * * * * *' });
    // One scan found both: the unit hears of them in one notification.
    const reminders = (): Promise<number> =>
      count(
        t,
        `SELECT count(*)::int AS n FROM notifications WHERE kind = 'escalation' AND user_id = $1`,
        [w.unitA.id],
      );
    await eventually(async () => (await reminders()) === 1, 30000, 'reminders');
    await new Promise((r) => setTimeout(r, 4500)); // two more scan periods on two workers
    expect(await reminders()).toBe(1);
    const [{ title }] = (await t.ds.query(
      `SELECT title FROM notifications WHERE kind = 'escalation' AND user_id = $1`,
      [w.unitA.id],
    )) as { title: string }[];
    expect(title).toBe('提醒：你单位2个整改任务（提醒2个）');
    expect(
      await count(t, `SELECT count(*)::int AS n FROM task_escalations WHERE task_id = ANY($1)`, [
        ids,
      ]),
    ).toBe(2);
  });
});
