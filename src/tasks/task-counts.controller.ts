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
import { TaskCountsReader } from './task-counts.reader.js';

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

const beijing = (d: Date): string =>
  new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00';

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
