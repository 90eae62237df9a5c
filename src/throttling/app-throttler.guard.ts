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

/**
 * @nestjs/throttler's metadata key of `@SkipThrottle()` (+ the limit's name); not exported by it
 * (its `throttler.constants`; `app-throttler.guard.spec.ts` checks it).
 */
export const THROTTLER_SKIP = 'THROTTLER:SKIP';
const PASSED = Promise.resolve(true);
/** Callers whose key is remembered at most; then the memo starts again. */
const MAX_KEYS = 10_000;

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
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
  ) {
    super(options, storage, new RouteMetadata());
  }

  /** Redis key part per caller (a SHA-256 per request was ~10 µs of a trivial route). */
  private readonly keys = new Map<string, string>();
  /** Per limit (in `throttlers`' order), its skip key: built once, a key concatenated anew costs ~0.4 µs a look-up. */
  private skipKeys: string[] = [];

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.skipKeys = this.throttlers.map((t) => THROTTLER_SKIP + t.name);
  }

  /**
   * Routes no limit applies to (`@SkipThrottle()` and the login limit elsewhere than login:
   * /health, /metrics) pass without the library's per-limit walk; the others go through it.
   */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const skipsAll = this.throttlers.every(
      (t, i) =>
        // Truthy, as the library reads both.
        !!this.reflector.getAllAndOverride<boolean>(this.skipKeys[i], targets) ||
        !!(t.skipIf ?? this.commonOptions.skipIf)?.(context),
    );
    return skipsAll ? PASSED : super.canActivate(context);
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(callerOf(req as unknown as FastifyRequest & RequestWithPrincipal));
  }

  protected override generateKey(_: ExecutionContext, tracker: string, name: string): string {
    let hash = this.keys.get(tracker);
    if (hash === undefined) {
      if (this.keys.size >= MAX_KEYS) this.keys.clear();
      this.keys.set(tracker, (hash = hashed(tracker)));
    }
    return `${name}:${hash}`;
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
