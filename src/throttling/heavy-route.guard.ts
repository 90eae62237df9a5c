import {
  applyDecorators,
  Inject,
  Injectable,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestWithPrincipal } from '../common/auth/principal.js';
import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { callerOf } from './app-throttler.guard.js';
import { ConcurrencyLimiter } from '../redis/concurrency-limiter.js';

@Injectable()
export class HeavyRouteGuard implements CanActivate {
  constructor(
    private readonly limiter: ConcurrencyLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest & RequestWithPrincipal>();
    const reply = http.getResponse<FastifyReply>();
    const { heavyPerCaller, heavyTotal, heavyLeaseSeconds, heavyRetryAfterSeconds } =
      this.config.throttling;
    const slot = await this.limiter.acquire('heavy', callerOf(req), {
      perCaller: heavyPerCaller,
      total: heavyTotal,
      leaseMs: heavyLeaseSeconds * 1000,
    });
    if (!slot.ok) {
      reply.header('retry-after', String(heavyRetryAfterSeconds));
      throw new DomainError(
        'rate_limited',
        CommonErrorCode.TOO_MANY_CONCURRENT,
        slot.busy === 'caller'
          ? `您已有 ${heavyPerCaller} 个同类请求正在处理，请稍后再试`
          : '系统正在处理较多的导出和统计请求，请稍后再试',
        { retryAfterSeconds: heavyRetryAfterSeconds },
      );
    }
    // 'close' fires when the response has been sent, streamed bodies included, or the client left.
    // A client that left while the slot was being taken has already closed the response, and a
    // listener added now would never run: the slot would stay taken for the whole lease (15 min).
    if (reply.raw.closed) void slot.release();
    else reply.raw.once('close', () => void slot.release());
    return true;
  }
}

/**
 * A heavy route (台账 export, long digests, 快报 generation): besides the general rate limit, a
 * caller may run only a few of these at once and everyone together a few more; the rest get 429
 * with `Retry-After`. All heavy routes share the count.
 */
export const HeavyRoute = (): MethodDecorator => applyDecorators(UseGuards(HeavyRouteGuard));
