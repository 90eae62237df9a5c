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
import { CategoriesService } from './categories.service.js';
import {
  CategoryDto,
  CategoryPageDto,
  CreateCategoryDto,
  ListCategoriesQuery,
  UpdateCategoryDto,
} from './dto/category.dto.js';
import {
  CreateSiteDto,
  ListSitesQuery,
  SiteDto,
  SitePageDto,
  UpdateSiteDto,
} from './dto/site.dto.js';
import { SitesService } from './sites.service.js';

/** 问题类别: readable by every signed-in caller, written by the office. */
@ApiTags('catalog')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @ApiOperation({
    summary: '问题类别列表',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥。按类别组、启用状态或关键词筛选。只读，不改变数据。',
  })
  @Get()
  @ApiOkResponse({ type: CategoryPageDto })
  @ApiProblems(400, 401)
  list(@Query() q: ListCategoriesQuery): Promise<CategoryPageDto> {
    return this.categories.list(q);
  }

  @ApiOperation({
    summary: '问题类别详情',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥。只读，不改变数据。',
  })
  @Get(':id')
  @ApiOkResponse({ type: CategoryDto })
  @ApiProblems(400, 401, 404)
  get(@Param('id', ParseId) id: string): Promise<CategoryDto> {
    return this.categories.get(id);
  }

  @ApiOperation({
    summary: '新增问题类别',
    description:
      '仅创城办（admin）。新增问题类别及其量词、整改时限和复查方式；代码已存在答 409。只影响之后新建的任务。',
  })
  @Roles('admin')
  @Post()
  @ApiCreatedResponse({ type: CategoryDto })
  @ApiProblems(400, 401, 403, 409)
  create(@Body() dto: CreateCategoryDto): Promise<CategoryDto> {
    return this.categories.create(dto);
  }

  @ApiOperation({
    summary: '修改问题类别',
    description:
      '仅创城办（admin）。修改问题类别（名称、量词、整改时限、复查方式、启用状态等）；代码冲突答 409。',
  })
  @Roles('admin')
  @Patch(':id')
  @ApiOkResponse({ type: CategoryDto })
  @ApiProblems(400, 401, 403, 404, 409)
  update(@Param('id', ParseId) id: string, @Body() dto: UpdateCategoryDto): Promise<CategoryDto> {
    return this.categories.update(id, dto);
  }
}

/** 点位: readable by every signed-in caller, written by the office. */
@ApiTags('catalog')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @ApiOperation({
    summary: '点位列表',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥。只读，不改变数据。',
  })
  @Get()
  @ApiOkResponse({ type: SitePageDto })
  @ApiProblems(400, 401)
  list(@Query() q: ListSitesQuery): Promise<SitePageDto> {
    return this.sites.list(q);
  }

  @ApiOperation({
    summary: '点位详情',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥。只读，不改变数据。',
  })
  @Get(':id')
  @ApiOkResponse({ type: SiteDto })
  @ApiProblems(400, 401, 404)
  get(@Param('id', ParseId) id: string): Promise<SiteDto> {
    return this.sites.get(id);
  }

  @ApiOperation({
    summary: '新增点位',
    description: '仅创城办（admin）。新增督导点位及其默认责任单位；名称冲突答 409。',
  })
  @Roles('admin')
  @Post()
  @ApiCreatedResponse({ type: SiteDto })
  @ApiProblems(400, 401, 403, 409)
  create(@Body() dto: CreateSiteDto): Promise<SiteDto> {
    return this.sites.create(dto);
  }

  @ApiOperation({
    summary: '修改点位',
    description: '仅创城办（admin）。修改点位信息或默认责任单位；名称冲突答 409。',
  })
  @Roles('admin')
  @Patch(':id')
  @ApiOkResponse({ type: SiteDto })
  @ApiProblems(400, 401, 403, 404, 409)
  update(@Param('id', ParseId) id: string, @Body() dto: UpdateSiteDto): Promise<SiteDto> {
    return this.sites.update(id, dto);
  }
}
