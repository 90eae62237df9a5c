import { InjectQueue } from '@nestjs/bull';
import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { Queue } from 'bull';
import { Roles } from '../common/auth/principal.js';
import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DeliveryListDto, ListDeliveriesQuery } from '../notifications/dto/notification.dto.js';
import { WebhooksService } from '../notifications/webhooks.service.js';
import type { JobPayloads } from './job-payloads.js';
import { JobsStatsService } from './jobs-stats.service.js';
import { webhookJobOptions } from './job-queue.js';
import { WEBHOOKS_QUEUE, WebhookJob } from './queues.js';
import { withTimeout } from './with-timeout.js';

class OutboxBacklogDto {
  @ApiProperty() pending: number;
  @ApiProperty({ nullable: true, type: Number }) oldestSeconds: number | null;
}

class JobsOverviewDto {
  @ApiProperty({ type: OutboxBacklogDto }) outbox: OutboxBacklogDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Per queue: waiting, active, completed, failed, delayed (null while Redis is unreachable)',
  })
  queues: Record<string, unknown>;
  @ApiProperty() deadWebhookDeliveries: number;
}

/** Operations for the office: queue depth, failures, outbox backlog, failed webhooks. */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin')
export class JobsAdminController {
  constructor(
    private readonly stats: JobsStatsService,
    private readonly webhooks: WebhooksService,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly webhookQueue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('jobs')
  @ApiOperation({
    summary: '队列概况',
    description: '仅创城办（admin）。查看 outbox 积压、各队列深度和投递失败的 Webhook 数。只读。',
  })
  @ApiOkResponse({ type: JobsOverviewDto })
  @ApiProblems(401, 403)
  async jobs(): Promise<JobsOverviewDto> {
    const [outbox, queues, deadWebhookDeliveries] = await Promise.all([
      this.stats.outbox(),
      this.stats.queues(),
      this.stats.deadWebhooks(),
    ]);
    return { outbox, queues, deadWebhookDeliveries };
  }

  @Get('webhook-deliveries')
  @ApiOperation({
    summary: 'Webhook 投递记录',
    description: '仅创城办（admin）。按状态（待投递、已投递、失败）列出 Webhook 投递记录。只读。',
  })
  @ApiOkResponse({ type: DeliveryListDto })
  @ApiProblems(400, 401, 403)
  async deliveries(@Query() q: ListDeliveriesQuery): Promise<DeliveryListDto> {
    const { items, nextCursor } = await this.webhooks.list(q);
    return {
      nextCursor,
      items: items.map((r) => ({
        id: r.id,
        unitId: r.unit_id,
        unitName: r.unit_name,
        eventType: r.event_type,
        status: r.status,
        attempts: r.attempts,
        lastStatus: r.last_status,
        lastError: r.last_error,
        lastErrorCategory: r.last_error_category,
        lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
        createdAt: r.created_at.toISOString(),
        deliveredAt: r.delivered_at?.toISOString() ?? null,
      })),
    };
  }

  /** Send a dead delivery again (after the unit fixed its receiver). */
  @Post('webhook-deliveries/:id/retry')
  @ApiOperation({
    summary: '重新投递 Webhook',
    description:
      '仅创城办（admin）。把一条失败的 Webhook 投递重新放入队列（单位修好接收端之后），答 202；队列服务不可用或无响应时答 503，投递保持失败状态。',
  })
  @ApiAcceptedResponse({ description: '已重新排队' })
  @HttpCode(202)
  @ApiProblems(400, 401, 403, 404, 503)
  async retry(@Param('id', ParseId) id: string): Promise<void> {
    // Checked first, before anything changes: Redis refusing (bull would queue the add in memory)
    // or hung (answers nothing; the ping times out) is a 503 and the delivery stays dead.
    const queueAnswers =
      this.webhookQueue.client.status === 'ready' &&
      (await withTimeout(this.webhookQueue.client.ping(), 2000).then(
        () => true,
        () => false,
      ));
    if (!queueAnswers) {
      throw new DomainError(
        'unavailable',
        CommonErrorCode.NOT_READY,
        '队列服务暂不可用，请稍后重试',
      );
    }
    const deliveryId = await this.webhooks.revive(id);
    const options = webhookJobOptions(deliveryId, this.config);
    // A fresh job id: the dead job may still be kept in the failed set under the old one.
    await this.webhookQueue.add(
      WebhookJob.DELIVER,
      { deliveryId } satisfies JobPayloads['deliver'],
      { ...options, jobId: `${options.jobId}:retry:${Date.now()}` },
    );
  }
}
