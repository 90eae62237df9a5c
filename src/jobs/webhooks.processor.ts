import { InjectQueue, OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Inject, Logger } from '@nestjs/common';
import type { Job, JobOptions, Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { WebhooksService } from '../notifications/webhooks.service.js';
import { ConcurrencyLimiter } from '../redis/concurrency-limiter.js';
import { WEBHOOKS_QUEUE, WebhookJob } from './queues.js';

/** A delivery whose unit has no free slot waits this long and tries for a slot again. */
const SLOT_WAIT_MS = 1000;

/**
 * Sends webhook deliveries; bull retries a failure with the doubling backoff, then it is dead.
 * The worker's slots are shared by all units, so each unit may use only
 * WEBHOOK_PER_UNIT_CONCURRENCY of them at once (counted in Redis across workers): one unit's slow
 * receiver delays its own deliveries, not every unit's. A delivery finding its unit's slots taken
 * is put back for a second — not a failed try, so it does not use up an attempt.
 */
@Processor(WEBHOOKS_QUEUE)
export class WebhooksProcessor {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly webhooks: WebhooksService,
    private readonly slots: ConcurrencyLimiter,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Process({ name: WebhookJob.DELIVER, concurrency: 8 })
  async deliver(job: Job<{ deliveryId: string }>): Promise<string> {
    const unitId = await this.webhooks.unitOf(job.data.deliveryId);
    if (!unitId) return 'skipped';
    const { webhookPerUnitConcurrency, webhookTimeoutMs } = this.config.jobs;
    const slot = await this.slots.acquire('webhook', unitId, {
      perCaller: webhookPerUnitConcurrency,
      total: Number.MAX_SAFE_INTEGER,
      leaseMs: webhookTimeoutMs * 3,
    });
    if (!slot.ok) {
      // bull keeps the creation time in the options; copied, it would make the delay already past.
      const { timestamp: _created, ...opts } = job.opts as JobOptions & { timestamp?: number };
      await this.queue.add(WebhookJob.DELIVER, job.data, {
        ...opts,
        attempts: Math.max(1, (job.opts.attempts ?? 1) - job.attemptsMade),
        delay: SLOT_WAIT_MS,
        // A new id each time: re-adding under this job's own id would be ignored while it runs.
        jobId: `${String(job.id).split(':wait:')[0]}:wait:${randomUUID()}`,
      });
      return 'waiting for a slot of its unit';
    }
    try {
      return await this.webhooks.deliver(job.data.deliveryId);
    } finally {
      await slot.release();
    }
  }

  @OnQueueFailed()
  async failed(job: Job<{ deliveryId: string }>, error: Error): Promise<void> {
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
      await this.webhooks.markDead(job.data.deliveryId);
      this.logger.warn(
        `delivery ${job.data.deliveryId} dead after ${job.attemptsMade} tries: ${error.message}`,
      );
    }
  }
}
