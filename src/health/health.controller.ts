import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { Public } from '../common/auth/principal.js';
import { JobsStatsService } from '../jobs/jobs-stats.service.js';
import { REDIS } from '../redis/redis.module.js';

const CHECK_TIMEOUT_MS = 1500;

/** Liveness and readiness for the orchestrator; public, no credentials. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly jobs: JobsStatsService,
  ) {}

  /** The process is up. Depends on nothing, so a database outage never restarts the pods. */
  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Alive' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Postgres and Redis both answer; 503 otherwise, with which one failed. The details also show
   * the outbox backlog and queue depths (informational: a backlog alone does not fail readiness).
   */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Ready to serve' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; `details` says which' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
      () =>
        this.indicators
          .check('redis')
          .attempt(async () => {
            const pong = await this.redis.ping();
            if (pong !== 'PONG') throw new Error(`unexpected reply ${pong}`);
          })
          .withTimeout(CHECK_TIMEOUT_MS),
      () =>
        this.indicators
          .check('jobs')
          .attempt(async () => ({
            outbox: await this.jobs.outbox(),
            queues: await this.jobs.queues(),
          }))
          .withTimeout(CHECK_TIMEOUT_MS),
    ]);
  }
}
