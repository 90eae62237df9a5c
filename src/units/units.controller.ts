import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get()
  @ApiOkResponse({ type: UnitPageDto })
  @ApiProblems(400, 401)
  list(@Query() q: ListUnitsQuery): Promise<UnitPageDto> {
    return this.units.list(q);
  }

  @Get(':id')
  @ApiOkResponse({ type: UnitDto })
  @ApiProblems(400, 401, 404)
  get(@Param('id', ParseId) id: string): Promise<UnitDto> {
    return this.units.get(id);
  }

  @Roles('admin')
  @Post()
  @ApiCreatedResponse({ type: UnitDto })
  @ApiProblems(400, 401, 403, 409)
  create(@Body() dto: CreateUnitDto): Promise<UnitDto> {
    return this.units.create(dto);
  }

  @Roles('admin')
  @Patch(':id')
  @ApiOkResponse({ type: UnitDto })
  @ApiProblems(400, 401, 403, 404, 409)
  update(@Param('id', ParseId) id: string, @Body() dto: UpdateUnitDto): Promise<UnitDto> {
    return this.units.update(id, dto);
  }
}
