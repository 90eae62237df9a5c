import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, UsersOnly, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import {
  DeliveryAttemptListDto,
  ListNotificationsQuery,
  MarkedDto,
  NotificationPageDto,
  PingResultDto,
  UnitWebhookDto,
  WebhookConfigDto,
  WebhookConfigResultDto,
} from './dto/notification.dto.js';
import { NotificationsService } from './notifications.service.js';
import { UnitWebhookService } from './unit-webhook.service.js';
import { WebhooksService } from './webhooks.service.js';

/** The signed-in user's inbox. Units' systems get webhooks instead. */
@ApiTags('notifications')
@ApiBearerAuth()
@UsersOnly()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiProblems(400, 401, 403)
  list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListNotificationsQuery,
  ): Promise<NotificationPageDto> {
    return this.notifications.list(p, q);
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiProblems(400, 401, 403, 404)
  read(@CurrentPrincipal() p: Principal, @Param('id', ParseId) id: string): Promise<void> {
    return this.notifications.markRead(p, id);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: MarkedDto })
  @ApiProblems(401, 403)
  async readAll(@CurrentPrincipal() p: Principal): Promise<MarkedDto> {
    return { marked: await this.notifications.markAllRead(p) };
  }
}

/**
 * A unit's webhook: where its own system is told of every change to its work. The office sets
 * it; the office and the unit itself may read it back (never the secret) and send a test ping.
 */
@ApiTags('units')
@ApiBearerAuth()
@Controller('units/:id/webhook')
export class UnitWebhookController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly unitWebhook: UnitWebhookService,
  ) {}

  @Put()
  @Roles('admin')
  @ApiOkResponse({ type: WebhookConfigResultDto })
  @ApiProblems(400, 401, 403, 404)
  configure(
    @Param('id', ParseId) id: string,
    @Body() dto: WebhookConfigDto,
  ): Promise<WebhookConfigResultDto> {
    return this.webhooks.configure(id, dto.url, dto.secret ?? null);
  }

  @Get()
  @Roles('admin', 'unit')
  @ApiOkResponse({ type: UnitWebhookDto })
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseId) id: string): Promise<UnitWebhookDto> {
    return this.unitWebhook.get(p, id);
  }

  /** Sends a signed `ping` event now and answers with what the receiver did. */
  @Post('ping')
  @HttpCode(200)
  @Roles('admin', 'unit')
  @ApiOkResponse({ type: PingResultDto })
  @ApiProblems(400, 401, 403, 404, 409)
  ping(@CurrentPrincipal() p: Principal, @Param('id', ParseId) id: string): Promise<PingResultDto> {
    return this.unitWebhook.ping(p, id);
  }
}

/** The attempt history of one webhook delivery, for the office. */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/webhook-deliveries/:id/attempts')
export class DeliveryAttemptsController {
  constructor(private readonly unitWebhook: UnitWebhookService) {}

  @Get()
  @ApiOkResponse({ type: DeliveryAttemptListDto })
  @ApiProblems(400, 401, 403, 404)
  async list(@Param('id', ParseId) id: string): Promise<DeliveryAttemptListDto> {
    return { items: await this.unitWebhook.attempts(id) };
  }
}
