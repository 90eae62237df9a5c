import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, UsersOnly, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import {
  ListNotificationsQuery,
  MarkedDto,
  NotificationPageDto,
  WebhookConfigDto,
  WebhookConfigResultDto,
} from './dto/notification.dto.js';
import { NotificationsService } from './notifications.service.js';
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

/** A unit's webhook: where its own system is told of new, returned and escalated tasks. */
@ApiTags('units')
@ApiBearerAuth()
@Roles('admin')
@Controller('units/:id/webhook')
export class UnitWebhookController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Put()
  @ApiOkResponse({ type: WebhookConfigResultDto })
  @ApiProblems(400, 401, 403, 404, 422)
  configure(
    @Param('id', ParseId) id: string,
    @Body() dto: WebhookConfigDto,
  ): Promise<WebhookConfigResultDto> {
    return this.webhooks.configure(id, dto.url, dto.secret ?? null);
  }
}
