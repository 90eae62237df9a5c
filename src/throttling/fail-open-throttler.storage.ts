import { Logger } from '@nestjs/common';
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
const INCREMENT = 'throttlerLease';

/**
 * The counting script: @nest-lab/throttler-storage-redis's (count the hit, start the window, block
 * past the limit for `blockDuration`, start again once a block has run out), taking up to `want`
 * hits at once while they fit under the limit and the caller is not blocked — a lease. A lease
 * never takes more than the limit leaves, so the count in Redis never passes the limit without a
 * block. Answers `[totalHits, msToExpire, isBlocked 0|1, msToBlockExpire, granted]`.
 */
export const LEASE_SCRIPT = `
local hitKey = KEYS[1]
local blockKey = KEYS[2]
local ttl = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local blockDuration = tonumber(ARGV[4])
local want = tonumber(ARGV[5])
local isBlocked = redis.call('GET', blockKey)
local granted = 1
if want > 1 and not isBlocked then
  local used = tonumber(redis.call('GET', hitKey) or '0')
  if used < limit then granted = math.min(want, limit - used) end
end
local totalHits = redis.call('INCRBY', hitKey, granted)
local timeToExpire = redis.call('PTTL', hitKey)
if timeToExpire <= 0 then
  redis.call('PEXPIRE', hitKey, ttl)
  timeToExpire = ttl
end
local timeToBlockExpire = 0
if isBlocked then
  timeToBlockExpire = redis.call('PTTL', blockKey)
elseif totalHits > limit then
  redis.call('SET', blockKey, 1, 'PX', blockDuration)
  isBlocked = '1'
  timeToBlockExpire = blockDuration
end
if isBlocked and timeToBlockExpire <= 0 then
  redis.call('DEL', blockKey)
  redis.call('SET', hitKey, 1, 'PX', ttl)
  totalHits = 1
  timeToExpire = ttl
  isBlocked = false
  granted = 1
end
return { totalHits, timeToExpire, isBlocked and 1 or 0, timeToBlockExpire, granted }
`;

type WithIncrement = Redis & {
  [INCREMENT](
    hitKey: string,
    blockKey: string,
    throttlerName: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    want: number,
  ): Promise<unknown>;
};

/** Hits one Redis call may take ahead for a caller: a twentieth of the limit, 1 to 100. */
export function leaseSize(limit: number): number {
  return Math.min(100, Math.max(1, Math.floor(limit / 20)));
}

/** Hits taken ahead for one caller and limit, spent here until the window ends. */
interface Bucket {
  left: number;
  /** The count in Redis when they were taken (this process's and every other's). */
  counted: number;
  windowEndsAt: number;
}

/**
 * The counters live in Redis (shared by every API instance). A request that finds none of its
 * caller's hits taken ahead here asks Redis for a lease — its own hit and up to `leaseSize(limit)
 * − 1` more, as far as the limit allows — and the next requests of that caller spend them here
 * without a round trip until they run out or the window ends (speed, issue 15: the round trip
 * was about half of what a trivial authenticated request cost — `GET /me` served twice as many
 * requests a second without it — and the one I/O on the path of every request).
 * The count in Redis is what was handed out, so no caller ever gets more than the limit across
 * all instances; a caller spread over several instances may be refused up to `leaseSize − 1`
 * hits per other instance early. A limit under 40 takes one hit at a time (the login limit, the
 * tests'), exactly as before. A blocked caller asks Redis on every request. Concurrent requests
 * of one caller wait for one lease rather than each taking one.
 *
 * The script is sent once and then called by its SHA (ioredis `defineCommand`: EVALSHA, and EVAL
 * again after a NOSCRIPT — a Redis restart or SCRIPT FLUSH). With Redis unreachable the request
 * goes through unthrottled and a warning is logged at most every 30 s: an outage of the limiter
 * must not become an outage of the API.
 */
export class FailOpenThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('Throttling');
  private readonly redis: WithIncrement;
  private readonly buckets = new Map<string, Bucket>();
  private readonly leasing = new Map<string, Promise<ThrottlerStorageRecord>>();
  private lastWarning = 0;

  constructor(
    redis: Redis,
    private readonly now: () => number = Date.now,
    /** Callers whose leases are kept at most; then the store starts again. */
    private readonly maxCallers = 10_000,
  ) {
    if (!(INCREMENT in redis))
      redis.defineCommand(INCREMENT, { numberOfKeys: 2, lua: LEASE_SCRIPT });
    this.redis = redis as WithIncrement;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const id = `{${key}:${throttlerName}}`;
    // One lease in flight per caller: the others wait for it and spend from it in turn.
    for (;;) {
      const spent = this.spend(id);
      if (spent) return spent;
      const pending = this.leasing.get(id);
      if (!pending) break;
      await pending;
    }
    const lease = this.lease(id, ttl, limit, blockDuration, throttlerName);
    this.leasing.set(id, lease);
    try {
      return await lease;
    } finally {
      // Nobody else leases for this caller meanwhile (the loop above), so the entry is this one.
      this.leasing.delete(id);
    }
  }

  /** One hit from the caller's lease here, if one is left in its window. */
  private spend(id: string): ThrottlerStorageRecord | undefined {
    const bucket = this.buckets.get(id);
    if (!bucket) return undefined;
    const now = this.now();
    if (bucket.left <= 0 || now >= bucket.windowEndsAt) {
      this.buckets.delete(id);
      return undefined;
    }
    bucket.left -= 1;
    return {
      // A lease never passes the limit, so neither does this.
      totalHits: bucket.counted - bucket.left,
      timeToExpire: Math.ceil((bucket.windowEndsAt - now) / 1000),
      isBlocked: false,
      timeToBlockExpire: 0,
    };
  }

  private async lease(
    id: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    let answer: LeaseAnswer;
    try {
      const results = await this.redis[INCREMENT](
        `${id}:hits`,
        `${id}:blocked`,
        throttlerName,
        ttl,
        limit,
        blockDuration,
        leaseSize(limit),
      );
      answer = answerOf(results);
    } catch (e) {
      const now = this.now();
      if (now - this.lastWarning > WARN_EVERY_MS) {
        this.lastWarning = now;
        this.logger.warn(`rate limits not enforced, Redis unavailable: ${(e as Error).message}`);
      }
      return PASS;
    }
    const [totalHits, msToExpire, isBlocked, msToBlockExpire, granted] = answer;
    // The script grants more than one only to a caller it did not block.
    if (granted > 1) {
      if (this.buckets.size >= this.maxCallers) this.buckets.clear();
      // This request takes one; the rest wait here for the caller's next requests.
      this.buckets.set(id, {
        left: granted - 1,
        counted: totalHits,
        windowEndsAt: this.now() + msToExpire,
      });
    }
    return {
      totalHits: totalHits - (granted - 1),
      timeToExpire: Math.ceil(msToExpire / 1000),
      isBlocked: isBlocked === 1,
      timeToBlockExpire: Math.ceil(msToBlockExpire / 1000),
    };
  }
}

type LeaseAnswer = [number, number, number, number, number];

/** The script's answer, checked. */
function answerOf(results: unknown): LeaseAnswer {
  if (!Array.isArray(results) || results.length !== 5 || results.some((n) => typeof n !== 'number'))
    throw new TypeError(`unexpected answer of the rate-limit script: ${String(results)}`);
  return results as LeaseAnswer;
}
