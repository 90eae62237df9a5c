import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { JobPayloads } from '../../jobs/job-payloads.js';
import { OnJob, OnJobFailed, type JobFailure, type JobRun } from '../../jobs/on-job.decorator.js';
import { ConcurrencyLimiter } from '../../redis/concurrency-limiter.js';
import { WebhooksService } from '../webhooks.service.js';

/** A delivery whose unit has no free slot waits this long and tries for a slot again. */
const SLOT_WAIT_MS = 1000;

/**
 * Sends one webhook delivery; a failure is retried with the doubling backoff, then the delivery
 * is dead. The worker's slots are shared by all units, so each unit may use only
 * WEBHOOK_PER_UNIT_CONCURRENCY of them at once (counted in Redis across workers): one unit's slow
 * receiver delays its own deliveries, not every unit's. A delivery finding its unit's slots taken
 * is put back for a second — not a failed try, so it does not use up an attempt.
 */
@Injectable()
export class WebhookDeliveryJob {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly webhooks: WebhooksService,
    private readonly slots: ConcurrencyLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnJob('deliver')
  async deliver({ deliveryId }: JobPayloads['deliver'], run: JobRun): Promise<string> {
    const unitId = await this.webhooks.unitOf(deliveryId);
    if (!unitId) return 'skipped';
    const { webhookPerUnitConcurrency, webhookTimeoutMs } = this.config.jobs;
    const slot = await this.slots.acquire('webhook', unitId, {
      perCaller: webhookPerUnitConcurrency,
      total: Number.MAX_SAFE_INTEGER,
      leaseMs: webhookTimeoutMs * 3,
    });
    if (!slot.ok) {
      await run.retryLater(SLOT_WAIT_MS);
      return 'waiting for a slot of its unit';
    }
    try {
      return await this.webhooks.deliver(deliveryId);
    } finally {
      await slot.release();
    }
  }

  @OnJobFailed('deliver')
  async failed({ deliveryId }: JobPayloads['deliver'], failure: JobFailure): Promise<void> {
    if (!failure.final) return;
    await this.webhooks.markDead(deliveryId);
    this.logger.warn(
      `delivery ${deliveryId} dead after ${failure.attemptsMade} tries: ${failure.error.message}`,
    );
  }
}
