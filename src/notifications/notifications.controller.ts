import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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

  @ApiOperation({
    summary: '我的通知',
    description:
      '已登录的用户（创城办、督导员、责任单位用户）；API 密钥不可调用（403），单位系统改用 Webhook。列出本人的站内通知，可只看未读。只读，不改变数据。',
  })
  @Get()
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiProblems(400, 401, 403)
  list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListNotificationsQuery,
  ): Promise<NotificationPageDto> {
    return this.notifications.list(p, q);
  }

  @ApiOperation({
    summary: '标记通知已读',
    description:
      '已登录的用户；API 密钥不可调用（403）。把本人的一条通知标为已读；别人的通知答 404。',
  })
  @Post(':id/read')
  @HttpCode(204)
  @ApiProblems(400, 401, 403, 404)
  read(@CurrentPrincipal() p: Principal, @Param('id', ParseId) id: string): Promise<void> {
    return this.notifications.markRead(p, id);
  }

  @ApiOperation({
    summary: '全部标为已读',
    description:
      '已登录的用户；API 密钥不可调用（403）。把本人所有未读通知标为已读，返回标记的条数。',
  })
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

  @ApiOperation({
    summary: '设置单位 Webhook',
    description:
      '仅创城办（admin）。设置责任单位接收任务通知的 Webhook 地址和签名密钥（`url: null` 删除）；之后的任务事件按此投递。',
  })
  @Put()
  @Roles('admin')
  @ApiOkResponse({ type: WebhookConfigResultDto })
  @ApiProblems(400, 401, 403, 404, 422)
  configure(
    @Param('id', ParseId) id: string,
    @Body() dto: WebhookConfigDto,
  ): Promise<WebhookConfigResultDto> {
    return this.webhooks.configure(id, dto.url, dto.secret ?? null);
  }

  @ApiOperation({
    summary: '查看单位 Webhook',
    description:
      '创城办（admin）或该单位自己（unit，其他单位答 404）。返回 Webhook 地址、是否已设密钥（不返回密钥本身）及设置和修改时间。只读。',
  })
  @Get()
  @Roles('admin', 'unit')
  @ApiOkResponse({ type: UnitWebhookDto })
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseId) id: string): Promise<UnitWebhookDto> {
    return this.unitWebhook.get(p, id);
  }

  /** Sends a signed `ping` event now and answers with what the receiver did. */
  @ApiOperation({
    summary: '测试 Webhook',
    description:
      '创城办（admin）或该单位自己（unit）。立即向已设置的 Webhook 发送一条签名的 ping 事件，返回接收端的答复（状态码或错误类别、耗时）；记作一次投递，失败不重试。',
  })
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

  @ApiOperation({
    summary: 'Webhook 投递尝试记录',
    description:
      '仅创城办（admin）。一条 Webhook 投递的每次尝试：时间、状态码、错误类别、耗时；重新投递只追加，不清空。只读。',
  })
  @Get()
  @ApiOkResponse({ type: DeliveryAttemptListDto })
  @ApiProblems(400, 401, 403, 404)
  async list(@Param('id', ParseId) id: string): Promise<DeliveryAttemptListDto> {
    return { items: await this.unitWebhook.attempts(id) };
  }
}
