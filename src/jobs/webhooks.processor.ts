import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { WebhooksService } from '../notifications/webhooks.service.js';
import { WEBHOOKS_QUEUE, WebhookJob } from './queues.js';

/** Sends webhook deliveries; bull retries a failure with exponential backoff, then it is dead. */
@Processor(WEBHOOKS_QUEUE)
export class WebhooksProcessor {
  private readonly logger = new Logger('Webhooks');

  constructor(private readonly webhooks: WebhooksService) {}

  @Process({ name: WebhookJob.DELIVER, concurrency: 8 })
  deliver(job: Job<{ deliveryId: string }>): Promise<string> {
    return this.webhooks.deliver(job.data.deliveryId);
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
