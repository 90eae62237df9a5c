import { Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/principal.js';
import { ApiProblems } from '../../common/http/api-problems.js';
import { asDownload, XLSX_TYPE } from '../../common/http/download.js';
import { digestCsv, digestXlsx } from './digest-export.js';
import type { Digest } from './digest-model.js';
import { DigestService } from './digest.service.js';
import { DigestDto, DigestFormatQuery, DigestQuery, type DigestFormat } from './dto/digest.dto.js';
import { HeavyRoute } from '../../throttling/heavy-route.guard.js';
import { ParseDay } from '../../common/time/parse-day.pipe.js';

async function render(
  digest: Digest,
  format: DigestFormat | undefined,
  reply: FastifyReply,
): Promise<Digest | string | Buffer> {
  if (format === undefined || format === 'json') return digest;
  const stem = `${digest.from.replaceAll('-', '')}-${digest.to.replaceAll('-', '')}`;
  if (format === 'csv') {
    asDownload(reply, 'text/csv; charset=utf-8', `digest-${stem}.csv`, `综合评价-${stem}.csv`);
    return digestCsv(digest);
  }
  asDownload(reply, XLSX_TYPE, `digest-${stem}.xlsx`, `综合评价-${stem}.xlsx`);
  return digestXlsx(digest);
}

/**
 * 综合评价周报: per unit and category figures, ranking and 红/黄/绿牌 for the office and the
 * inspectors. Units do not see the league table.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('admin', 'inspector')
@Controller('reports')
export class DigestController {
  constructor(private readonly digests: DigestService) {}

  /**
   * Computed now, for any range of days (default: the last full Monday–Sunday week; or
   * period=this-week), counted up to now when it reaches past now.
   */
  @ApiOperation({
    summary: '综合评价',
    description:
      '创城办（admin）和督导员（inspector）；责任单位不可调用（403）。即时计算任意时段（默认上一个完整周；period=this-week 为本周至今；时段延伸到将来时只算到此刻，clampedToNow 为 true）各单位、各类别的指标、排名和红黄绿牌，可导出 CSV 或 Excel。只读，不改变数据。',
  })
  @Get('digest')
  @HeavyRoute()
  @ApiProduces('application/json', 'text/csv', XLSX_TYPE)
  @ApiOkResponse({ type: DigestDto })
  @ApiProblems(400, 401, 403)
  async digest(
    @Query() q: DigestQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Digest | string | Buffer> {
    const { from, to } = this.digests.resolveRange(q.from, q.to, q.period);
    return render(await this.digests.compute(from, to), q.format, reply);
  }

  /** The week's digest as stored the Monday after it: the same whenever it is read. */
  @ApiOperation({
    summary: '已存档的周报',
    description:
      '创城办（admin）和督导员（inspector）。读取某周（`weekStart` 为周一）存档的综合评价周报，任何时候读都一样；尚未存档答 404。只读，不改变数据。',
  })
  @Get('digests/:weekStart')
  @HeavyRoute()
  @ApiProduces('application/json', 'text/csv', XLSX_TYPE)
  @ApiOkResponse({ type: DigestDto })
  @ApiProblems(400, 401, 403, 404)
  async stored(
    @Param('weekStart', ParseDay) weekStart: string,
    @Query() q: DigestFormatQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Digest | string | Buffer> {
    return render(await this.digests.getStored(weekStart), q.format, reply);
  }

  /**
   * Stores a finished week's digest now if the schedule has not (backfill); a stored one is
   * never replaced. 201 when stored by this call, 200 when it already was.
   */
  @ApiOperation({
    summary: '存档周报',
    description:
      '仅创城办（admin）。立即计算并存档一个已结束的周（补存）；已存档的不会被覆盖（答 200 原样返回），未结束的周答 422。',
  })
  @Roles('admin')
  @Post('digests/:weekStart')
  @HeavyRoute()
  @ApiCreatedResponse({ type: DigestDto })
  @ApiOkResponse({ type: DigestDto, description: 'Already stored; returned unchanged' })
  @ApiProblems(400, 401, 403, 422)
  async store(
    @Param('weekStart', ParseDay) weekStart: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Digest> {
    const { digest, created } = await this.digests.generateAndStore(weekStart);
    reply.status(created ? 201 : 200);
    return digest;
  }
}
