import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { Redis } from 'ioredis';
import { createServer, type Server } from 'node:http';
import { SCHEDULES_QUEUE } from '../src/jobs/queues.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { eventually, ownRedis, startRedis, stop } from './support/processes.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Redis faults, each on a Redis server of the test's own (never the shared one): it is flushed,
 * restarted empty, and hung (SIGSTOP: connections stay open, nothing answers).
 */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function flushAll(url: string): Promise<void> {
  const c = new Redis(url);
  await c.flushall();
  c.disconnect();
}

/** A webhook receiver answering with `status(n)` for the n-th request, after `delayMs(n)`. */
function receiver(
  status: (n: number) => number,
  delayMs: (n: number) => number = () => 0,
): Promise<{ server: Server; url: string; hits: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n += 1;
      const mine = n;
      setTimeout(() => res.writeHead(status(mine)).end(), delayMs(mine));
    });
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () =>
      r({
        server,
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
        hits: () => n,
      }),
    ),
  );
}

const deliveriesOf = async (
  t: TestApp,
  unitId: string,
): Promise<{ id: string; status: string; attempts: number; delivered_at: Date | null }[]> =>
  (await t.ds.query(
    `SELECT id, status, attempts, delivered_at FROM webhook_deliveries WHERE unit_id = $1 ORDER BY created_at`,
    [unitId],
  )) as { id: string; status: string; attempts: number; delivered_at: Date | null }[];

async function setWebhook(t: TestApp, w: LoopWorld, unitId: string, url: string): Promise<void> {
  const res = await t
    .http()
    .put(`/api/v1/units/${unitId}/webhook`)
    .set('authorization', `Bearer ${w.admin.token}`)
    .send({ url, secret: 'a-webhook-secret-for-tests-0001' });
  expect(res.status).toBe(200);
}

/** A 企业微信 group robot that fails its first message (HTTP 500) and takes the others. */
function wecomRobot(): Promise<{ server: Server; base: string; hits: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n += 1;
      if (n === 1) res.writeHead(500).end();
      else
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () =>
      r({
        server,
        base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        hits: () => n,
      }),
    ),
  );
}

