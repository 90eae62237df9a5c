import { Controller, Get, Inject, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AttachmentsService } from './attachments.service.js';
import { AttachmentDto, UploadAttachmentBody } from './dto/attachment.dto.js';
import { IMAGE_MIMES } from './image-sniffer.js';
import { readSingleFile } from './multipart-upload.js';

/** 证据照片. Every role uploads; each reads what it may see (a unit: its own and its tasks'). */
@ApiTags('attachments')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('attachments')
export class AttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Upload one photo (JPEG, PNG or WEBP, told by its bytes) as field `file`. */
  @ApiOperation({
    summary: '上传照片',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥。上传一张证据照片（JPEG、PNG 或 WEBP，按文件内容判断），返回其 id，供任务、整改反馈和复查引用。',
  })
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAttachmentBody })
  @ApiCreatedResponse({ type: AttachmentDto })
  @ApiProblems(400, 401, 413, 415, 422)
  async upload(
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AttachmentDto> {
    const file = await readSingleFile(req, 'file', this.config.storage.uploadMaxBytes);
    return this.attachments.upload(principal, file);
  }

  /** The photo itself. Its bytes never change, so the ETag is their SHA-256. */
  @ApiOperation({
    summary: '下载照片',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥；只能取自己上传的或能看到的任务上的照片，否则答 404。支持 `If-None-Match`。只读，不改变数据。',
  })
  @Get(':id')
  @ApiOkResponse({
    description: 'The photo, under the type sniffed at upload',
    content: Object.fromEntries(
      IMAGE_MIMES.map((mime) => [mime, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @ApiResponse({ status: 304, description: 'Not modified (`If-None-Match` matched the ETag)' })
  @ApiProblems(400, 401, 404)
  async download(
    @Param('id', ParseId) id: string,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile | undefined> {
    const attachment = await this.attachments.findVisible(id, principal);
    const etag = `"${attachment.sha256}"`;
    reply.header('etag', etag);
    reply.header('cache-control', 'private, max-age=86400');
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      reply.status(304);
      return undefined;
    }
    reply.header('content-type', attachment.mime);
    // Served under the sniffed type only; browsers must not guess another. Opened directly, it
    // is shown as an image under our name, in a sandbox that runs nothing and loads nothing.
    reply.header('x-content-type-options', 'nosniff');
    reply.header(
      'content-disposition',
      `inline; filename="${attachment.id}.${EXTENSION_OF_MIME[attachment.mime]}"`,
    );
    reply.header('content-security-policy', "sandbox; default-src 'none'");
    return new StreamableFile(await this.attachments.content(attachment), {
      length: attachment.sizeBytes,
    });
  }

  @ApiOperation({
    summary: '照片信息',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥；可见范围同下载照片。返回类型、大小、哈希等信息。只读，不改变数据。',
  })
  @Get(':id/meta')
  @ApiOkResponse({ type: AttachmentDto })
  @ApiProblems(400, 401, 404)
  meta(
    @Param('id', ParseId) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AttachmentDto> {
    return this.attachments.getMeta(id, principal);
  }
}

/** The file name extension a photo is served under (`Content-Disposition`). */
const EXTENSION_OF_MIME: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** `If-None-Match` (RFC 9110 §13.1.2): `*` or a list of tags, compared weakly. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}
