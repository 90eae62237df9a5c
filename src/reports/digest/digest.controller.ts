import { Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/principal.js';
import { ApiProblems } from '../../common/http/api-problems.js';
import { asDownload, XLSX_TYPE } from '../http-files.js';
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

  /** Computed now, for any range of days (default: the last full Monday–Sunday week). */
  @Get('digest')
  @HeavyRoute()
  @ApiProduces('application/json', 'text/csv', XLSX_TYPE)
  @ApiOkResponse({ type: DigestDto })
  @ApiProblems(400, 401, 403)
  async digest(
    @Query() q: DigestQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Digest | string | Buffer> {
    const { from, to } = this.digests.resolveRange(q.from, q.to);
    return render(await this.digests.compute(from, to), q.format, reply);
  }

  /** The week's digest as stored the Monday after it: the same whenever it is read. */
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
