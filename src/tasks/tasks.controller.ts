import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { idempotencyKeyOf } from '../common/http/idempotency-key.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import { versionOf } from '../common/http/versioning.js';
import {
  ApiIdempotencyKeyHeader,
  ApiIfMatchHeader,
  RequestHeader,
} from '../common/http/request-header.js';
import { CreateTaskDto } from './dto/create-task.dto.js';
import { ExportTasksQuery, ListTasksQuery } from './dto/list-tasks.query.js';
import * as A from './dto/task-actions.dto.js';
import { TaskDetailDto, TaskEventListDto, TaskPageDto } from './dto/task-output.dto.js';
import { LedgerService } from './ledger/ledger.service.js';
import { TaskReader } from './task-reader.js';
import { SettingsActions } from './actions/settings.js';
import { TasksService } from './tasks.service.js';
import { HeavyRoute } from '../throttling/heavy-route.guard.js';

/** 整改任务. A unit sees and acts on its own unit's tasks only; another unit's task is a 404. */
@ApiTags('tasks')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly reader: TaskReader,
    private readonly settingsActions: SettingsActions,
    private readonly ledger: LedgerService,
  ) {}

  /** Log a problem. Routed to the site's unit with the category's 时限, or left for dispatch. */
  @ApiOperation({
    summary: '登记问题',
    description:
      '创城办（admin）和督导员（inspector）。登记一个问题，生成整改任务：按点位派给默认责任单位并按类别整改时限计算期限，无法派遣时待创城办派遣；带同一 `Idempotency-Key` 重试时返回第一次的结果。',
  })
  @Roles('admin', 'inspector')
  @Post()
  @ApiIdempotencyKeyHeader()
  @ApiCreatedResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 422)
  create(
    @CurrentPrincipal() p: Principal,
    @Body() dto: CreateTaskDto,
    @RequestHeader('idempotency-key') key?: string,
  ): Promise<TaskDetailDto> {
    return this.tasks.create(p, dto, idempotencyKeyOf(key));
  }

  @ApiOperation({
    summary: '任务列表',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥；责任单位只看到本单位的任务。按状态、单位、类别、期限等筛选，游标分页。只读，不改变数据。',
  })
  @Get()
  @ApiOkResponse({ type: TaskPageDto })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListTasksQuery): Promise<TaskPageDto> {
    return this.reader.list(p, q);
  }

  /** 整改台账: the filtered list as .xlsx (default) or CSV, Chinese column headers. */
  @ApiOperation({
    summary: '导出整改台账',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥；责任单位只导出本单位的任务。按与任务列表相同的条件导出 Excel（默认）或 CSV。只读，不改变数据。',
  })
  @Get('export')
  @HeavyRoute()
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: 'The ledger file' })
  @ApiProblems(400, 401)
  async export(
    @CurrentPrincipal() p: Principal,
    @Query() q: ExportTasksQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.ledger.send(p, q, reply);
  }

  @ApiOperation({
    summary: '任务详情',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥；其他单位的任务答 404。含红黄绿灯、督办级别和调用方当前可执行的操作。只读，不改变数据。',
  })
  @Get(':id')
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseId) id: string): Promise<TaskDetailDto> {
    return this.reader.detail(p, id);
  }

  /** The audit trail (留痕): every change, by whom and when, oldest first. */
  @ApiOperation({
    summary: '任务留痕',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥；其他单位的任务答 404。按时间顺序列出任务的每一次变动、操作人和时间。只读，不改变数据。',
  })
  @Get(':id/events')
  @ApiOkResponse({ type: TaskEventListDto })
  @ApiProblems(400, 401, 404)
  async events(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
  ): Promise<TaskEventListDto> {
    return { items: await this.reader.events(p, id) };
  }

  @ApiOperation({
    summary: '修改任务设置',
    description:
      '仅创城办（admin）。为单个任务改写复查方式（`null` 恢复按类别）。须带上调用方看到的任务 `version`（请求体或 `If-Match`），版本过期答 409 VERSION_CONFLICT 且不做任何改动；当前状态不允许时答 409 ILLEGAL_TRANSITION。',
  })
  @Patch(':id')
  @ApiIfMatchHeader()
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  settings(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.TaskSettingsDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.settingsActions.update(p, id, versionOf(dto.version, m), dto);
  }
}
