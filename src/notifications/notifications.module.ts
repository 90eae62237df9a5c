import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks/tasks.module.js';
import { EscalationService } from './escalation.service.js';
import { NotificationsController, UnitWebhookController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { WebhooksService } from './webhooks.service.js';

@Module({
  imports: [TasksModule],
  controllers: [NotificationsController, UnitWebhookController],
  providers: [NotificationsService, WebhooksService, EscalationService],
  exports: [NotificationsService, WebhooksService, EscalationService],
})
export class NotificationsModule {}
