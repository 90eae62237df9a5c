import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EscalationService } from '../notifications/escalation.service.js';
import { NotificationsService, type Delivered } from '../notifications/notifications.service.js';
import { OutboxTopic } from './outbox.js';
import { NOTIFICATIONS_QUEUE, WEBHOOKS_QUEUE, WebhookJob } from './queues.js';

/** The per-task escalation topic of earlier versions (see legacyEscalation). */
const LEGACY_ESCALATION = 'escalation';

/** Consumes relayed outbox rows; the service makes each one idempotent by dedupe keys. */
@Processor(NOTIFICATIONS_QUEUE)
export class NotificationsProcessor {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly escalations: EscalationService,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly webhooks: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Process({ name: OutboxTopic.TASK_EVENT, concurrency: 4 })
  async taskEvent(job: Job<{ eventId: string }>): Promise<Delivered> {
    return this.enqueueWebhooks(await this.notifications.handleTaskEvent(job.data.eventId));
  }

  @Process({ name: OutboxTopic.ESCALATION_SCAN, concurrency: 1 })
  async escalationScan(job: Job<{ scanId: string }>): Promise<Delivered> {
    return this.enqueueWebhooks(await this.escalations.announce(job.data.scanId));
  }

  /**
   * Jobs of the per-task escalation topic that an older version relayed before an upgrade: the
   * scan now announces itself as a whole, so these are dropped (a handler must exist, or bull
   * fails them as unknown and retries them).
   */
  @Process({ name: LEGACY_ESCALATION, concurrency: 1 })
  legacyEscalation(): Delivered {
    return { notifications: 0, webhookDeliveryIds: [] };
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
