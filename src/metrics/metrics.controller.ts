import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '../common/auth/principal.js';
import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MetricsService } from './metrics.service.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Prometheus scrape endpoint, outside `/api/v1` and the OpenAPI document. Not public: the scraper
 * sends `Authorization: Bearer $METRICS_TOKEN`; without a configured token the route is off (404).
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const token = this.config.metrics.token;
    if (!token)
      throw new DomainError('not_found', CommonErrorCode.ROUTE_NOT_FOUND, '未启用指标接口');
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(given), digest(token))) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new DomainError('unauthenticated', CommonErrorCode.UNAUTHENTICATED, '指标接口需要令牌');
    }
    await reply.type(this.metrics.contentType()).send(await this.metrics.render());
  }
}
