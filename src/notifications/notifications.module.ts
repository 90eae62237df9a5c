import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks/tasks.module.js';
import { ChannelsController } from './channels/channels.controller.js';
import { ChannelsService } from './channels/channels.service.js';
import { ChannelJobs } from './jobs/channel.jobs.js';
import { EscalationService } from './escalation.service.js';
import { EscalationJobs } from './jobs/escalation.jobs.js';
import { OverdueSummaryJob } from './jobs/overdue-summary.job.js';
import { TaskEventJob } from './jobs/task-event.job.js';
import { WebhookDeliveryJob } from './jobs/webhook-delivery.job.js';
import {
  DeliveryAttemptsController,
  NotificationsController,
  UnitWebhookController,
} from './notifications.controller.js';
import { NotificationWriter } from './notification-writer.js';
import { UnsignedEscalationService } from './unsigned-escalation.service.js';
import { NotificationsService } from './notifications.service.js';
import { UnitWebhookService } from './unit-webhook.service.js';
import { WebhooksService } from './webhooks.service.js';

@Module({
  imports: [TasksModule],
  controllers: [
    NotificationsController,
    UnitWebhookController,
    DeliveryAttemptsController,
    ChannelsController,
  ],
  providers: [
    NotificationsService,
    NotificationWriter,
    UnsignedEscalationService,
    WebhooksService,
    UnitWebhookService,
    EscalationService,
    ChannelsService,
    // Job handlers (@OnJob), found by the JobRegistry; they run on worker processes.
    TaskEventJob,
    EscalationJobs,
    OverdueSummaryJob,
    WebhookDeliveryJob,
    ChannelJobs,
  ],
  exports: [NotificationsService, WebhooksService, UnitWebhookService, EscalationService],
})
export class NotificationsModule {}
