import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { NotificationsService, type Delivered } from '../notifications/notifications.service.js';
import { OutboxTopic } from './outbox.js';
import { NOTIFICATIONS_QUEUE, WEBHOOKS_QUEUE, WebhookJob } from './queues.js';

/** Consumes relayed outbox rows; the service makes each one idempotent by dedupe keys. */
@Processor(NOTIFICATIONS_QUEUE)
export class NotificationsProcessor {
  constructor(
    private readonly notifications: NotificationsService,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly webhooks: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Process({ name: OutboxTopic.TASK_EVENT, concurrency: 4 })
  async taskEvent(job: Job<{ eventId: string }>): Promise<Delivered> {
    return this.enqueueWebhooks(await this.notifications.handleTaskEvent(job.data.eventId));
  }

  @Process({ name: OutboxTopic.ESCALATION, concurrency: 2 })
  async escalation(
    job: Job<{ taskId: string; level: 'reminder' | 'supervise' | 'notify'; deadline: string }>,
  ): Promise<Delivered> {
    const { taskId, level, deadline } = job.data;
    return this.enqueueWebhooks(await this.notifications.handleEscalation(taskId, level, deadline));
  }

  private async enqueueWebhooks(result: Delivered): Promise<Delivered> {
    for (const id of result.webhookDeliveryIds) {
      await this.webhooks.add(
        WebhookJob.DELIVER,
        { deliveryId: id },
        webhookJobOptions(id, this.config),
      );
    }
    return result;
  }
}

export const webhookJobOptions = (deliveryId: string, config: AppConfig) => ({
  jobId: `webhook:${deliveryId}`,
  attempts: config.jobs.webhookMaxAttempts,
  backoff: { type: 'exponential', delay: config.jobs.webhookBackoffMs },
  removeOnComplete: 1000,
  removeOnFail: 5000,
});
