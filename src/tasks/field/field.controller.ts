import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '../../common/auth/principal.js';
import { ApiProblems } from '../../common/http/api-problems.js';
import { idempotencyKeyOf } from '../../common/http/idempotency-key.js';
import { ParseId } from '../../common/http/parse-id.pipe.js';
import { ApiIdempotencyKeyHeader, RequestHeader } from '../../common/http/request-header.js';
import { TaskEventDto } from '../dto/task-output.dto.js';
import {
  CreateObservationDto,
  NearbyCheckListDto,
  NearbyChecksQuery,
  NearbyTaskListDto,
  NearbyTasksQuery,
} from './field.dto.js';
import { FieldService } from './field.service.js';

/** What the inspector's phone asks on a visit (issue 13): nearby tasks, observations. */
@ApiTags('tasks')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('tasks')
export class FieldController {
  constructor(private readonly field: FieldService) {}

  @ApiOperation({
    summary: '附近的同类未结任务（疑似重复提示）',
    description:
      '任何已登录的调用方；责任单位只看到本单位的任务。列出该类别在类别设定半径（`duplicateRadiusM`，默认 50 米）内、近 30 天内发现或登记、尚未销号或撤销的任务，按距离由近到远，附距离（米）和第一张整改前照片。类别不存在或已停用、经纬度有误答 400。只读，不改变数据。',
  })
  @Get('nearby')
  @ApiOkResponse({ type: NearbyTaskListDto })
  @ApiProblems(400, 401)
  nearby(
    @CurrentPrincipal() p: Principal,
    @Query() q: NearbyTasksQuery,
  ): Promise<NearbyTaskListDto> {
    return this.field.nearby(p, q);
  }

  @ApiOperation({
    summary: '附近待复查的任务',
    description:
      '创城办（admin）和督导员（inspector）：可以复查的人。列出待复查（submitted）的任务，按与给定位置的距离由近到远，没有位置的排在最后；`limit` 默认 50，最多 200。只读，不改变数据。',
  })
  @Roles('admin', 'inspector')
  @Get('checks/nearby')
  @ApiOkResponse({ type: NearbyCheckListDto })
  @ApiProblems(400, 401, 403)
  checksNearby(
    @CurrentPrincipal() p: Principal,
    @Query() q: NearbyChecksQuery,
  ): Promise<NearbyCheckListDto> {
    return this.field.checksNearby(p, q);
  }

  @ApiOperation({
    summary: '补充现场记录',
    description:
      '创城办（admin）和督导员（inspector）。为一个未销号、未撤销的任务补充现场记录：说明、照片（至少其一）、位置和观察时间，记入任务留痕（`observe`），照片并入整改前照片。不改变任务状态和 `version`，不需要带版本。其他单位的任务答 404，责任单位答 403，任务已销号或撤销答 409 ILLEGAL_TRANSITION；带同一 `Idempotency-Key` 重试时返回第一次记下的留痕。',
  })
  @Post(':id/observations')
  @ApiIdempotencyKeyHeader()
  @ApiCreatedResponse({ type: TaskEventDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  observe(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: CreateObservationDto,
    @RequestHeader('idempotency-key') key?: string,
  ): Promise<TaskEventDto> {
    return this.field.observe(p, id, dto, idempotencyKeyOf(key));
  }
}
