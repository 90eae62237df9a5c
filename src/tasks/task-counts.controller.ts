import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { toInt } from '../common/http/pagination.js';
import { TaskFilterQuery } from './dto/list-tasks.query.js';
import type { TaskStatus } from './task-lifecycle.js';
import { beijingInstant as beijing, TaskCountsReader } from './task-counts.reader.js';

export class TaskCountsDto {
  @ApiProperty({ description: 'Tasks matching the filter', example: 42 }) total: number;

  @ApiProperty({
    description: 'The same tasks by status (every status present, zero included)',
    example: {
      pending_dispatch: 1,
      assigned: 30,
      submitted: 5,
      on_hold: 0,
      closed: 6,
      cancelled: 0,
    },
    type: 'object',
    additionalProperties: { type: 'integer' },
  })
  byStatus: Record<TaskStatus, number>;
}

export class WeeklyCountsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 53, default: 12, description: 'How many weeks' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(53)
  weeks?: number;
}

export class WeekCountDto {
  @ApiProperty({ example: '2026-11-23', description: 'Monday of the week (Asia/Shanghai)' })
  week: string;
  @ApiProperty({ format: 'date-time', description: 'Monday 00:00 (+08:00), inclusive' })
  from: string;
  @ApiProperty({ format: 'date-time', description: 'The next Monday 00:00 (+08:00), exclusive' })
  to: string;
  @ApiProperty({ description: 'Tasks created in the week (= counts with createdFrom/createdTo)' })
  created: number;
  @ApiProperty({ description: 'Tasks closed in the week (= counts with closedFrom/closedTo)' })
  closed: number;
}

export class WeeklyCountsDto {
  @ApiProperty({ type: [WeekCountDto], description: 'Oldest first; the last is this week' })
  weeks: WeekCountDto[];
}

export class DashboardFigureDto {
  @ApiProperty({ example: 'overdue' }) key: string;
  @ApiProperty({ example: '已超期' }) label: string;
  @ApiProperty({
    description:
      'The `GET /tasks` filter this figure counts (status as an array); the list with it has `total` tasks',
    type: 'object',
    additionalProperties: true,
    example: { overdue: true },
  })
  filter: Record<string, unknown>;
  @ApiProperty({ example: 12 }) total: number;
}

export class DashboardCountsDto {
  @ApiProperty({ type: [DashboardFigureDto] }) figures: DashboardFigureDto[];
}

/**
 * How many tasks a filter of `GET /tasks` matches, by status: the figures of the console's
 * dashboard, which therefore always equal the list for the same filter. Scoped like the list.
 */
@ApiTags('tasks')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('tasks')
export class TaskCountsController {
  constructor(private readonly counts: TaskCountsReader) {}

  @ApiOperation({
    summary: '任务计数',
    description:
      '所有已登录角色，按调用方可见范围（责任单位只计本单位）。按与任务列表相同的筛选条件统计各状态、超期、督办、通报等数量（工作台用）。只读。',
  })
  @Get('counts')
  @ApiOkResponse({ type: TaskCountsDto })
  @ApiProblems(400, 401)
  byStatus(
    @CurrentPrincipal() principal: Principal,
    @Query() f: TaskFilterQuery,
  ): Promise<TaskCountsDto> {
    return this.counts.byStatus(principal, f);
  }

  @ApiOperation({
    summary: '工作台数字',
    description:
      '所有已登录角色，按调用方可见范围（责任单位只计本单位）。工作台的各项数字（各状态、已超期、督办、通报、本周新增、本周销号）一次返回，' +
      '每项附它所对应的任务列表筛选条件，按该条件查询任务列表或任务计数得到同一个数。只读。',
  })
  @Get('counts/dashboard')
  @ApiOkResponse({ type: DashboardCountsDto })
  @ApiProblems(401)
  async dashboard(@CurrentPrincipal() principal: Principal): Promise<DashboardCountsDto> {
    const figures = await this.counts.dashboard(principal);
    return { figures: figures.map((f) => ({ ...f, filter: { ...f.filter } })) };
  }

  @ApiOperation({
    summary: '每周新增与销号',
    description:
      '所有已登录角色，按调用方可见范围（责任单位只计本单位）。最近若干周（周一至周日，北京时间，含本周）每周新增和销号的任务数，' +
      '每周的数字与任务计数按 createdFrom/createdTo、closedFrom/closedTo 筛选该周所得相同（工作台的趋势图用）。只读。',
  })
  @Get('counts/weekly')
  @ApiOkResponse({ type: WeeklyCountsDto })
  @ApiProblems(400, 401)
  async weekly(
    @CurrentPrincipal() principal: Principal,
    @Query() q: WeeklyCountsQuery,
  ): Promise<WeeklyCountsDto> {
    const weeks = await this.counts.weekly(principal, q.weeks ?? 12);
    return {
      weeks: weeks.map((w) => ({ ...w, from: beijing(w.from), to: beijing(w.to) })),
    };
  }
}
