import { InjectQueue } from '@nestjs/bull';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Queue } from 'bull';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MAINTENANCE_QUEUE, SCHEDULES_QUEUE, type QueueName } from './queues.js';
import { ensureRepeatable, missingSchedules, schedulesOf } from './repeatable.js';

/**
 * The one scheduler: every schedule (repeatable.ts: schedulesOf) is a bull repeatable job. bull
 * creates one job per period whatever the number of workers, and each handler is idempotent
 * besides, so a period runs once. Runs on worker processes (APP_ROLE worker or all).
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Schedules');
  private timer?: NodeJS.Timeout;
  private registered = false;
  private readonly queues: Map<QueueName, Queue>;

  constructor(
    @InjectQueue(SCHEDULES_QUEUE) private readonly queue: Queue,
    @InjectQueue(MAINTENANCE_QUEUE) maintenance: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.queues = new Map<QueueName, Queue>([
      [SCHEDULES_QUEUE, queue],
      [MAINTENANCE_QUEUE, maintenance],
    ]);
  }

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
      const missing: string[] = [];
      for (const queue of this.queues.values()) {
        const lost = await missingSchedules(queue, schedules);
        for (const s of schedules.filter((x) => lost.includes(x.name))) {
          await ensureRepeatable(queue, s.name, s.cron);
        }
        missing.push(...lost);
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
}
