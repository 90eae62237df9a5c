import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles, type Principal } from '../../common/auth/principal.js';
import { invalidField } from '../../common/errors/domain-error.js';
import { ApiProblems } from '../../common/http/api-problems.js';
import { ParseId } from '../../common/http/parse-id.pipe.js';
import { asDownload, DOCX_TYPE } from '../http-files.js';
import { BulletinsService } from './bulletins.service.js';
import {
  BulletinDto,
  BulletinFormatQuery,
  BulletinPageDto,
  CreateBulletinDto,
  EditParagraphDto,
  ListBulletinsQuery,
  VersionDto,
} from './dto/bulletin.dto.js';

const MAX_KEY_LENGTH = 200;

/**
 * 工作快报. The office drafts, edits and publishes; inspectors read. Units have no access: a
 * draft is internal until the office sends it out.
 */
@ApiTags('bulletins')
@ApiBearerAuth()
@Roles('admin', 'inspector')
@Controller('bulletins')
export class BulletinsController {
  constructor(private readonly bulletins: BulletinsService) {}

  /** Drafts the next issue (last number + 1) for the period since the last one ended. */
  @Roles('admin')
  @Post()
  @ApiCreatedResponse({ type: BulletinDto })
  @ApiProblems(400, 401, 403, 409, 422)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateBulletinDto): Promise<BulletinDto> {
    return this.bulletins.create(p, dto);
  }

  /** Issues, newest first. */
  @Get()
  @ApiOkResponse({ type: BulletinPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() q: ListBulletinsQuery): Promise<BulletinPageDto> {
    return this.bulletins.list(q);
  }

  /** JSON (default), Markdown (`format=markdown`) or Word (`format=docx`, 快报第N期.docx). */
  @Get(':id')
  @ApiProduces('application/json', 'text/markdown', DOCX_TYPE)
  @ApiOkResponse({ type: BulletinDto })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @Param('id', ParseId) id: string,
    @Query() q: BulletinFormatQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BulletinDto | string | Buffer> {
    if (q.format === 'markdown') {
      const { text } = await this.bulletins.markdown(id);
      reply.header('content-type', 'text/markdown; charset=utf-8');
      return text;
    }
    if (q.format === 'docx') {
      const { issueNumber, buffer } = await this.bulletins.docx(id);
      asDownload(reply, DOCX_TYPE, `bulletin-${issueNumber}.docx`, `快报第${issueNumber}期.docx`);
      return buffer;
    }
    return this.bulletins.get(id);
  }

  /** Replaces one generated paragraph of a draft; the generated text is kept. */
  @Roles('admin')
  @Put(':id/paragraphs/:key')
  @ApiParam({ name: 'key', description: 'Paragraph key, as in `sections[].paragraphs[].key`' })
  @ApiOkResponse({ type: BulletinDto })
  @ApiProblems(400, 401, 403, 404, 409)
  edit(
    @Param('id', ParseId) id: string,
    @Param('key') key: string,
    @Body() dto: EditParagraphDto,
  ): Promise<BulletinDto> {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw invalidField('key', `key must be 1-${MAX_KEY_LENGTH} characters`, 'length');
    }
    return this.bulletins.editParagraph(id, key, dto);
  }

  /** Publishes the issue: it is frozen from then on. */
  @Roles('admin')
  @Post(':id/publish')
  @HttpCode(200)
  @ApiOkResponse({ type: BulletinDto })
  @ApiProblems(400, 401, 403, 404, 409)
  publish(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: VersionDto,
  ): Promise<BulletinDto> {
    return this.bulletins.publish(p, id, dto.version);
  }

  /** Regenerates a draft's text from the current data for its period; edits are kept. */
  @Roles('admin')
  @Post(':id/regenerate')
  @HttpCode(200)
  @ApiOkResponse({ type: BulletinDto })
  @ApiProblems(400, 401, 403, 404, 409)
  regenerate(@Param('id', ParseId) id: string, @Body() dto: VersionDto): Promise<BulletinDto> {
    return this.bulletins.regenerate(id, dto.version);
  }
}