describe('Redis back empty', () => {
  let redis: Awaited<ReturnType<typeof ownRedis>>;
  let t: TestApp;
  let w: LoopWorld;
  let robot: Awaited<ReturnType<typeof wecomRobot>>;
  const servers: Server[] = [];
  beforeAll(async () => {
    redis = await ownRedis();
    robot = await wecomRobot();
    servers.push(robot.server);
    t = await createTestApp({
      REDIS_URL: redis.url,
      APP_ROLE: 'all',
      OUTBOX_POLL_MS: '100',
      // Every second, so that the test sees the scans go on.
      DEADLINE_SCAN_CRON: '* * * * * *',
      JOB_SWEEP_INTERVAL_MS: '300',
      JOB_SWEEP_GRACE_MS: '0',
      WEBHOOK_BACKOFF_MS: '600000',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_TIMEOUT_MS: '2000',
      CHANNEL_WECOM_BASE_URL: robot.base,
      CHANNEL_BACKOFF_MS: '600000',
    });
    w = await buildLoopWorld(t);
  });
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    await t.close();
    await stop(redis.process, 'SIGKILL');
  });

  /** The deadline scans bull has run since `since` (one job per fire: `deadline-scan:<instant>`). */
  const scansSince = async (since: number): Promise<number> =>
    (await t.app.get<Queue>(getQueueToken(SCHEDULES_QUEUE)).getCompleted())
      .filter((j) => j.name === 'deadline-scan')
      .filter((j) => Date.parse(String(j.id).slice('deadline-scan:'.length)) > since).length;

  it('a flush loses no schedule: the crons are in the process, the next fire queues its job', async () => {
    await eventually(async () => (await scansSince(0)) > 0, 10_000, 'a first scan');
    await flushAll(redis.url);
    const flushed = Date.now();
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.schedules).toEqual({ status: 'up' });
    await eventually(async () => (await scansSince(flushed)) >= 2, 10_000, 'scans after the flush');
  });

  it('schedules go on when Redis restarts empty', async () => {
    await stop(redis.process, 'SIGKILL');
    redis.process = startRedis(redis.port);
    const restarted = Date.now();
    await eventually(
      async () => (await scansSince(restarted).catch(() => 0)) >= 1,
      15_000,
      'a scan after the restart',
    );
    expect((await t.http().get('/health/ready')).body.details.schedules).toEqual({ status: 'up' });
  });

  it('a webhook delivery waiting for its retry when Redis is flushed is sent again, not stranded', async () => {
    const r = await receiver((n) => (n === 1 ? 500 : 200));
    servers.push(r.server);
    await setWebhook(t, w, w.unitA.unitId, r.url);
    await as(t, w.inspector.token)
      .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: '重试中清空' })
      .expect(201);
    // The first try failed; the retry waits ten minutes in Redis …
    await eventually(
      async () => (await deliveriesOf(t, w.unitA.unitId))[0]?.attempts === 1,
      15_000,
      'first try',
    );
    // … which loses it.
    await flushAll(redis.url);
    await eventually(
      async () => (await deliveriesOf(t, w.unitA.unitId))[0]?.status === 'delivered',
      15_000,
      'delivered after the sweep',
    );
    const [d] = await deliveriesOf(t, w.unitA.unitId);
    expect(d.attempts).toBe(2);
    expect(r.hits()).toBe(2);
  });

  it('a 企业微信 message waiting for its retry when Redis is flushed is sent again, not stranded', async () => {
    const channel = await t
      .http()
      .post(`/api/v1/units/${w.unitA.unitId}/channels`)
      .set('authorization', `Bearer ${w.admin.token}`)
      .send({ kind: 'wecom', name: '整改群', token: 'wecom-key-for-the-sweep-0001' });
    expect(channel.status).toBe(201);
    const rows = async (): Promise<{ status: string; attempts: number }[]> =>
      (await t.ds.query(
        `SELECT status, attempts FROM channel_deliveries WHERE channel_id = $1 ORDER BY created_at`,
        [channel.body.id],
      )) as { status: string; attempts: number }[];
    await as(t, w.inspector.token)
      .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: '渠道重试中清空' })
      .expect(201);
    // The first try failed; the retry waits ten minutes in Redis …
    await eventually(async () => (await rows())[0]?.attempts === 1, 15_000, 'first try');
    // … which loses it.
    await flushAll(redis.url);
    await eventually(
      async () => (await rows())[0]?.status === 'sent',
      15_000,
      'sent after the sweep',
    );
    expect(await rows()).toEqual([{ status: 'sent', attempts: 2 }]);
    expect(robot.hits()).toBe(2);
  });

  it('an outbox row relayed but never processed (its job lost) is relayed again and handled once', async () => {
    const task = await as(t, w.inspector.token)
      .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: '转发后丢失' })
      .expect(201);
    await eventually(
      async () =>
        (
          (await t.ds.query(`SELECT processed_at FROM outbox WHERE payload->>'taskId' = $1`, [
            task.body.id,
          ])) as { processed_at: Date | null }[]
        ).every((r) => r.processed_at !== null),
      15_000,
      'processed',
    );
    const inbox = async (): Promise<number> =>
      (
        (await t.ds.query(`SELECT count(*)::int AS n FROM notifications WHERE task_id = $1`, [
          task.body.id,
        ])) as { n: number }[]
      )[0].n;
    const before = await inbox();
    expect(before).toBeGreaterThan(0);
    // As if Redis had lost the job between the relay and the consumer.
    await t.ds.query(`DELETE FROM notifications WHERE task_id = $1`, [task.body.id]);
    const [row] = (await t.ds.query(
      `UPDATE outbox SET processed_at = NULL, relayed_at = now() - interval '5 minutes'
        WHERE topic = 'task-event' AND payload->>'taskId' = $1 RETURNING id::text`,
      [task.body.id],
    )) as [{ id: string }[], number];
    await t.app.get<Queue>(getQueueToken('notifications')).removeJobs(`outbox:${row[0].id}`);
    await eventually(async () => (await inbox()) === before, 15_000, 'notified again');
    await sleep(500);
    expect(await inbox()).toBe(before);
  });
});

