import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../../common/auth/principal.js';
import { ApiProblems } from '../../common/http/api-problems.js';
import { ParseId } from '../../common/http/parse-id.pipe.js';
import { JobQueue } from '../../jobs/job-queue.js';
import {
  ChannelDeliveryListDto,
  ChannelDto,
  ChannelInputDto,
  ChannelListDto,
  ChannelTestResultDto,
} from './channel.dto.js';
import { ChannelsService } from './channels.service.js';

/**
 * 消息渠道: 企业微信/钉钉 group robots and SMS of a unit or of the office, their test send and
 * delivery log. The office only; secrets are write-only.
 */
@ApiTags('channels')
@ApiBearerAuth()
@Roles('admin')
@Controller()
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly jobs: JobQueue,
  ) {}

  @ApiOperation({
    summary: '单位的消息渠道',
    description:
      '仅创城办（admin）。列出责任单位的企业微信、钉钉、短信渠道；密钥不返回，key 只显示末四位。只读。',
  })
  @Get('units/:id/channels')
  @ApiOkResponse({ type: ChannelListDto })
  @ApiProblems(400, 401, 403, 404)
  async listOfUnit(@Param('id', ParseId) id: string): Promise<ChannelListDto> {
    return { items: await this.channels.list({ unitId: id }) };
  }

  @ApiOperation({
    summary: '添加单位的消息渠道',
    description:
      '仅创城办（admin）。企业微信需机器人 key（或整段地址），钉钉需 access_token（可加签 secret），短信需接收号码；领导号码在督办、通报时被 @ 或抄送。',
  })
  @Post('units/:id/channels')
  @ApiCreatedResponse({ type: ChannelDto })
  @ApiProblems(400, 401, 403, 404, 422)
  createForUnit(
    @Param('id', ParseId) id: string,
    @Body() dto: ChannelInputDto,
  ): Promise<ChannelDto> {
    return this.channels.create({ unitId: id }, dto);
  }

  @ApiOperation({
    summary: '创城办的消息渠道',
    description: '仅创城办（admin）。创城办自己的渠道：收督办、通报汇总和每日到期汇总。只读。',
  })
  @Get('office/channels')
  @ApiOkResponse({ type: ChannelListDto })
  @ApiProblems(401, 403)
  async listOfOffice(): Promise<ChannelListDto> {
    return { items: await this.channels.list('office') };
  }

  @ApiOperation({ summary: '添加创城办的消息渠道', description: '仅创城办（admin）。' })
  @Post('office/channels')
  @ApiCreatedResponse({ type: ChannelDto })
  @ApiProblems(400, 401, 403, 422)
  createForOffice(@Body() dto: ChannelInputDto): Promise<ChannelDto> {
    return this.channels.create('office', dto);
  }

  @ApiOperation({
    summary: '修改消息渠道',
    description:
      '仅创城办（admin）。只改给出的字段；key、secret 不给则保持原值，给 null 则清除。渠道类型不能改。',
  })
  @Patch('channels/:id')
  @ApiOkResponse({ type: ChannelDto })
  @ApiProblems(400, 401, 403, 404, 422)
  update(@Param('id', ParseId) id: string, @Body() dto: ChannelInputDto): Promise<ChannelDto> {
    return this.channels.update(id, dto);
  }

  @ApiOperation({
    summary: '删除消息渠道',
    description: '仅创城办（admin）。连同其发送记录一并删除。',
  })
  @Delete('channels/:id')
  @HttpCode(204)
  @ApiProblems(400, 401, 403, 404)
  remove(@Param('id', ParseId) id: string): Promise<void> {
    return this.channels.remove(id);
  }

  @ApiOperation({
    summary: '测试发送',
    description:
      '仅创城办（admin）。立即向该渠道发送一条测试消息，返回是否成功及错误；记入发送记录，失败不重试。',
  })
  @Post('channels/:id/test')
  @HttpCode(200)
  @ApiOkResponse({ type: ChannelTestResultDto })
  @ApiProblems(400, 401, 403, 404, 409)
  test(@Param('id', ParseId) id: string): Promise<ChannelTestResultDto> {
    return this.channels.test(id);
  }

  @ApiOperation({
    summary: '渠道发送记录',
    description:
      '仅创城办（admin）。该渠道最近 50 条消息：内容、状态（待发送、已发送、失败）、尝试次数、最后错误。只读。',
  })
  @Get('channels/:id/deliveries')
  @ApiOkResponse({ type: ChannelDeliveryListDto })
  @ApiProblems(400, 401, 403, 404)
  async deliveries(@Param('id', ParseId) id: string): Promise<ChannelDeliveryListDto> {
    return { items: await this.channels.deliveries(id) };
  }

  @ApiOperation({
    summary: '重发失败消息',
    description: '仅创城办（admin）。把一条失败（已放弃）的消息重新放入队列，答 202。',
  })
  @Post('channels/:id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: '已重新排队' })
  @ApiProblems(400, 401, 403, 404)
  async retry(
    @Param('id', ParseId) id: string,
    @Param('deliveryId', ParseId) deliveryId: string,
  ): Promise<void> {
    const revived = await this.channels.revive(id, deliveryId);
    await this.jobs.addRetry('channel-send', { deliveryId: revived });
  }
}
