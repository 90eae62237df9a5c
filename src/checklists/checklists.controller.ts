import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { idempotencyKeyOf } from '../common/http/idempotency-key.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import { ApiIdempotencyKeyHeader, RequestHeader } from '../common/http/request-header.js';
import { ChecklistWalksService } from './checklist-walks.service.js';
import { ChecklistsService } from './checklists.service.js';
import {
  ChecklistDto,
  ChecklistItemDto,
  ChecklistListDto,
  ChecklistWalkDto,
  ChecklistWalkListDto,
  CreateChecklistDto,
  CreateChecklistItemDto,
  CreateChecklistWalkDto,
  ListChecklistsQuery,
  UpdateChecklistItemDto,
} from './dto/checklist.dto.js';

/** 点位检查清单: read by those who inspect, edited by the office. */
@ApiTags('checklists')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller()
export class ChecklistsController {
  constructor(private readonly checklists: ChecklistsService) {}

  @ApiOperation({
    summary: '点位检查清单',
    description:
      '创城办（admin）和督导员（inspector）。每类点位一份清单，含停用的检查项（`active: false`，不再检查）；`siteKind` 只取一类。只读，不改变数据。',
  })
  @Roles('admin', 'inspector')
  @Get('checklists')
  @ApiOkResponse({ type: ChecklistListDto })
  @ApiProblems(400, 401, 403)
  async list(@Query() q: ListChecklistsQuery): Promise<ChecklistListDto> {
    return { items: await this.checklists.list(q.siteKind) };
  }

  @ApiOperation({
    summary: '检查清单详情',
    description: '创城办（admin）和督导员（inspector）。只读，不改变数据。',
  })
  @Roles('admin', 'inspector')
  @Get('checklists/:id')
  @ApiOkResponse({ type: ChecklistDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', ParseId) id: string): Promise<ChecklistDto> {
    return this.checklists.get(id);
  }

  @ApiOperation({
    summary: '新建检查清单',
    description:
      '仅创城办（admin）。为一类点位（`siteKind`，与点位的类型一致）新建清单；每类一份，重复为 409。',
  })
  @Roles('admin')
  @Post('checklists')
  @ApiCreatedResponse({ type: ChecklistDto })
  @ApiProblems(400, 401, 403, 409)
  create(@Body() dto: CreateChecklistDto): Promise<ChecklistDto> {
    return this.checklists.create(dto);
  }

  @ApiOperation({
    summary: '新增检查项',
    description:
      '仅创城办（admin）。检查项写明检查内容和不合格时生成的问题类别；不给 `position` 时排在最后。',
  })
  @Roles('admin')
  @Post('checklists/:id/items')
  @ApiCreatedResponse({ type: ChecklistItemDto })
  @ApiProblems(400, 401, 403, 404)
  createItem(
    @Param('id', ParseId) id: string,
    @Body() dto: CreateChecklistItemDto,
  ): Promise<ChecklistItemDto> {
    return this.checklists.createItem(id, dto);
  }

  @ApiOperation({
    summary: '检查项详情',
    description: '创城办（admin）和督导员（inspector）。只读，不改变数据。',
  })
  @Roles('admin', 'inspector')
  @Get('checklist-items/:id')
  @ApiOkResponse({ type: ChecklistItemDto })
  @ApiProblems(400, 401, 403, 404)
  getItem(@Param('id', ParseId) id: string): Promise<ChecklistItemDto> {
    return this.checklists.getItem(id);
  }

  @ApiOperation({
    summary: '修改检查项',
    description:
      '仅创城办（admin）。改内容、问题类别、顺序，或停用（`active: false`）/恢复；以后的检查按新内容，已有检查记录保留当时的内容。',
  })
  @Roles('admin')
  @Patch('checklist-items/:id')
  @ApiOkResponse({ type: ChecklistItemDto })
  @ApiProblems(400, 401, 403, 404)
  updateItem(
    @Param('id', ParseId) id: string,
    @Body() dto: UpdateChecklistItemDto,
  ): Promise<ChecklistItemDto> {
    return this.checklists.updateItem(id, dto);
  }

  @ApiOperation({
    summary: '删除检查项',
    description:
      '仅创城办（admin）。只能删除从未检查过的项；已有检查记录的项为 409 `CHECKLIST_ITEM_IN_USE`，请停用。',
  })
  @Roles('admin')
  @Delete('checklist-items/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404, 409)
  deleteItem(@Param('id', ParseId) id: string): Promise<void> {
    return this.checklists.deleteItem(id);
  }
}

/** 按清单检查: walks of a checklist on an inspection, and their record per inspection and per site. */
@ApiTags('checklists')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller()
export class ChecklistWalksController {
  constructor(private readonly walks: ChecklistWalksService) {}

  @ApiOperation({
    summary: '按清单检查',
    description:
      '创城办（admin）和督导员（inspector，只能在自己录入的检查中）。按点位类型的清单逐项记录合格（pass）、不合格（fail，须附照片）、不适用（na），每项一次；在同一事务中保存检查记录、把点位记入本次检查，并为每个不合格项按该项的问题类别生成一条整改任务（派遣和时限同 `POST /tasks`）。带同一 `Idempotency-Key` 重试时返回第一次的结果。',
  })
  @Roles('admin', 'inspector')
  @Post('inspections/:id/checklist-walks')
  @ApiIdempotencyKeyHeader()
  @ApiCreatedResponse({ type: ChecklistWalkDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  walk(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: CreateChecklistWalkDto,
    @RequestHeader('idempotency-key') key?: string,
  ): Promise<ChecklistWalkDto> {
    return this.walks.walk(p, id, dto, idempotencyKeyOf(key));
  }

  @ApiOperation({
    summary: '督导检查的清单检查记录',
    description:
      '创城办（admin）和督导员（inspector）。本次督导检查的清单检查，新的在前，含逐项结果和不合格项生成的任务编号。只读，不改变数据。',
  })
  @Roles('admin', 'inspector')
  @Get('inspections/:id/checklist-walks')
  @ApiOkResponse({ type: ChecklistWalkListDto })
  @ApiProblems(400, 401, 403, 404)
  async ofInspection(@Param('id', ParseId) id: string): Promise<ChecklistWalkListDto> {
    return { items: await this.walks.ofInspection(id) };
  }

  @ApiOperation({
    summary: '点位的清单检查记录',
    description:
      '创城办（admin）和督导员（inspector）。该点位最近 200 次清单检查，新的在前，含逐项结果和生成的任务编号。只读，不改变数据。',
  })
  @Roles('admin', 'inspector')
  @Get('sites/:id/checklist-walks')
  @ApiOkResponse({ type: ChecklistWalkListDto })
  @ApiProblems(400, 401, 403, 404)
  async ofSite(@Param('id', ParseId) id: string): Promise<ChecklistWalkListDto> {
    return { items: await this.walks.ofSite(id) };
  }
}