describe('a hung Redis (accepts connections, answers nothing)', () => {
  let redis: Awaited<ReturnType<typeof ownRedis>>;
  let t: TestApp;
  let w: LoopWorld;
  beforeAll(async () => {
    redis = await ownRedis();
    t = await createTestApp({ REDIS_URL: redis.url, APP_ROLE: 'api' });
    w = await buildLoopWorld(t);
  });
  afterAll(async () => {
    redis.process.kill('SIGCONT');
    await t.close();
    await stop(redis.process, 'SIGKILL');
  });

  it('login still answers within a few seconds, and the webhook retry answers 503 fast', async () => {
    const [dead] = (await t.ds.query(
      `INSERT INTO webhook_deliveries (unit_id, delivery_key, event_type, payload, status, attempts)
       VALUES ($1, 'hung-1', 'task.create', '{}', 'dead', 6) RETURNING id`,
      [w.unitA.unitId],
    )) as { id: string }[];
    redis.process.kill('SIGSTOP');
    try {
      const { user } = await t.signIn('inspector');
      let started = Date.now();
      const login = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: 'test-password-123' });
      expect(login.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(4000);

      started = Date.now();
      const retry = await as(t, w.admin.token).post(`/admin/webhook-deliveries/${dead.id}/retry`);
      expect(retry.status).toBe(503);
      expect(retry.body.code).toBe('NOT_READY');
      expect(Date.now() - started).toBeLessThan(5000);
      // Nothing changed: the delivery is still dead, to be retried when Redis answers.
      const [row] = (await t.ds.query(`SELECT status FROM webhook_deliveries WHERE id = $1`, [
        dead.id,
      ])) as { status: string }[];
      expect(row.status).toBe('dead');
    } finally {
      redis.process.kill('SIGCONT');
    }
  });
});

describe('one slow webhook receiver', () => {
  let redis: Awaited<ReturnType<typeof ownRedis>>;
  let t: TestApp;
  let w: LoopWorld;
  const servers: Server[] = [];
  beforeAll(async () => {
    redis = await ownRedis();
    t = await createTestApp({
      REDIS_URL: redis.url,
      APP_ROLE: 'all',
      OUTBOX_POLL_MS: '100',
      WEBHOOK_TIMEOUT_MS: '8000',
      WEBHOOK_PER_UNIT_CONCURRENCY: '2',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    });
    w = await buildLoopWorld(t);
  });
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    await t.close();
    await stop(redis.process, 'SIGKILL');
  });

  it('delays only its own unit: another unit’s delivery goes out while the slow one is still busy', async () => {
    const slow = await receiver(
      () => 200,
      () => 2500,
    );
    const fast = await receiver(() => 200);
    servers.push(slow.server, fast.server);
    await setWebhook(t, w, w.unitA.unitId, slow.url);
    await setWebhook(t, w, w.unitB.unitId, fast.url);
    const [siteB] = (await t.ds.query(
      `INSERT INTO sites (name, kind, default_unit_id) VALUES ('城子大街', '道路', $1) RETURNING id`,
      [w.unitB.unitId],
    )) as { id: string }[];
    const inspector = as(t, w.inspector.token);
    for (let i = 0; i < 8; i++) {
      await inspector
        .post('/tasks', { categoryId: w.categoryId, siteId: w.siteA, description: `慢${i}` })
        .expect(201);
    }
    // Let unit A's deliveries take the worker's slots (all of them, without a per-unit limit).
    await eventually(async () => slow.hits() >= 2, 10_000, 'slow receiver busy');
    const sentAt = Date.now();
    await inspector
      .post('/tasks', { categoryId: w.categoryId, siteId: siteB.id, description: '快' })
      .expect(201);
    await eventually(
      async () => (await deliveriesOf(t, w.unitB.unitId))[0]?.status === 'delivered',
      15_000,
      'unit B delivered',
    );
    expect(Date.now() - sentAt).toBeLessThan(3500);
    // Unit A never had more than its share in flight, and none of its deliveries was lost.
    expect(slow.hits()).toBeLessThan(8);
    await eventually(
      async () =>
        (await deliveriesOf(t, w.unitA.unitId)).filter((d) => d.status === 'delivered').length ===
        8,
      60_000,
      'unit A delivered',
    );
    expect(slow.hits()).toBe(8);
  }, 90_000);
});
