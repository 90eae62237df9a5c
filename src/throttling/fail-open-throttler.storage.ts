import { Logger } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const PASS: ThrottlerStorageRecord = {
  totalHits: 0,
  timeToExpire: 0,
  isBlocked: false,
  timeToBlockExpire: 0,
};
const WARN_EVERY_MS = 30_000;

/** The script's name as an ioredis command on the shared client. */
const INCREMENT = 'throttlerIncrement';

type WithIncrement = Redis & {
  [INCREMENT](
    hitKey: string,
    blockKey: string,
    throttlerName: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<unknown>;
};

/**
 * The counters live in Redis (shared by every API instance), counted by @nest-lab's atomic script
 * with its keys and answers. The script is sent once and then called by its SHA (ioredis
 * `defineCommand`: EVALSHA, and EVAL again after a NOSCRIPT — a Redis restart or SCRIPT FLUSH)
 * instead of with its ~900 bytes on every request as the library does (speed, issue 15: Redis
 * hashes the whole text on each EVAL). With Redis unreachable the request goes through
 * unthrottled and a warning is logged at most every 30 s: an outage of the limiter must not
 * become an outage of the API.
 */
export class FailOpenThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('Throttling');
  private readonly redis: WithIncrement;
  private lastWarning = 0;

  constructor(redis: Redis) {
    if (!(INCREMENT in redis)) {
      // The library's own script text (getScriptSrc reads nothing of the instance).
      const lua = ThrottlerStorageRedisService.prototype.getScriptSrc.call(undefined);
      redis.defineCommand(INCREMENT, { numberOfKeys: 2, lua });
    }
    this.redis = redis as WithIncrement;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const results = await this.redis[INCREMENT](
        `{${key}:${throttlerName}}:hits`,
        `{${key}:${throttlerName}}:blocked`,
        throttlerName,
        ttl,
        limit,
        blockDuration,
      );
      return recordOf(results);
    } catch (e) {
      const now = Date.now();
      if (now - this.lastWarning > WARN_EVERY_MS) {
        this.lastWarning = now;
        this.logger.warn(`rate limits not enforced, Redis unavailable: ${(e as Error).message}`);
      }
      return PASS;
    }
  }
}

/** The script's answer `[totalHits, msToExpire, isBlocked 0|1, msToBlockExpire]`, as the library reads it. */
function recordOf(results: unknown): ThrottlerStorageRecord {
  if (!Array.isArray(results) || results.length !== 4 || results.some((n) => typeof n !== 'number'))
    throw new TypeError(`unexpected answer of the rate-limit script: ${String(results)}`);
  const [totalHits, timeToExpire, isBlocked, timeToBlockExpire] = results as number[];
  return {
    totalHits,
    timeToExpire: Math.ceil(timeToExpire / 1000),
    isBlocked: isBlocked === 1,
    timeToBlockExpire: Math.ceil(timeToBlockExpire / 1000),
  };
}
