import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { MapAreaQuery, MapGridQuery, MapTasksQuery } from './dto/map.query.js';
import {
  MapConfigDto,
  MapGridDto,
  MapSiteCollectionDto,
  MapTaskCollectionDto,
} from './dto/map-output.dto.js';
import { MapReader } from './map.reader.js';

const SCOPE =
  '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥；责任单位只看到本单位的任务。';

/** 一张图: tasks and sites as GeoJSON (RFC 7946, WGS-84 / CGCS2000 degrees), and grid counts. */
@ApiTags('map')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('map')
export class MapController {
  constructor(private readonly map: MapReader) {}

  @ApiOperation({
    summary: '一张图：任务',
    description:
      SCOPE +
      '在办任务和最近销号的任务（closedWithinDays 天内，默认 30）作为 GeoJSON 点要素，带状态、红黄绿灯、督办级别、类别和责任单位。' +
      '筛选条件与任务列表相同，另可按 bbox（minLng,minLat,maxLng,maxLat）框选；任务没有坐标时取其点位的坐标，二者都没有的任务不上图。' +
      '最多 limit 个（期限最近的在前），超出时 truncated 为 true。只读。',
  })
  @Get('tasks')
  @ApiOkResponse({ type: MapTaskCollectionDto })
  @ApiProblems(400, 401)
  tasks(
    @CurrentPrincipal() p: Principal,
    @Query() q: MapTasksQuery,
  ): Promise<MapTaskCollectionDto> {
    return this.map.tasks(p, q);
  }

  @ApiOperation({
    summary: '一张图：网格计数（热力图）',
    description:
      SCOPE +
      '与「一张图：任务」同样的任务（同样的筛选、在办和最近销号），在 bbox 内按 cell 度的方格计数，供小比例尺下的热力图；各格之和等于上图任务数。只读。',
  })
  @Get('grid')
  @ApiOkResponse({ type: MapGridDto })
  @ApiProblems(400, 401)
  grid(@CurrentPrincipal() p: Principal, @Query() q: MapGridQuery): Promise<MapGridDto> {
    return this.map.grid(p, q);
  }

  @ApiOperation({
    summary: '一张图：点位',
    description:
      '任何已登录的调用方。启用且有坐标的点位作为 GeoJSON 点要素，带类型、默认责任单位和调用方可见的在办任务数（责任单位只计本单位）。只读。',
  })
  @Get('sites')
  @ApiOkResponse({ type: MapSiteCollectionDto })
  @ApiProblems(400, 401)
  sites(@CurrentPrincipal() p: Principal, @Query() q: MapAreaQuery): Promise<MapSiteCollectionDto> {
    return this.map.sites(p, q.bbox);
  }

  @ApiOperation({
    summary: '一张图：底图配置',
    description:
      '任何已登录的调用方。控制台地图的瓦片图层（按配置：天地图或其他瓦片服务；为空时不显示底图）。只读。',
  })
  @Get('config')
  @ApiOkResponse({ type: MapConfigDto })
  @ApiProblems(401)
  config(): MapConfigDto {
    return this.map.mapConfig();
  }
}
