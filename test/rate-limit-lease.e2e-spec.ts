import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  FailOpenThrottlerStorage,
  leaseSize,
} from '../src/throttling/fail-open-throttler.storage.js';
import { freePort } from './support/processes.js';
import { runId } from './support/test-db.js';

/**
 * The rate limiter's leases, against the real Redis: a caller's hits taken ahead and spent in
 * the process without a round trip, never more than the limit across instances, one lease at a
 * time per caller, a blocked caller asked about on every request, the window's end respected.
 */
describe('rate-limit leases (FailOpenThrottlerStorage on Redis)', () => {
  const WINDOW_MS = 60_000;
  let redis: Redis;
  let calls: string[];

  /** A storage as one API instance has it; `clock` moves its time (Redis keeps its own). */
  const instance = (clock: { ms: number } = { ms: Date.now() }) =>
    new FailOpenThrottlerStorage(redis, () => clock.ms);
  /** A fresh caller key for each test. */
  const caller = () => `user:${randomBytes(6).toString('hex')}`;
  const hit = (s: FailOpenThrottlerStorage, key: string, limit: number) =>
    s.increment(key, WINDOW_MS, limit, WINDOW_MS, 'default');
  const counted = async (key: string): Promise<number> =>
    Number(await redis.get(`{${key}:default}:hits`));

  beforeAll(async () => {
    redis = new Redis('redis://127.0.0.1:6379', { keyPrefix: `cct:${runId()}:lease:` });
    // Connected first: a command sent while connecting passes sendCommand twice.
    await redis.ping();
    const send = redis.sendCommand.bind(redis);
    redis.sendCommand = ((command: { name: string }, ...rest: unknown[]) => {
      calls.push(command.name);
      return (send as (...a: unknown[]) => unknown)(command, ...rest);
    }) as typeof redis.sendCommand;
  });
  beforeEach(() => {
    calls = [];
  });
  afterAll(() => redis.quit());

  it('takes a twentieth of the limit at once (1 to 100), one hit at a time under 40', () => {
    expect([5, 10, 39, 40, 1200, 1999, 2000, 1_000_000].map(leaseSize)).toEqual([
      1, 1, 1, 2, 60, 99, 100, 100,
    ]);
  });

  it('spends a lease without Redis, counting the hits as it goes, then takes the next', async () => {
    const s = instance();
    const key = caller();
    const seen: number[] = [];
    for (let i = 0; i < 60; i++) seen.push((await hit(s, key, 1200)).totalHits);
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(calls.filter((c) => c === 'evalsha' || c === 'eval')).toHaveLength(1);
    expect(await counted(key)).toBe(60);
    const next = await hit(s, key, 1200);
    expect(next.totalHits).toBe(61);
    expect(next.isBlocked).toBe(false);
    expect(next.timeToExpire).toBeGreaterThan(0);
    expect(next.timeToExpire).toBeLessThanOrEqual(60);
    expect(calls.filter((c) => c === 'evalsha' || c === 'eval')).toHaveLength(2);
    expect(await counted(key)).toBe(120);
  });

  it('never lets a caller past the limit across instances, and blocks it on every one', async () => {
    const a = instance();
    const b = instance();
    const key = caller();
    const limit = 100; // leases of 5
    let passed = 0;
    for (let i = 0; i < 150; i++) {
      const r = await hit(i % 3 === 0 ? b : a, key, limit);
      if (!r.isBlocked) passed += 1;
    }
    // What one instance still holds is lost to the caller, never added to the limit.
    expect(passed).toBeLessThanOrEqual(limit);
    expect(passed).toBeGreaterThanOrEqual(limit - 2 * (leaseSize(limit) - 1));
    expect(await redis.exists(`{${key}:default}:blocked`)).toBe(1);
    const blockedA = await hit(a, key, limit);
    const blockedB = await hit(b, key, limit);
    expect([blockedA.isBlocked, blockedB.isBlocked]).toEqual([true, true]);
    expect(blockedA.timeToBlockExpire).toBeGreaterThan(0);
  });

  it('takes only what the limit leaves, and refuses the hit after it', async () => {
    const s = instance();
    const key = caller();
    // Another instance has taken 97 of 100.
    await redis.set(`{${key}:default}:hits`, 97, 'PX', WINDOW_MS);
    const first = await hit(s, key, 100);
    expect(first).toMatchObject({ totalHits: 98, isBlocked: false });
    expect(await counted(key)).toBe(100);
    expect((await hit(s, key, 100)).isBlocked).toBe(false);
    expect((await hit(s, key, 100)).isBlocked).toBe(false);
    const over = await hit(s, key, 100);
    expect(over.isBlocked).toBe(true);
    expect(await counted(key)).toBe(101);
  });

  it('takes no lease for a blocked caller, even once its window has run out', async () => {
    const s = instance();
    const key = caller();
    const limit = 40; // leases of 2
    const short = (n = limit) => s.increment(key, 300, n, 60_000, 'default');
    for (let i = 0; i < limit; i++) expect((await short()).isBlocked).toBe(false);
    expect((await short()).isBlocked).toBe(true);
    // The window (300 ms) runs out, the block (60 s) does not.
    await new Promise((r) => setTimeout(r, 400));
    calls = [];
    expect((await short()).isBlocked).toBe(true);
    expect((await short()).isBlocked).toBe(true);
    expect(calls.filter((c) => c === 'evalsha' || c === 'eval')).toHaveLength(2);
  });

  it('lets concurrent requests of one caller share one lease', async () => {
    const s = instance();
    const key = caller();
    const results = await Promise.all(Array.from({ length: 10 }, () => hit(s, key, 1200)));
    expect(calls.filter((c) => c === 'evalsha' || c === 'eval')).toHaveLength(1);
    expect(results.map((r) => r.totalHits).sort((x, y) => x - y)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(await counted(key)).toBe(60);
  });

  it('drops what is left of a lease once its window has ended', async () => {
    const clock = { ms: Date.now() };
    const s = instance(clock);
    const key = caller();
    await hit(s, key, 1200);
    await hit(s, key, 1200);
    expect(calls.filter((c) => c === 'evalsha' || c === 'eval')).toHaveLength(1);
    clock.ms += WINDOW_MS + 1;
    await hit(s, key, 1200);
    expect(calls.filter((c) => c === 'evalsha' || c === 'eval')).toHaveLength(2);
  });

  it('counts each caller apart', async () => {
    const s = instance();
    const [x, y] = [caller(), caller()];
    expect((await hit(s, x, 1200)).totalHits).toBe(1);
    expect((await hit(s, y, 1200)).totalHits).toBe(1);
    expect((await hit(s, x, 1200)).totalHits).toBe(2);
    expect(calls.filter((c) => c === 'evalsha' || c === 'eval')).toHaveLength(2);
  });

  it('lets requests through when Redis is unreachable', async () => {
    const down = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    down.on('error', () => undefined);
    try {
      const r = await new FailOpenThrottlerStorage(down).increment(caller(), 1000, 1, 1000, 'x');
      expect(r).toEqual({ totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 });
    } finally {
      down.disconnect();
    }
  });
});
