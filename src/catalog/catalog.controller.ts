import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Get()
  @ApiOkResponse({ type: CategoryPageDto })
  @ApiProblems(400, 401)
  list(@Query() q: ListCategoriesQuery): Promise<CategoryPageDto> {
    return this.categories.list(q);
  }

  @Get(':id')
  @ApiOkResponse({ type: CategoryDto })
  @ApiProblems(400, 401, 404)
  get(@Param('id', ParseId) id: string): Promise<CategoryDto> {
    return this.categories.get(id);
  }

  @Roles('admin')
  @Post()
  @ApiCreatedResponse({ type: CategoryDto })
  @ApiProblems(400, 401, 403, 409)
  create(@Body() dto: CreateCategoryDto): Promise<CategoryDto> {
    return this.categories.create(dto);
  }

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
@Controller('sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  @ApiOkResponse({ type: SitePageDto })
  @ApiProblems(400, 401)
  list(@Query() q: ListSitesQuery): Promise<SitePageDto> {
    return this.sites.list(q);
  }

  @Get(':id')
  @ApiOkResponse({ type: SiteDto })
  @ApiProblems(400, 401, 404)
  get(@Param('id', ParseId) id: string): Promise<SiteDto> {
    return this.sites.get(id);
  }

  @Roles('admin')
  @Post()
  @ApiCreatedResponse({ type: SiteDto })
  @ApiProblems(400, 401, 403, 409)
  create(@Body() dto: CreateSiteDto): Promise<SiteDto> {
    return this.sites.create(dto);
  }

  @Roles('admin')
  @Patch(':id')
  @ApiOkResponse({ type: SiteDto })
  @ApiProblems(400, 401, 403, 404, 409)
  update(@Param('id', ParseId) id: string, @Body() dto: UpdateSiteDto): Promise<SiteDto> {
    return this.sites.update(id, dto);
  }
}
