import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.module.js';

export interface RateLimitResult {
  hits: number;
  blocked: boolean;
  /** Seconds until the caller may try again (when blocked). */
  retryAfterSeconds: number;
}

// Counts hits in a fixed window and blocks for the window once over the limit, atomically,
// so that every API instance sees the same count.
const SCRIPT = `
local hitKey = KEYS[1]
local blockKey = KEYS[2]
local windowMs = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local blockTtl = redis.call('PTTL', blockKey)
if blockTtl > 0 then
  return {tonumber(redis.call('GET', hitKey) or '0'), 1, blockTtl}
end
local hits = redis.call('INCR', hitKey)
if hits == 1 then redis.call('PEXPIRE', hitKey, windowMs) end
if hits > limit then
  redis.call('SET', blockKey, '1', 'PX', windowMs)
  return {hits, 1, windowMs}
end
return {hits, 0, 0}
`;

/**
 * Rate-limit counters in Redis, shared by every instance. Written here rather than taken from
 * @nestjs/throttler: its 6.x release is CommonJS requiring the ESM-only Nest 12, which jest on
 * Node 20 cannot load (see README). With Redis down it lets the request through and logs, so
 * logins keep working during an outage, unthrottled.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const base = `ratelimit:${key}`;
    try {
      const [hits, blocked, ttl] = (await this.redis.eval(
        SCRIPT,
        2,
        `${base}:hits`,
        `${base}:block`,
        windowSeconds * 1000,
        limit,
      )) as [number, number, number];
      return { hits, blocked: blocked === 1, retryAfterSeconds: Math.ceil(ttl / 1000) };
    } catch (e) {
      this.logger.warn(`rate limit not enforced, Redis unavailable: ${(e as Error).message}`);
      return { hits: 0, blocked: false, retryAfterSeconds: 0 };
    }
  }
}
