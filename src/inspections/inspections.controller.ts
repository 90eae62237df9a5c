import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import { idempotencyKeyOf } from '../common/http/idempotency-key.js';
import { ApiIdempotencyKeyHeader, RequestHeader } from '../common/http/request-header.js';
import {
  CreateInspectionDto,
  InspectionDto,
  InspectionPageDto,
  ListInspectionsQuery,
  ParagraphPreviewDto,
  PreviewParagraphDto,
  UpdateInspectionDto,
  VoidInspectionDto,
} from './dto/inspection.dto.js';
import { InspectionsService } from './inspections.service.js';

/** 督导检查 and 调度会. */
@ApiTags('inspections')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('inspections')
export class InspectionsController {
  constructor(private readonly inspections: InspectionsService) {}

  /** Log a visit (督导检查, 调研) or meeting, optionally with the problems found (created as tasks in the same transaction). */
  @ApiOperation({
    summary: '登记督导检查',
    description:
      '创城办（admin）和督导员（inspector）。登记一次督导检查、调研或会议（召开单位、出席和陪同领导、参加单位和群体、讲话、要求、查看点位及别名等用于快报），可同时登记发现的问题（`tasks`，在同一事务中生成整改任务）；带同一 `Idempotency-Key` 重试时返回第一次的结果。',
  })
  @Roles('admin', 'inspector')
  @Post()
  @ApiIdempotencyKeyHeader()
  @ApiCreatedResponse({ type: InspectionDto })
  @ApiProblems(400, 401, 403, 422)
  create(
    @CurrentPrincipal() p: Principal,
    @Body() dto: CreateInspectionDto,
    @RequestHeader('idempotency-key') key?: string,
  ): Promise<InspectionDto> {
    return this.inspections.create(p, dto, idempotencyKeyOf(key));
  }

  /** The 指挥调度 paragraph a form would give, for the console's live preview; nothing is written. */
  @ApiOperation({
    summary: '预览快报段落',
    description:
      '创城办（admin）和督导员（inspector）。按填写中的督导检查、调研或会议（与登记时同样校验，单位和点位按编号或 id 解析）生成快报“指挥调度”中的段落文字，不保存任何数据；发现问题数在生成快报时按任务统计。',
  })
  @Roles('admin', 'inspector')
  @Post('preview-paragraph')
  @HttpCode(200)
  @ApiOkResponse({ type: ParagraphPreviewDto })
  @ApiProblems(400, 401, 403)
  previewParagraph(@Body() dto: PreviewParagraphDto): Promise<ParagraphPreviewDto> {
    return this.inspections.previewParagraph(dto);
  }

  @ApiOperation({
    summary: '督导检查列表',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥；责任单位只看到本单位参加或有任务的检查。只读，不改变数据。',
  })
  @Get()
  @ApiOkResponse({ type: InspectionPageDto })
  @ApiProblems(400, 401)
  list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListInspectionsQuery,
  ): Promise<InspectionPageDto> {
    return this.inspections.list(p, q);
  }

  @ApiOperation({
    summary: '督导检查详情',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥；责任单位看不到的检查答 404。只读，不改变数据。',
  })
  @Get(':id')
  @ApiOkResponse({ type: InspectionDto })
  @ApiProblems(400, 401, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseId) id: string): Promise<InspectionDto> {
    return this.inspections.get(p, id);
  }

  /** 作废 (office): kept with who, when and why, marked in lists, left out of the 快报; its tasks are untouched. */
  @ApiOperation({
    summary: '作废督导检查',
    description:
      '仅创城办（admin）。把录错的督导检查作废（须填写原因）：保留记录和留痕，在列表中标明已作废，不再写入快报；其下的任务不受影响。',
  })
  @Roles('admin')
  @Post(':id/void')
  @HttpCode(200)
  @ApiOkResponse({ type: InspectionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  void(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: VoidInspectionDto,
  ): Promise<InspectionDto> {
    return this.inspections.void(p, id, dto.reason);
  }

  /** Inspectors edit their own; the office any. */
  @ApiOperation({
    summary: '修改督导检查',
    description:
      '创城办（admin）和督导员（inspector）：督导员只能改自己登记的，创城办可改任意一条。修改检查信息、参加单位和点位。',
  })
  @Roles('admin', 'inspector')
  @Patch(':id')
  @ApiOkResponse({ type: InspectionDto })
  @ApiProblems(400, 401, 403, 404)
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: UpdateInspectionDto,
  ): Promise<InspectionDto> {
    return this.inspections.update(p, id, dto);
  }
}
