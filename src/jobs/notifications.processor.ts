import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EscalationService } from '../notifications/escalation.service.js';
import { NotificationsService, type Delivered } from '../notifications/notifications.service.js';
import { OutboxTopic } from './outbox.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { NOTIFICATIONS_QUEUE, WEBHOOK_BACKOFF, WEBHOOKS_QUEUE, WebhookJob } from './queues.js';

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

  @Process({ name: OutboxTopic.ESCALATION_SCAN, concurrency: 1 })
  async escalationScan(job: Job<{ outboxId: string; scanId: string }>): Promise<Delivered> {
    const result = await this.enqueueWebhooks(await this.escalations.announce(job.data.scanId));
    await this.relay.markProcessed(job.data.outboxId);
    return result;
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
