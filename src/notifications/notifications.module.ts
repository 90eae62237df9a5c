import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks/tasks.module.js';
import { EscalationService } from './escalation.service.js';
import {
  DeliveryAttemptsController,
  NotificationsController,
  UnitWebhookController,
} from './notifications.controller.js';
import { NotificationWriter } from './notification-writer.js';
import { NotificationsService } from './notifications.service.js';
import { UnitWebhookService } from './unit-webhook.service.js';
import { WebhooksService } from './webhooks.service.js';

@Module({
  imports: [TasksModule],
  controllers: [NotificationsController, UnitWebhookController, DeliveryAttemptsController],
  providers: [
    NotificationsService,
    NotificationWriter,
    WebhooksService,
    UnitWebhookService,
    EscalationService,
  ],
  exports: [NotificationsService, WebhooksService, UnitWebhookService, EscalationService],
})
export class NotificationsModule {}
