import { jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import type { Redis } from 'ioredis';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { REDIS } from '../src/redis/redis.module.js';
import { ConcurrencyLimiter } from '../src/redis/concurrency-limiter.js';
import { MAINTENANCE_QUEUE } from '../src/jobs/queues.js';
import { as } from './support/fixtures.js';
import { ownRedis, stop } from './support/processes.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { runId } from './support/test-db.js';

const statusesOf = async (requests: (() => Promise<{ status: number }>)[]): Promise<number[]> => {
  const out: number[] = [];
  for (const r of requests) out.push((await r()).status);
  return out;
};

describe('general rate limit (per caller, shared by every instance through Redis)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // Two API instances on one Redis prefix, as behind a load balancer.
    const shared = { REDIS_PREFIX: `cct:${runId()}:lim${randomBytes(3).toString('hex')}` };
    a = await createTestApp({
      ...shared,
      RATE_LIMIT_REQUESTS: '5',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
    b = await createTestApp({
      ...shared,
      RATE_LIMIT_REQUESTS: '5',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('counts an anonymous address across both instances and answers 429 with Retry-After', async () => {
    const refresh = (t: TestApp) => () =>
      t.http().post('/api/v1/auth/refresh').send({ refreshToken: 'not-a-token' });
    const statuses = await statusesOf([refresh(a), refresh(b), refresh(a), refresh(b), refresh(a)]);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const blocked = await refresh(b)();
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('RATE_LIMITED');
    expect(blocked.body.detail).toMatch(/请求过于频繁/);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('counts a signed-in caller as itself on all routes together, not per address or per route', async () => {
    const x = await a.signIn('admin');
    const y = await a.signIn('admin');
    const asX = as(a, x.token);
    const statuses = await statusesOf([
      () => asX.get('/me'),
      () => asX.get('/units'),
      () => asX.get('/me'),
      () => asX.get('/categories'),
      () => asX.get('/me'),
    ]);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const blocked = await asX.get('/units');
    expect(blocked.status).toBe(429);
    // Another user behind the same address is not affected.
    await as(a, y.token).get('/me').expect(200);
    // Health probes are never throttled.
    for (let i = 0; i < 8; i++) await a.http().get('/health').expect(200);
  });
});

describe('the counting script once Redis has forgotten it', () => {
  // SCRIPT FLUSH empties the whole server's script cache: on a Redis server of this file's own,
  // not the shared one where the files running beside it keep their queues.
  let redisServer: ChildProcess;
  let a: TestApp;
  beforeAll(async () => {
    const own = await ownRedis();
    redisServer = own.process;
    a = await createTestApp({
      REDIS_URL: own.url,
      RATE_LIMIT_REQUESTS: '5',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
  });
  afterAll(async () => {
    await a.close();
    await stop(redisServer);
  });

  it('sends the counting script by its SHA, and again in full once Redis has forgotten it, counting on', async () => {
    const redis = a.app.get<Redis>(REDIS);
    const z = await a.signIn('inspector');
    const asZ = as(a, z.token);
    const spy = jest.spyOn(redis, 'sendCommand');
    // The limiter's calls: their keys end in `:hits` / `:blocked`.
    const limiterCalls = (): string[] =>
      spy.mock.calls
        .map(([command]) => command as unknown as { name: string; args: unknown[] })
        .filter((c) => c.args.some((x) => String(x).endsWith(':hits')))
        .map((c) => c.name);
    try {
      await asZ.get('/me').expect(200);
      await asZ.get('/me').expect(200);
      expect(limiterCalls()).toEqual(['evalsha', 'evalsha']);
      spy.mockClear();
      await redis.script('FLUSH');
      await asZ.get('/me').expect(200);
      // NOSCRIPT: ioredis sends the text once more (which loads it) and the count goes on.
      expect(limiterCalls()).toEqual(['evalsha', 'eval']);
      await asZ.get('/me').expect(200);
      await asZ.get('/me').expect(200);
      expect((await asZ.get('/me')).status).toBe(429);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('heavy routes: concurrent requests per caller and overall', () => {
  let t: TestApp;
  let limiter: ConcurrencyLimiter;
  let redis: Redis;
  const limits = { perCaller: 1, total: 2, leaseMs: 60_000 };
  beforeAll(async () => {
    t = await createTestApp({
      HEAVY_CONCURRENCY_PER_CALLER: '1',
      HEAVY_CONCURRENCY_TOTAL: '2',
      HEAVY_RETRY_AFTER_SECONDS: '7',
    });
    limiter = t.app.get(ConcurrencyLimiter);
    redis = t.app.get<Redis>(REDIS);
  });
  afterAll(() => t.close());

  it('refuses a second export of one caller while the first runs, and frees the slot when it ends', async () => {
    const office = await t.signIn('admin');
    // The caller's first export is still streaming (held here as the guard would hold it).
    const running = await limiter.acquire('heavy', `user:${office.user.id}`, limits);
    expect(running.ok).toBe(true);
    const refused = await as(t, office.token).get('/tasks/export?format=csv');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('TOO_MANY_CONCURRENT');
    expect(refused.headers['retry-after']).toBe('7');
    // Other routes of the same caller are not heavy and still answer.
    await as(t, office.token).get('/tasks').expect(200);
    if (running.ok) await running.release();

    const done = await as(t, office.token).get('/tasks/export?format=csv');
    expect(done.status).toBe(200);
    // The finished export gave its slot back: nothing of this caller is held.
    expect(await redis.zcard(`sem:heavy:caller:user:${office.user.id}`)).toBe(0);
    expect(await redis.zcard('sem:heavy:all')).toBe(0);
  });

  it('refuses everyone once the overall limit is reached; the digest counts as heavy too', async () => {
    const holders = await Promise.all([
      limiter.acquire('heavy', 'user:someone-else-1', limits),
      limiter.acquire('heavy', 'user:someone-else-2', limits),
    ]);
    expect(holders.every((h) => h.ok)).toBe(true);
    const office = await t.signIn('admin');
    const refused = await as(t, office.token).get('/reports/digest');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('TOO_MANY_CONCURRENT');
    expect(refused.body.detail).toMatch(/系统正在处理较多/);
    for (const h of holders) if (h.ok) await h.release();
    await as(t, office.token).get('/reports/digest').expect(200);
  });

  it('a slot whose holder died is freed after the lease', async () => {
    const short = { perCaller: 1, total: 2, leaseMs: 200 };
    const lost = await limiter.acquire('heavy', 'user:crashed', short);
    expect(lost.ok).toBe(true);
    expect((await limiter.acquire('heavy', 'user:crashed', short)).ok).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    const again = await limiter.acquire('heavy', 'user:crashed', short);
    expect(again.ok).toBe(true);
    if (again.ok) await again.release();
  });
});

describe('GET /metrics', () => {
  const token = `metrics-${randomBytes(12).toString('hex')}`;
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: token, APP_ROLE: 'api' });
  });
  afterAll(() => t.close());

  it('is not public: 401 without or with a wrong token', async () => {
    await t.http().get('/metrics').expect(401);
    await t.http().get('/metrics').set('authorization', 'Bearer wrong').expect(401);
    // Not under the API prefix either.
    expect(
      (await t.http().get('/api/v1/metrics').set('authorization', `Bearer ${token}`)).status,
    ).toBe(404);
  });

  it('has request durations by route template and status, backlog, queues, dead deliveries, pool, lag and memory', async () => {
    const office = await t.signIn('admin');
    await as(t, office.token).get('/me').expect(200);
    await as(t, office.token).get('/units/00000000-0000-4000-8000-000000000000').expect(404);
    // A queued job: delayed, so no worker takes it before the scrape.
    const queue = t.app.get<Queue>(getQueueToken(MAINTENANCE_QUEUE));
    await queue.add(
      'metrics-probe',
      {},
      { delay: 600_000, jobId: `probe-${randomBytes(3).toString('hex')}` },
    );
    await t.ds.query(
      `INSERT INTO outbox (topic, payload, created_at) VALUES ('probe', '{}', now() - interval '90 seconds')`,
    );

    const res = await t.http().get('/metrics').set('authorization', `Bearer ${token}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/me",status="200"\} 1\b/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/units\/:id",status="404"\} 1\b/,
    );
    expect(text).toMatch(/cc_outbox_backlog \d+/);
    expect(Number(/cc_outbox_backlog (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/cc_outbox_oldest_age_seconds (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(89);
    expect(text).toMatch(/cc_queue_jobs\{queue="maintenance",state="delayed"\} 1\b/);
    expect(text).toMatch(/cc_queue_jobs\{queue="webhooks",state="failed"\} 0\b/);
    expect(text).toMatch(/cc_webhook_deliveries_dead 0\b/);
    expect(text).toMatch(/cc_db_pool_connections\{state="in_use"\} \d+/);
    expect(text).toMatch(/cc_db_pool_connections\{state="waiting"\} 0\b/);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds \d/);
    expect(text).toMatch(/process_resident_memory_bytes \d/);
    // Raw ids never become labels (one series per route, not per task).
    expect(text).not.toContain('00000000-0000-4000-8000-000000000000');
  });

  it('is off (404) when no token is configured', async () => {
    const off = await createTestApp({ APP_ROLE: 'api' });
    try {
      await off.http().get('/metrics').expect(404);
    } finally {
      await off.close();
    }
  });
});

describe('GET /health/ready for anonymous callers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ APP_ROLE: 'api' });
  });
  afterAll(() => t.close());

  it('says only up or down per dependency, no queue or backlog details', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.details).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
    expect(JSON.stringify(res.body)).not.toMatch(/outbox|queues|waiting/);
  });
});
