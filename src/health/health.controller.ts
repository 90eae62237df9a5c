import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SkipThrottle } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { Public } from '../common/auth/principal.js';
import { REDIS } from '../redis/redis.module.js';

const CHECK_TIMEOUT_MS = 1500;

/** Liveness and readiness for the orchestrator; public, no credentials. */
@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** The process is up. Depends on nothing, so a database outage never restarts the pods. */
  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Alive' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Postgres and Redis both answer; 503 otherwise. Anonymous callers learn only up or down per
   * dependency: queue depths and the outbox backlog are in `/metrics` and the admin jobs page.
   */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Ready to serve' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; `checks` says which' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.upOrDown('database', () => this.ds.query('SELECT 1')),
      () =>
        this.upOrDown('redis', async () => {
          if ((await this.redis.ping()) !== 'PONG') throw new Error('unexpected reply');
        }),
    ]);
  }

  private async upOrDown(
    name: string,
    probe: () => Promise<unknown>,
  ): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(name);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([probe(), timeout]);
      return indicator.up();
    } catch {
      return indicator.down();
    } finally {
      clearTimeout(timer);
    }
  }
}
