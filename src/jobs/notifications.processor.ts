import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { NotificationsService, type Delivered } from '../notifications/notifications.service.js';
import { OutboxTopic } from './outbox.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { NOTIFICATIONS_QUEUE, WEBHOOK_BACKOFF, WEBHOOKS_QUEUE, WebhookJob } from './queues.js';

/** Consumes relayed outbox rows; the service makes each one idempotent by dedupe keys. */
@Processor(NOTIFICATIONS_QUEUE)
export class NotificationsProcessor {
  constructor(
    private readonly notifications: NotificationsService,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly webhooks: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly relay: OutboxRelay,
  ) {}

  @Process({ name: OutboxTopic.TASK_EVENT, concurrency: 4 })
  async taskEvent(job: Job<{ outboxId: string; eventId: string }>): Promise<Delivered> {
    const result = await this.enqueueWebhooks(
      await this.notifications.handleTaskEvent(job.data.eventId),
    );
    await this.relay.markProcessed(job.data.outboxId);
    return result;
  }

  @Process({ name: OutboxTopic.ESCALATION, concurrency: 2 })
  async escalation(
    job: Job<{
      outboxId: string;
      taskId: string;
      level: 'reminder' | 'supervise' | 'notify';
      deadline: string;
    }>,
  ): Promise<Delivered> {
    const { taskId, level, deadline } = job.data;
    const result = await this.enqueueWebhooks(
      await this.notifications.handleEscalation(taskId, level, deadline),
    );
    await this.relay.markProcessed(job.data.outboxId);
    return result;
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
