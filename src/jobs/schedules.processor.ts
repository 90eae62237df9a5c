import { InjectQueue, Process, Processor } from '@nestjs/bull';
import {
  Inject,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Queue } from 'bull';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EscalationService } from '../notifications/escalation.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { SCHEDULES_QUEUE, ScheduleJob } from './queues.js';
import { ensureRepeatable, missingSchedules, schedulesOf } from './repeatable.js';

/**
 * Scheduled work as bull repeatable jobs: bull creates one job per period whatever the number of
 * workers, and each handler is idempotent besides, so a period runs once.
 */
@Processor(SCHEDULES_QUEUE)
export class SchedulesProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Schedules');
  private timer?: NodeJS.Timeout;
  private registered = false;

  constructor(
    @InjectQueue(SCHEDULES_QUEUE) private readonly queue: Queue,
    private readonly escalation: EscalationService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Schedules live in Redis only. Registered at start, again each time the connection comes back
   * (a restarted Redis may have come back empty), and checked every SCHEDULE_CHECK_MS besides (a
   * flushed or failed-over Redis does not always drop the connection).
   */
  onApplicationBootstrap(): void {
    this.queue.client.on('ready', () => void this.ensureSchedules());
    this.timer = setInterval(() => void this.ensureSchedules(), this.config.jobs.scheduleCheckMs);
    this.timer.unref();
    void this.queue
      .isReady()
      .then(() => this.ensureSchedules())
      .catch(() => undefined);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Registers the schedules Redis does not hold; returns their names. */
  async ensureSchedules(): Promise<string[]> {
    try {
      const schedules = schedulesOf(this.config.jobs);
      const missing = await missingSchedules(this.queue, schedules);
      for (const s of schedules.filter((x) => missing.includes(x.name))) {
        await ensureRepeatable(this.queue, s.name, s.cron);
      }
      if (missing.length && this.registered) {
        this.logger.warn(
          `schedules were missing from Redis and are registered again: ${missing.join(', ')}`,
        );
      }
      this.registered = true;
      return missing;
    } catch (e) {
      this.logger.warn(`could not check the schedules: ${(e as Error).message}`);
      return [];
    }
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
