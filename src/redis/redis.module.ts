import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';

import { REDIS } from './redis.token.js';

export { REDIS };

/**
 * A client that fails fast: with no offline queue and one retry per command, a Redis outage
 * turns into an error at once instead of a request that hangs; a Redis that accepts connections
 * but does not answer (hung) fails each command after a second. Callers decide what to do — the
 * rate limits, which every request passes, let the request through.
 */
export function createFailFastRedis(config: AppConfig): Redis {
  return new Redis(config.redis.url, {
    keyPrefix: `${config.redis.prefix}:`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const client = createFailFastRedis(config);
        // Errors surface on each command; the connection's own errors only mean "reconnecting".
        client.on('error', () => undefined);
        return client;
      },
    },
    ConcurrencyLimiter,
  ],
  exports: [REDIS, ConcurrencyLimiter],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
