import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import {
  CreateUnitDto,
  ListUnitsQuery,
  UnitDto,
  UnitPageDto,
  UpdateUnitDto,
} from './dto/unit.dto.js';
import { UnitsService } from './units.service.js';

/** 责任单位. Every signed-in caller may read them (names appear on tasks); the office writes. */
@ApiTags('units')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @ApiOperation({
    summary: '责任单位列表',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥（单位名称出现在任务上）。只读，不改变数据。',
  })
  @Get()
  @ApiOkResponse({ type: UnitPageDto })
  @ApiProblems(400, 401)
  list(@Query() q: ListUnitsQuery): Promise<UnitPageDto> {
    return this.units.list(q);
  }

  @ApiOperation({
    summary: '责任单位详情',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥。只读，不改变数据。',
  })
  @Get(':id')
  @ApiOkResponse({ type: UnitDto })
  @ApiProblems(400, 401, 404)
  get(@Param('id', ParseId) id: string): Promise<UnitDto> {
    return this.units.get(id);
  }

  @ApiOperation({
    summary: '新建责任单位',
    description: '仅创城办（admin）。新建一个责任单位；代码已存在答 409。',
  })
  @Roles('admin')
  @Post()
  @ApiCreatedResponse({ type: UnitDto })
  @ApiProblems(400, 401, 403, 409)
  create(@Body() dto: CreateUnitDto): Promise<UnitDto> {
    return this.units.create(dto);
  }

  @ApiOperation({
    summary: '修改责任单位',
    description: '仅创城办（admin）。修改单位名称、代码或启用状态；代码冲突答 409。',
  })
  @Roles('admin')
  @Patch(':id')
  @ApiOkResponse({ type: UnitDto })
  @ApiProblems(400, 401, 403, 404, 409)
  update(@Param('id', ParseId) id: string, @Body() dto: UpdateUnitDto): Promise<UnitDto> {
    return this.units.update(id, dto);
  }
}
