import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { REDIS } from '../redis/redis.module.js';
import {
  API_THROTTLER,
  AppThrottlerGuard,
  LOGIN_THROTTLER,
  loginCallerOf,
} from './app-throttler.guard.js';
import { FailOpenThrottlerStorage } from './fail-open-throttler.storage.js';
import { HeavyRouteGuard } from './heavy-route.guard.js';
import { LOGIN_THROTTLED } from './throttling.decorators.js';

/**
 * Limits on what one caller may consume (OWASP API4): a general request rate for every route,
 * the login limit, and concurrency for heavy routes. Import it after AuthModule: its global guard
 * must run after authentication to count a signed-in caller as itself.
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => ({
        storage: new FailOpenThrottlerStorage(redis),
        throttlers: [
          {
            name: API_THROTTLER,
            ttl: config.throttling.windowSeconds * 1000,
            limit: config.throttling.requestsPerWindow,
            // Login has its own, stricter limit below.
            skipIf: (context) => isLoginRoute(context.getHandler()),
          },
          {
            name: LOGIN_THROTTLER,
            ttl: config.auth.loginRateWindowSeconds * 1000,
            limit: config.auth.loginRateLimit,
            setHeaders: false,
            skipIf: (context) => !isLoginRoute(context.getHandler()),
            getTracker: (req) => loginCallerOf(req as FastifyRequest),
          },
        ],
      }),
    }),
  ],
  providers: [HeavyRouteGuard, { provide: APP_GUARD, useClass: AppThrottlerGuard }],
  exports: [HeavyRouteGuard],
})
export class ThrottlingModule {}

/** Per handler, read once: both limits ask on every request (speed, issue 15). */
const loginRoutes = new WeakMap<object, boolean>();

function isLoginRoute(handler: object): boolean {
  let login = loginRoutes.get(handler);
  if (login === undefined) {
    login = Reflect.getMetadata(LOGIN_THROTTLED, handler) === true;
    loginRoutes.set(handler, login);
  }
  return login;
}
