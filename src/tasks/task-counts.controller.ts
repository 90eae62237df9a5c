import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { TaskFilterQuery } from './dto/list-tasks.query.js';
import { TASK_STATUSES, type TaskStatus } from './task-lifecycle.js';
import { TaskReader } from './task-reader.js';

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

/**
 * How many tasks a filter of `GET /tasks` matches, by status: the figures of the console's
 * dashboard, which therefore always equal the list for the same filter. Scoped like the list.
 */
@ApiTags('tasks')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('tasks')
export class TaskCountsController {
  constructor(private readonly reader: TaskReader) {}

  @ApiOperation({
    summary: '任务计数',
    description:
      '所有已登录角色，按调用方可见范围（责任单位只计本单位）。按与任务列表相同的筛选条件统计各状态、超期、督办、通报等数量（工作台用）。只读。',
  })
  @Get('counts')
  @ApiOkResponse({ type: TaskCountsDto })
  @ApiProblems(400, 401)
  async counts(
    @CurrentPrincipal() principal: Principal,
    @Query() f: TaskFilterQuery,
  ): Promise<TaskCountsDto> {
    const rows = await this.reader.countByStatus(principal, f);
    const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<
      TaskStatus,
      number
    >;
    for (const r of rows) byStatus[r.status] = r.n;
    return { total: rows.reduce((a, r) => a + r.n, 0), byStatus };
  }
}
