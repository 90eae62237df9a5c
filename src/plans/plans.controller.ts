import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
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
import { ParseId } from '../common/http/parse-id.pipe.js';
import { ApiIfMatchHeader, RequestHeader } from '../common/http/request-header.js';
import { requiredVersion } from '../common/http/versioning.js';
import {
  CoverageQuery,
  CreatePlanDto,
  ListPlansQuery,
  PlanCoverageDto,
  PlanDto,
  PlanListDto,
  UnvisitedSitesDto,
  UnvisitedSitesQuery,
  UpdatePlanDto,
} from './dto/plan.dto.js';
import { PlansService } from './plans.service.js';

const VISIT_RULE =
  '点位算作某督导员已督导：该督导员登记、未作废、检查日期在计划周期内的督导检查列明了该点位，或在该点位登记了问题。';

/** 督导计划: the office plans, inspectors read their own, units see none (403). */
@ApiTags('plans')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @ApiOperation({
    summary: '督导计划列表',
    description: `创城办（admin）看全部（可按督导员、时段筛选），督导员（inspector）只看自己的；责任单位 403。每个点位带是否已督导（截至今日）。${VISIT_RULE}`,
  })
  @Roles('admin', 'inspector')
  @Get()
  @ApiOkResponse({ type: PlanListDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListPlansQuery): Promise<PlanListDto> {
    return this.plans.list(p, q);
  }

  @ApiOperation({
    summary: '督导覆盖率',
    description: `仅创城办（admin）。时段 [from, to]（默认本周）内的计划点位已督导数 ÷ 计划点位数，按督导员、点位类型、责任单位（点位默认单位）和合计。与时段有交集的计划整体计入；点位在计划首日至计划末日与 to 较早者之间被督导即算已督导。${VISIT_RULE}`,
  })
  @Roles('admin')
  @Get('coverage')
  @ApiOkResponse({ type: PlanCoverageDto })
  @ApiProblems(400, 401, 403)
  coverage(@Query() q: CoverageQuery): Promise<PlanCoverageDto> {
    return this.plans.coverage(q.from, q.to);
  }

  @ApiOperation({
    summary: '督导计划详情',
    description: '创城办（admin）任意一份；督导员只能看自己的（别人的答 404）；责任单位 403。',
  })
  @Roles('admin', 'inspector')
  @Get(':id')
  @ApiOkResponse({ type: PlanDto })
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseId) id: string): Promise<PlanDto> {
    return this.plans.get(p, id);
  }

  @ApiOperation({
    summary: '新建督导计划',
    description:
      '仅创城办（admin）。为一名督导员安排一周（周一至周日）或一个月（自然月）要督导的点位；每名督导员每个周期一份计划，重复答 409 PLAN_PERIOD_TAKEN。',
  })
  @Roles('admin')
  @Post()
  @ApiCreatedResponse({ type: PlanDto })
  @ApiProblems(400, 401, 403, 409)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreatePlanDto): Promise<PlanDto> {
    return this.plans.create(p, dto);
  }

  @ApiOperation({
    summary: '修改督导计划',
    description:
      '仅创城办（admin）。整份替换（点位清单在同一事务中替换）；须带上看到的 `version`（请求体或 `If-Match`），版本过期答 409 VERSION_CONFLICT。',
  })
  @Roles('admin')
  @Put(':id')
  @ApiIfMatchHeader()
  @ApiOkResponse({ type: PlanDto })
  @ApiProblems(400, 401, 403, 404, 409)
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: UpdatePlanDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<PlanDto> {
    const { version, ...plan } = dto;
    return this.plans.update(p, id, requiredVersion(version, m, '督导计划'), plan);
  }

  @ApiOperation({ summary: '删除督导计划', description: '仅创城办（admin）。' })
  @Roles('admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404)
  remove(@Param('id', ParseId) id: string): Promise<void> {
    return this.plans.remove(id);
  }
}

/** 未督导点位, beside the catalog's /sites (a static path, so it never reads as a site id). */
@ApiTags('plans')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('sites')
export class UnvisitedSitesController {
  constructor(private readonly plans: PlansService) {}

  @ApiOperation({
    summary: '未督导点位',
    description: `仅创城办（admin）。启用的点位中，N 天（days，默认 PLAN_UNVISITED_DAYS=30）内无人督导的（从未督导的在前，然后按最后督导日期从早到晚），带最后督导日期和距今天数。督导指未作废的督导检查列明了该点位，或在该点位登记了问题。`,
  })
  @Roles('admin')
  @Get('unvisited')
  @ApiOkResponse({ type: UnvisitedSitesDto })
  @ApiProblems(400, 401, 403)
  unvisited(@Query() q: UnvisitedSitesQuery): Promise<UnvisitedSitesDto> {
    return this.plans.unvisited(q.days);
  }
}
