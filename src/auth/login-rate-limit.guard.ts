import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * Limits login attempts per client address and username, so that one user's typos never lock
 * out a whole office behind one NAT address, while guessing one account's password stays slow.
 */
@Injectable()
export class LoginRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const body = req.body as { username?: unknown } | undefined;
    const username =
      typeof body?.username === 'string' ? body.username.trim().toLowerCase().slice(0, 64) : '';
    const { loginRateLimit, loginRateWindowSeconds } = this.config.auth;
    const result = await this.limiter.hit(
      `login:${req.ip}|${username}`,
      loginRateLimit,
      loginRateWindowSeconds,
    );
    if (result.blocked) {
      http.getResponse<FastifyReply>().header('retry-after', String(result.retryAfterSeconds));
      throw new DomainError(
        'rate_limited',
        CommonErrorCode.RATE_LIMITED,
        `登录尝试过于频繁，请 ${result.retryAfterSeconds} 秒后再试`,
      );
    }
    return true;
  }
}
