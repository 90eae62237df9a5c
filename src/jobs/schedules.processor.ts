import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EscalationService } from '../notifications/escalation.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { SCHEDULES_QUEUE, ScheduleJob } from './queues.js';
import { ensureRepeatable } from './repeatable.js';

/**
 * Scheduled work as bull repeatable jobs: bull creates one job per period whatever the number of
 * workers, and each handler is idempotent besides, so a period runs once.
 */
@Processor(SCHEDULES_QUEUE)
export class SchedulesProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('Schedules');

  constructor(
    @InjectQueue(SCHEDULES_QUEUE) private readonly queue: Queue,
    private readonly escalation: EscalationService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.queue
      .isReady()
      .then(async () => {
        await ensureRepeatable(
          this.queue,
          ScheduleJob.DEADLINE_SCAN,
          this.config.jobs.deadlineScanCron,
        );
        await ensureRepeatable(
          this.queue,
          ScheduleJob.OVERDUE_SUMMARY,
          this.config.jobs.overdueSummaryCron,
        );
      })
      .catch((e: unknown) =>
        this.logger.warn(`could not register schedules: ${(e as Error).message}`),
      );
  }

  @Process(ScheduleJob.DEADLINE_SCAN)
  async deadlineScan(): Promise<{ escalated: number }> {
    return { escalated: await this.escalation.scan(this.clock.now()) };
  }

  @Process(ScheduleJob.OVERDUE_SUMMARY)
  async overdueSummary(): Promise<{ notified: number }> {
    return { notified: await this.notifications.overdueSummary(this.clock.now()) };
  }
}
