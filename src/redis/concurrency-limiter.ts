import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { REDIS } from './redis.token.js';

/**
 * A counting semaphore in Redis, shared by every process: in a `pool`, at most `perCaller` holders
 * per caller and `total` in all at once (heavy routes per caller; webhook deliveries per unit). Each holder is a member of two sorted sets
 * scored by its start time; a holder older than the lease (a process that died mid-export) stops
 * counting, so a crash never leaks a slot for good.
 */
const ACQUIRE = `
local now = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - lease)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - lease)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 1 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 2 end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('ZADD', KEYS[2], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], lease)
redis.call('PEXPIRE', KEYS[2], lease)
return 0
`;

export type Acquired =
  { ok: true; release: () => Promise<void> } | { ok: false; busy: 'caller' | 'everyone' };

export interface ConcurrencyLimits {
  perCaller: number;
  total: number;
  leaseMs: number;
}

@Injectable()
export class ConcurrencyLimiter {
  private readonly logger = new Logger('ConcurrencyLimiter');

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async acquire(pool: string, caller: string, limits: ConcurrencyLimits): Promise<Acquired> {
    const token = randomUUID();
    const callerKey = `sem:${pool}:caller:${caller}`;
    const totalKey = `sem:${pool}:all`;
    let result: number;
    try {
      result = (await this.redis.eval(
        ACQUIRE,
        2,
        callerKey,
        totalKey,
        Date.now(),
        limits.leaseMs,
        limits.perCaller,
        limits.total,
        token,
      )) as number;
    } catch (e) {
      // Fail open, as the rate limits do: Redis down must not stop the office's exports.
      this.logger.warn(`concurrency not limited, Redis unavailable: ${(e as Error).message}`);
      return { ok: true, release: () => Promise.resolve() };
    }
    if (result === 1) return { ok: false, busy: 'caller' };
    if (result === 2) return { ok: false, busy: 'everyone' };
    return {
      ok: true,
      release: async () => {
        await this.redis
          .multi()
          .zrem(callerKey, token)
          .zrem(totalKey, token)
          .exec()
          .catch(() => undefined);
      },
    };
  }
}
