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

/**
 * The counters live in Redis (shared by every API instance, @nest-lab's atomic script). With
 * Redis unreachable the request goes through unthrottled and a warning is logged at most every
 * 30 s: an outage of the limiter must not become an outage of the API.
 */
export class FailOpenThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('Throttling');
  private readonly redisStorage: ThrottlerStorageRedisService;
  private lastWarning = 0;

  constructor(redis: Redis) {
    this.redisStorage = new ThrottlerStorageRedisService(redis);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      return await this.redisStorage.increment(key, ttl, limit, blockDuration, throttlerName);
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
