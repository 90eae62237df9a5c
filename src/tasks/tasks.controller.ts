import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { idempotencyKeyOf } from '../common/http/idempotency-key.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import { CreateTaskDto } from './dto/create-task.dto.js';
import { ExportTasksQuery, ListTasksQuery } from './dto/list-tasks.query.js';
import * as A from './dto/task-actions.dto.js';
import { TaskDetailDto, TaskEventListDto, TaskPageDto } from './dto/task-output.dto.js';
import { LedgerService } from './ledger/ledger.service.js';
import { TaskReader } from './task-reader.js';
import { versionOf } from './task-actions.controller.js';
import { TaskTransitionsService } from './task-transitions.service.js';
import { TasksService } from './tasks.service.js';
import { HeavyRoute } from '../throttling/heavy-route.guard.js';

const IfMatch = ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'Task version, instead of `version` in the body',
});

/** 整改任务. A unit sees and acts on its own unit's tasks only; another unit's task is a 404. */
@ApiTags('tasks')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly reader: TaskReader,
    private readonly transitions: TaskTransitionsService,
    private readonly ledger: LedgerService,
  ) {}

  /** Log a problem. Routed to the site's unit with the category's 时限, or left for dispatch. */
  @Roles('admin', 'inspector')
  @Post()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retries with the same key return the first result',
  })
  @ApiCreatedResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 422)
  create(
    @CurrentPrincipal() p: Principal,
    @Body() dto: CreateTaskDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<TaskDetailDto> {
    return this.tasks.create(p, dto, idempotencyKeyOf(key));
  }

  @Get()
  @ApiOkResponse({ type: TaskPageDto })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListTasksQuery): Promise<TaskPageDto> {
    return this.reader.list(p, q);
  }

  /** 整改台账: the filtered list as .xlsx (default) or CSV, Chinese column headers. */
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

  @Get(':id')
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseId) id: string): Promise<TaskDetailDto> {
    return this.reader.detail(p, id);
  }

  /** The audit trail (留痕): every change, by whom and when, oldest first. */
  @Get(':id/events')
  @ApiOkResponse({ type: TaskEventListDto })
  @ApiProblems(400, 401, 404)
  async events(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
  ): Promise<TaskEventListDto> {
    return { items: await this.reader.events(p, id) };
  }

  @Patch(':id')
  @IfMatch
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  settings(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.TaskSettingsDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.updateSettings(p, id, versionOf(dto, m), dto);
  }
}
