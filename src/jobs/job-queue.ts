import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { JobName, JobPayloads, NoPayload } from './job-payloads.js';
import { SCHEDULED_JOB_KEEP_SECONDS, scheduledJobId, type ScheduledJob } from './schedules.js';
import {
  JOBS,
  MAINTENANCE_QUEUE,
  NOTIFICATIONS_QUEUE,
  REPORTS_QUEUE,
  SCHEDULES_QUEUE,
  WEBHOOK_BACKOFF,
  WEBHOOKS_QUEUE,
  type QueueName,
} from './queues.js';

/** One job per delivery id; retried with the doubling backoff (JobsModule), then dead. */
export const webhookJobOptions = (
  deliveryId: string,
  config: AppConfig,
  attempts = config.jobs.webhookMaxAttempts,
) => ({
  jobId: `webhook:${deliveryId}`,
  attempts,
  backoff: { type: WEBHOOK_BACKOFF },
  removeOnComplete: 1000,
  removeOnFail: 5000,
});

/** One job per channel delivery id; its own timeout per try (CHANNEL_TIMEOUT_MS), doubling waits, then dead. */
export const channelJobOptions = (deliveryId: string, config: AppConfig) => ({
  jobId: `channel:${deliveryId}`,
  attempts: config.channels.maxAttempts,
  backoff: { type: 'exponential', delay: config.channels.backoffMs },
  removeOnComplete: 1000,
  removeOnFail: 5000,
});

/**
 * One job per generation: a redelivered or re-added job of the same generation is the same bull
 * job, and a stale one (the bulletin moved on) does nothing.
 */
export const bulletinJobOptions = (bulletinId: string, version: number) => ({
  jobId: `bulletin:${bulletinId}:v${version}`,
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
});

/**
 * One job per fire of a schedule, whichever processes fire it (see scheduledJobId); kept, done or
 * failed, long enough that a late add of the same fire is still ignored. Not retried: the next
 * fire runs it again.
 */
export const scheduledJobOptions = (name: ScheduledJob, fireAt: Date): JobOptions => ({
  jobId: scheduledJobId(name, fireAt),
  removeOnComplete: { age: SCHEDULED_JOB_KEEP_SECONDS },
  removeOnFail: { age: SCHEDULED_JOB_KEEP_SECONDS },
});

/**
 * The features' door to the queues: `add('deliver', { deliveryId })` queues a job of the map
 * on its queue with its usual options (ids that make a second add of the same work a no-op).
 * Typed by the payload map, so a feature cannot queue an unknown job or a wrong payload, and
 * knows nothing of bull. Available in every process role.
 */
@Injectable()
export class JobQueue {
  private readonly queues: Map<QueueName, Queue>;

  constructor(
    @InjectQueue(MAINTENANCE_QUEUE) maintenance: Queue,
    @InjectQueue(NOTIFICATIONS_QUEUE) notifications: Queue,
    @InjectQueue(WEBHOOKS_QUEUE) webhooks: Queue,
    @InjectQueue(SCHEDULES_QUEUE) schedules: Queue,
    @InjectQueue(REPORTS_QUEUE) reports: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.queues = new Map<QueueName, Queue>([
      [MAINTENANCE_QUEUE, maintenance],
      [NOTIFICATIONS_QUEUE, notifications],
      [WEBHOOKS_QUEUE, webhooks],
      [SCHEDULES_QUEUE, schedules],
      [REPORTS_QUEUE, reports],
    ]);
  }

  /** The queue a job runs on (for the checks a caller makes before adding). */
  queueOf(name: JobName): Queue {
    return this.queues.get(JOBS[name].queue)!;
  }

  /** Whether Redis is connected now (bull's client queues commands in memory while it is not). */
  canAdd(name: JobName): boolean {
    return this.queueOf(name).client.status === 'ready';
  }

  async add<N extends JobName>(name: N, data: JobPayloads[N]): Promise<void> {
    await this.queueOf(name).add(name, data, this.optionsOf(name, data));
  }

  /**
   * Queues a job again under a fresh id (a revived dead delivery): the failed job may still be
   * kept under its usual id, and bull ignores an add whose id it holds.
   */
  async addRetry<N extends JobName>(name: N, data: JobPayloads[N]): Promise<void> {
    const options = this.optionsOf(name, data);
    await this.queueOf(name).add(name, data, {
      ...options,
      jobId: `${String(options.jobId ?? name)}:retry:${Date.now()}`,
    });
  }

  /** Queues the job of one fire of a schedule (JobScheduler), at `fireAt`, the cron's instant. */
  async addScheduled(name: ScheduledJob, fireAt: Date): Promise<void> {
    const data: NoPayload = {};
    await this.queueOf(name).add(name, data, scheduledJobOptions(name, fireAt));
  }

  private optionsOf<N extends JobName>(name: N, data: JobPayloads[N]): JobOptions {
    // Narrowed by hand: TypeScript does not narrow `data` by a check of the generic `name`.
    if (name === 'deliver') {
      return webhookJobOptions((data as JobPayloads['deliver']).deliveryId, this.config);
    }
    if (name === 'channel-send') {
      return channelJobOptions((data as JobPayloads['channel-send']).deliveryId, this.config);
    }
    if (name === 'generate-bulletin') {
      const { bulletinId, version } = data as JobPayloads['generate-bulletin'];
      return bulletinJobOptions(bulletinId, version);
    }
    return { removeOnComplete: 1000, removeOnFail: 5000 };
  }
}
