import 'reflect-metadata';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { SkipThrottle, Throttle, type ThrottlerStorage } from '@nestjs/throttler';
import { DomainError } from '../common/errors/domain-error.js';
import { AppThrottlerGuard, THROTTLER_SKIP } from './app-throttler.guard.js';

type Increment = Parameters<ThrottlerStorage['increment']>;

/** Counts in memory and remembers every call (the e2e tests count in Redis). */
class RecordingStorage implements ThrottlerStorage {
  readonly calls: Increment[] = [];
  private readonly hits = new Map<string, number>();
  increment(...args: Increment): ReturnType<ThrottlerStorage['increment']> {
    this.calls.push(args);
    const [key, , limit, , name] = args;
    const totalHits = (this.hits.get(`${name}:${key}`) ?? 0) + 1;
    this.hits.set(`${name}:${key}`, totalHits);
    const isBlocked = totalHits > limit;
    return Promise.resolve({
      totalHits,
      timeToExpire: 60,
      isBlocked,
      timeToBlockExpire: isBlocked ? 30 : 0,
    });
  }
}

const loginOnly = (ctx: { getHandler(): unknown }): boolean =>
  (ctx.getHandler() as { name: string }).name !== 'login';

class Routes {
  plain(): void {}
  login(): void {}
  @SkipThrottle()
  health(): void {}
  @Throttle({ default: { limit: 2, ttl: 5000 } })
  strict(): void {}
  @Throttle({ default: { limit: () => 1, ttl: 5000 } })
  dynamic(): void {}
}

describe('AppThrottlerGuard', () => {
  let storage: RecordingStorage;
  let guard: AppThrottlerGuard;
  const headers: Record<string, unknown> = {};
  const call = (route: keyof Routes, principal = { kind: 'user', id: 'u1' }) =>
    guard.canActivate(
      new ExecutionContextHost(
        [
          { principal, ip: '10.0.0.1', headers: {} },
          { header: (k: string, v: unknown) => (headers[k] = v) },
        ],
        Routes,
        Routes.prototype[route],
      ),
    );

  beforeEach(async () => {
    storage = new RecordingStorage();
    guard = new AppThrottlerGuard(
      {
        throttlers: [
          { name: 'default', ttl: 60_000, limit: 100, skipIf: (c) => !loginOnly(c) },
          { name: 'login', ttl: 300_000, limit: 5, blockDuration: 600_000, skipIf: loginOnly },
        ],
      },
      storage,
    );
    await guard.onModuleInit();
  });

  it("reads @SkipThrottle under the library's own key", () => {
    expect(Reflect.getMetadata(`${THROTTLER_SKIP}default`, Routes.prototype.health)).toBe(true);
  });

  it('counts a route against the limits that apply to it, with their settings', async () => {
    await expect(call('plain')).resolves.toBe(true);
    await expect(call('login')).resolves.toBe(true);
    expect(storage.calls.map(([, ttl, limit, block, name]) => [name, ttl, limit, block])).toEqual([
      ['default', 60_000, 100, 60_000],
      ['login', 300_000, 5, 600_000],
    ]);
    // Per caller, hashed: the same key for the same caller on every route.
    expect(storage.calls[0][0]).toMatch(/^default:[\w-]{43}$/);
    await call('plain', { kind: 'user', id: 'u2' });
    expect(storage.calls[2][0]).not.toBe(storage.calls[0][0]);
    await call('strict');
    expect(storage.calls[3][0]).toBe(storage.calls[0][0]);
  });

  it('passes a skipped route without counting', async () => {
    await expect(call('health')).resolves.toBe(true);
    expect(storage.calls).toEqual([]);
  });

  it("uses a route's own @Throttle values and refuses past them", async () => {
    await expect(call('strict')).resolves.toBe(true);
    await expect(call('strict')).resolves.toBe(true);
    await expect(call('strict')).rejects.toBeInstanceOf(DomainError);
    expect(storage.calls.map(([, ttl, limit]) => [ttl, limit])).toEqual([
      [5000, 2],
      [5000, 2],
      [5000, 2],
    ]);
    expect(headers['retry-after']).toBe('30');
  });

  it('resolves a function-valued limit per request (through the library)', async () => {
    await expect(call('dynamic')).resolves.toBe(true);
    await expect(call('dynamic')).rejects.toBeInstanceOf(DomainError);
    expect(storage.calls.map(([, , limit]) => limit)).toEqual([1, 1]);
  });
});
