import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
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
  let sent: jest.Spied<Redis['sendCommand']>;
  /** How many times the counting script went to Redis (by SHA, or in full after NOSCRIPT). */
  const scriptCalls = (): number =>
    sent.mock.calls.filter(([c]) => ['evalsha', 'eval'].includes((c as { name: string }).name))
      .length;

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
    sent = jest.spyOn(redis, 'sendCommand');
  });
  beforeEach(() => {
    sent.mockClear();
  });
  afterAll(async () => {
    sent.mockRestore();
    await redis.quit();
  });

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
    expect(scriptCalls()).toBe(1);
    expect(await counted(key)).toBe(60);
    const next = await hit(s, key, 1200);
    expect(next.totalHits).toBe(61);
    expect(next.isBlocked).toBe(false);
    expect(next.timeToExpire).toBeGreaterThan(0);
    expect(next.timeToExpire).toBeLessThanOrEqual(60);
    expect(scriptCalls()).toBe(2);
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
    sent.mockClear();
    expect((await short()).isBlocked).toBe(true);
    expect((await short()).isBlocked).toBe(true);
    expect(scriptCalls()).toBe(2);
  });

  it('lets concurrent requests of one caller share one lease', async () => {
    const s = instance();
    const key = caller();
    const results = await Promise.all(Array.from({ length: 10 }, () => hit(s, key, 1200)));
    expect(scriptCalls()).toBe(1);
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
    // Half the window on, a hit from the lease says how long the window has left.
    clock.ms += WINDOW_MS / 2;
    expect((await hit(s, key, 1200)).timeToExpire).toBe(30);
    clock.ms += WINDOW_MS / 2 - 1;
    await hit(s, key, 1200);
    expect(scriptCalls()).toBe(1);
    // The window (a new key's, exactly 60 s) is over: the next hit asks Redis.
    clock.ms += 1;
    await hit(s, key, 1200);
    expect(scriptCalls()).toBe(2);
  });

  it('keeps leases for so many callers, then starts again', async () => {
    const s = new FailOpenThrottlerStorage(redis, Date.now, 2);
    const [x, y, z] = [caller(), caller(), caller()];
    for (const k of [x, y, x, y]) await hit(s, k, 1200);
    expect(scriptCalls()).toBe(2);
    // A third caller's lease drops the two kept: x asks Redis again (and loses its 58 hits).
    await hit(s, z, 1200);
    await hit(s, x, 1200);
    expect(scriptCalls()).toBe(4);
    expect(await counted(x)).toBe(120);
  });

  it('counts each caller apart', async () => {
    const s = instance();
    const [x, y] = [caller(), caller()];
    expect((await hit(s, x, 1200)).totalHits).toBe(1);
    expect((await hit(s, y, 1200)).totalHits).toBe(1);
    expect((await hit(s, x, 1200)).totalHits).toBe(2);
    expect(scriptCalls()).toBe(2);
  });

  const PASS = { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };

  it('lets requests through when Redis is unreachable, and says so every 30 s at most', async () => {
    const down = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    down.on('error', () => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const clock = { ms: Date.now() };
      const s = new FailOpenThrottlerStorage(down, () => clock.ms);
      expect(await s.increment(caller(), 1000, 1, 1000, 'x')).toEqual(PASS);
      clock.ms += 30_000;
      expect(await s.increment(caller(), 1000, 1, 1000, 'x')).toEqual(PASS);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(/^rate limits not enforced, Redis unavailable: /);
      expect((warn.mock.contexts[0] as { context?: string }).context).toBe('Throttling');
      clock.ms += 1;
      expect(await s.increment(caller(), 1000, 1, 1000, 'x')).toEqual(PASS);
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      warn.mockRestore();
      down.disconnect();
    }
  });

  it('lets a request through on an answer of the script it cannot read', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    /** A client whose script answers `answer` (a changed script, a proxy in between). */
    const answering = (answer: unknown) =>
      new FailOpenThrottlerStorage({
        throttlerLease: () => Promise.resolve(answer),
      } as unknown as Redis);
    try {
      for (const answer of [null, 7, [1, 60_000, 0, 0], [1, 60_000, 0, 0, '1'], ['1', 1, 1, 1, 1]])
        expect(await hit(answering(answer), caller(), 1200)).toEqual(PASS);
      expect(warn.mock.calls[0][0]).toMatch(/unexpected answer of the rate-limit script: null/);
      expect(await hit(answering([1, 60_000, 0, 0, 1]), caller(), 1200)).toEqual({
        totalHits: 1,
        timeToExpire: 60,
        isBlocked: false,
        timeToBlockExpire: 0,
      });
    } finally {
      warn.mockRestore();
    }
  });
});
