import { BullModule, InjectQueue } from '@nestjs/bull';
import { Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bull';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { JobsAdminController } from './jobs-admin.controller.js';
import { JobsStatsService } from './jobs-stats.service.js';
import { MaintenanceProcessor } from './maintenance.processor.js';
import { NotificationsProcessor } from './notifications.processor.js';
import { OutboxRelay } from './outbox-relay.service.js';
import {
  ALL_QUEUES,
  MAINTENANCE_QUEUE,
  NOTIFICATIONS_QUEUE,
  REPORTS_QUEUE,
  SCHEDULES_QUEUE,
  WEBHOOKS_QUEUE,
} from './queues.js';
import { ReportJobs } from './report-jobs.service.js';
import { ReportsProcessor } from './reports.processor.js';
import { SchedulesProcessor } from './schedules.processor.js';
import { WebhooksProcessor } from './webhooks.processor.js';

/**
 * bull on the shared Redis. Every process can enqueue; only `worker` and `all` processes run the
 * outbox relay, the processors and the schedules, so API processes never run jobs and the API
 * never waits on Redis (it writes outbox rows in Postgres). The one enqueue an API request does
 * itself (a long 快报, through ReportJobs) checks Redis first and works inline when it is down.
 *
 * The reports queue's processor reaches BulletinsService through ModuleRef rather than by
 * importing ReportsModule, which depends on this module: see ReportsProcessor.
 */
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
    const runsJobs = config.role !== 'api';
    return {
      module: JobsModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => ({
            url: c.redis.url,
            prefix: `${c.redis.prefix}:bull`,
            settings: {
              // A worker that dies mid-job loses its lock after this long; the job then runs again.
              lockDuration: c.jobs.stalledIntervalMs,
              stalledInterval: c.jobs.stalledIntervalMs,
              maxStalledCount: 3,
            },
          }),
        }),
        BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
        NotificationsModule,
      ],
      controllers: [JobsAdminController],
      providers: [
        JobsStatsService,
        ReportJobs,
        ...(runsJobs
          ? [
              MaintenanceProcessor,
              NotificationsProcessor,
              WebhooksProcessor,
              SchedulesProcessor,
              ReportsProcessor,
              OutboxRelay,
            ]
          : []),
      ],
      exports: [BullModule, JobsStatsService, ReportJobs],
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
