import { Controller, Get, Inject } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { sql } from 'kysely';
import { dbOf } from '../database/kysely.js';
import { SkipThrottle } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { Public } from '../common/auth/principal.js';
import { JobScheduler } from '../jobs/scheduler.js';
import { withTimeout } from '../jobs/with-timeout.js';
import { REDIS } from '../redis/redis.module.js';

const CHECK_TIMEOUT_MS = 1500;

/** What terminus answers for a check of nothing; built once (speed, issue 15). */
const ALIVE: HealthCheckResult = Object.freeze({ status: 'ok', info: {}, error: {}, details: {} });

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
    private readonly schedules: JobScheduler,
  ) {}

  /**
   * The process is up. Depends on nothing, so a database outage never restarts the pods; answers
   * terminus's body for no checks without running its executor (probes call this often).
   */
  @Get()
  @ApiOperation({
    summary: '存活检查',
    description: '公开接口，无需凭证。进程在运行即答 200，不依赖数据库和 Redis。只读。',
  })
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Alive' })
  live(): HealthCheckResult {
    return ALIVE;
  }

  /**
   * Postgres and Redis both answer; 503 otherwise. Anonymous callers learn only up or down per
   * dependency: queue depths and the outbox backlog are in `/metrics` and the admin jobs page.
   */
  @Get('ready')
  @ApiOperation({
    summary: '就绪检查',
    description:
      '公开接口，无需凭证。PostgreSQL 和 Redis 各答 up 或 down，任一 down 答 503（运行定时任务的进程还检查 schedules）。不含队列深度等细节：见 /metrics 和 GET /api/v1/admin/jobs。只读。',
  })
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Ready to serve' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; `checks` says which' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.upOrDown('database', () => sql`SELECT 1`.execute(dbOf(this.ds.manager))),
      () =>
        this.upOrDown('redis', async () => {
          if ((await this.redis.ping()) !== 'PONG') throw new Error('unexpected reply');
        }),
      // A process that fires the schedules is not ready while one of its crons is not registered
      // and running (before start-up ends, once shutdown begins). API-only processes fire none and
      // do not check: the workers' schedules are not the API's readiness.
      ...(this.schedules.firesHere
        ? [
            () =>
              this.upOrDown('schedules', async () => {
                if (this.schedules.missingSchedules().length) throw new Error('missing');
              }),
          ]
        : []),
    ]);
  }

  private async upOrDown(
    name: string,
    probe: () => Promise<unknown>,
  ): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(name);
    try {
      await withTimeout(probe(), CHECK_TIMEOUT_MS);
      return indicator.up();
    } catch {
      return indicator.down();
    }
  }
}
