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
import { IsOptional, IsString } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '../../common/auth/principal.js';
import { ApiProblems } from '../../common/http/api-problems.js';
import { DigestService } from './digest.service.js';
import { UnitDigestRowDto } from './dto/digest.dto.js';

export class UnitOwnDigestQuery {
  @ApiPropertyOptional({
    example: '2026-11-16',
    description: 'First day (Asia/Shanghai), inclusive',
  })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-11-22',
    description: 'Last day (Asia/Shanghai), inclusive',
  })
  @IsOptional()
  @IsString()
  to?: string;
}

/** A unit's own line of the digest: its figures, its rank and card, and how many were ranked. */
export class UnitOwnDigestDto {
  @ApiProperty({ example: '2026-11-16' }) from: string;
  @ApiProperty({ example: '2026-11-22' }) to: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ description: 'How many units were ranked in the period', example: 12 })
  rankedUnits: number;
  @ApiProperty({ type: UnitDigestRowDto }) row: UnitDigestRowDto;
}

/**
 * 综合评价 for a responsible unit: the same computation as `GET /reports/digest`, of which the
 * unit receives its own row only (no other unit's name, figures or card).
 */
@ApiTags('reports')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Roles('unit')
@Controller('reports')
export class UnitDigestController {
  constructor(private readonly digests: DigestService) {}

  /** The calling unit's row of the digest (default: the last full Monday–Sunday week). */
  @ApiOperation({
    summary: '本单位综合评价',
    description:
      '仅责任单位（unit）的用户或 API 密钥。返回本单位在综合评价中的一行（数据、排名和色卡）及参评单位数，默认上一个完整的周一至周日；不含其他单位的信息。只读，不改变数据。',
  })
  @Get('digest/mine')
  @ApiOkResponse({ type: UnitOwnDigestDto })
  @ApiProblems(400, 401, 403)
  async mine(
    @CurrentPrincipal() principal: Principal,
    @Query() q: UnitOwnDigestQuery,
  ): Promise<UnitOwnDigestDto> {
    const { from, to } = this.digests.resolveRange(q.from, q.to);
    const digest = await this.digests.compute(from, to);
    const own = digest.units.find((u) => u.unitId === principal.unitId);
    const zero = Object.fromEntries(
      Object.entries(digest.totals).map(([k, v]) => [k, typeof v === 'number' ? 0 : null]),
    ) as unknown as UnitDigestRowDto['figures'];
    return {
      from: digest.from,
      to: digest.to,
      timeZone: digest.timeZone,
      generatedAt: digest.generatedAt,
      rankedUnits: digest.units.filter((u) => u.rank !== null).length,
      row: own ?? {
        unitId: principal.unitId ?? '',
        unitName: '',
        rank: null,
        card: null,
        unrankedReason: 'below_min_volume',
        figures: zero,
      },
    };
  }
}
