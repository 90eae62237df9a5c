import { Injectable, type ExecutionContext } from '@nestjs/common';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type { RequestWithPrincipal } from '../common/auth/principal.js';
import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';
import { RouteMetadata } from '../common/http/route-metadata.js';

export const API_THROTTLER = 'default';
export const LOGIN_THROTTLER = 'login';

const hashed = (s: string): string => createHash('sha256').update(s).digest('base64url');

/** Who a request counts against: the signed-in user or API key, else the client address. */
export function callerOf(req: FastifyRequest & RequestWithPrincipal): string {
  const p = req.principal;
  return p ? `${p.kind}:${p.id}` : `ip:${req.ip}`;
}

/** Login attempts count per address and username (see `LoginThrottled`). */
export function loginCallerOf(req: FastifyRequest): string {
  const body = req.body as { username?: unknown } | undefined;
  const username =
    typeof body?.username === 'string' ? body.username.trim().toLowerCase().slice(0, 64) : '';
  return `${req.ip}|${username}`;
}

/**
 * @nestjs/throttler with our keys and errors. Runs after the auth guard (registered after it), so
 * a signed-in caller is counted as itself on every route together, not per route and not per
 * address — one office behind one NAT address shares nothing; an anonymous caller counts per
 * address. A blocked request gets the usual problem body with `RATE_LIMITED` and `Retry-After`.
 */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  // The guard reads six settings per named limit and route on every request (skip, limit, ttl,
  // block duration, tracker, key): read once per route instead (RouteMetadata).
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
  ) {
    super(options, storage, new RouteMetadata());
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(callerOf(req as unknown as FastifyRequest & RequestWithPrincipal));
  }

  protected override generateKey(_: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${hashed(tracker)}`;
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(seconds));
    const login = detail.key.startsWith(`${LOGIN_THROTTLER}:`);
    throw new DomainError(
      'rate_limited',
      CommonErrorCode.RATE_LIMITED,
      login ? `登录尝试过于频繁，请 ${seconds} 秒后再试` : `请求过于频繁，请 ${seconds} 秒后再试`,
      { retryAfterSeconds: seconds },
    );
  }
}
