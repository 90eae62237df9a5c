import { BullModule, InjectQueue } from '@nestjs/bull';
import { Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { Queue } from 'bull';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { runsSchedules } from '../config/env.schema.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { JobsAdminController } from './jobs-admin.controller.js';
import { JobsStatsService } from './jobs-stats.service.js';
import { JobQueue } from './job-queue.js';
import { JobRegistry } from './job-registry.js';
import { JobWorker } from './job-worker.js';
import { MaintenanceJobs } from './maintenance.job.js';
import { OutboxRelay } from './outbox-relay.service.js';
import {
  ALL_QUEUES,
  MAINTENANCE_QUEUE,
  NOTIFICATIONS_QUEUE,
  REPORTS_QUEUE,
  SCHEDULES_QUEUE,
  WEBHOOK_BACKOFF,
  WEBHOOKS_QUEUE,
  webhookBackoffMs,
} from './queues.js';
import { ReportJobs } from './report-jobs.service.js';
import { JobScheduler } from './scheduler.js';
import { LostJobsSweeper } from './lost-jobs.sweeper.js';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * bull on the shared Redis, and the only module that knows it. Every process can enqueue
 * (JobQueue, ReportJobs); only `worker` and `all` processes run the outbox relay, the jobs
 * (JobWorker) and fire the schedules (JobScheduler: crons of @nestjs/schedule, which queue the
 * jobs bull runs), so API processes never run jobs and the API never waits on Redis (it writes
 * outbox rows in Postgres). The one enqueue an API request does
 * itself (a long 快报, through ReportJobs) checks Redis first and works inline when it is down.
 *
 * The jobs' handlers live in their features (`@OnJob` in src/notifications/jobs,
 * src/reports/jobs …) and are found by the JobRegistry through Nest's discovery: the
 * dependency runs one way, features → jobs, and a job of the map (job-payloads.ts) without
 * exactly one handler stops the process at start, whatever its role.
 */

/**
 * bull's three connections. The command client gets a timeout, so that a hung Redis (accepting
 * connections, answering nothing) fails an enqueue in two seconds instead of holding the request;
 * the blocking and subscriber clients wait by design and get bull's required settings instead.
 */
function bullRedis(config: AppConfig, type: 'client' | 'subscriber' | 'bclient'): Redis {
  const options: RedisOptions =
    type === 'client'
      ? { commandTimeout: 2000, connectTimeout: 2000 }
      : { maxRetriesPerRequest: null, enableReadyCheck: false };
  return new Redis(config.redis.url, options);
}

@Module({})
export class JobsModule implements OnModuleInit {
  private readonly logger = new Logger('Jobs');
  private readonly queues: Queue[];

  constructor(
    @InjectQueue(MAINTENANCE_QUEUE) maintenance: Queue,
    @InjectQueue(NOTIFICATIONS_QUEUE) notifications: Queue,
    @InjectQueue(WEBHOOKS_QUEUE) webhooks: Queue,
    @InjectQueue(SCHEDULES_QUEUE) schedules: Queue,
    @InjectQueue(REPORTS_QUEUE) reports: Queue,
  ) {
    this.queues = [maintenance, notifications, webhooks, schedules, reports];
  }

  static forRoot(config: AppConfig): DynamicModule {
    const runsJobs = runsSchedules(config.role);
    return {
      module: JobsModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => ({
            prefix: `${c.redis.prefix}:bull`,
            createClient: (type: 'client' | 'subscriber' | 'bclient') => bullRedis(c, type),
            settings: {
              // A worker that dies mid-job loses its lock after this long; the job then runs again.
              lockDuration: c.jobs.stalledIntervalMs,
              stalledInterval: c.jobs.stalledIntervalMs,
              maxStalledCount: 3,
              backoffStrategies: {
                [WEBHOOK_BACKOFF]: (attemptsMade: number) => webhookBackoffMs(attemptsMade, c.jobs),
              },
            },
          }),
        }),
        BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
        DiscoveryModule,
        // For the admin routes' webhook deliveries (JobsAdminController), not for handlers.
        NotificationsModule,
      ],
      controllers: [JobsAdminController],
      providers: [
        JobsStatsService,
        JobQueue,
        JobRegistry,
        ReportJobs,
        MaintenanceJobs,
        // In every role, for readiness; it fires the schedules only where the role does.
        JobScheduler,
        ...(runsJobs ? [JobWorker, OutboxRelay, LostJobsSweeper] : []),
      ],
      exports: [BullModule, JobsStatsService, JobQueue, JobScheduler, ReportJobs],
    };
  }

  /**
   * A queue emits 'error' when Redis is unreachable; with no listener Node would throw it and
   * end the process. Redis being down is an expected state (readiness reports it), so log it.
   */
  onModuleInit(): void {
    for (const queue of this.queues) {
      queue.on('error', (e: Error) => this.logger.warn(`queue ${queue.name}: ${e.message}`));
    }
  }
}
