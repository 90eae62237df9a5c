import {
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
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
import { idempotencyKeyOf } from '../common/http/idempotency-key.js';
import { ApiIdempotencyKeyHeader, RequestHeader } from '../common/http/request-header.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AttachmentsService } from './attachments.service.js';
import { Clock } from '../common/clock.js';
import { AttachmentDto, PhotoVariantQuery, UploadAttachmentBody } from './dto/attachment.dto.js';
import { DECLARED_CAPTURE_FIELDS, parseDeclaredCapture } from './evidence/declared-capture.js';
import { PhotoVariantsService, type DerivedPhoto } from './evidence/photo-variants.service.js';
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
    private readonly variants: PhotoVariantsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Upload one photo (JPEG, PNG or WEBP, told by its bytes) as field `file`. */
  @ApiOperation({
    summary: '上传照片',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥。上传一张证据照片（JPEG、PNG 或 WEBP，按文件内容判断），返回其 id，供任务、整改反馈和复查引用。服务端读取照片自带的 EXIF 拍摄时间和 GPS 位置；客户端可另行声明拍摄时间 `capturedAt`、位置 `lat`/`lng` 和精度 `accuracyM`，两者分别保存、注明来源。',
  })
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAttachmentBody })
  @ApiCreatedResponse({ type: AttachmentDto })
  @ApiProblems(400, 401, 413, 415, 422)
  @ApiIdempotencyKeyHeader()
  async upload(
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @RequestHeader('idempotency-key') key?: string,
  ): Promise<AttachmentDto> {
    const idempotencyKey = idempotencyKeyOf(key);
    const upload = await readSingleFile(
      req,
      'file',
      this.config.storage.uploadMaxBytes,
      DECLARED_CAPTURE_FIELDS,
    );
    const declared = parseDeclaredCapture(upload.fields, this.clock.now());
    return this.attachments.upload(principal, upload, declared, idempotencyKey);
  }

  /**
   * The photo itself (its bytes never change, so the ETag is their SHA-256), or a derived copy:
   * `variant=thumb` (JPEG, longest side 320 px, under 30 KB) or `variant=watermarked` (JPEG with
   * the burned-in 水印), each with an ETag of its own.
   */
  @ApiOperation({
    summary: '下载照片',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥；只能取自己上传的或能看到的任务上的照片，否则答 404。`variant=thumb` 取缩略图（列表用），`variant=watermarked` 取带水印（时间 · 地点 · 上传人）的副本，缺省为原图（原样字节）。支持 `If-None-Match`。只读，不改变数据。',
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
    @Query() query: PhotoVariantQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile | undefined> {
    const attachment = await this.attachments.findVisible(id, principal);
    const variant = query.variant ?? 'original';
    if (variant !== 'original') {
      const derived =
        variant === 'thumb'
          ? this.variants.thumbnail(attachment)
          : await this.variants.watermarked(attachment);
      return this.sendDerived(req, reply, `${attachment.id}-${variant}.jpg`, derived);
    }
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

  private async sendDerived(
    req: FastifyRequest,
    reply: FastifyReply,
    fileName: string,
    derived: DerivedPhoto,
  ): Promise<StreamableFile | undefined> {
    reply.header('etag', derived.etag);
    // A thumbnail is fixed by the original's bytes; a 水印's text may change (the photo linked to
    // a task names its place), so browsers revalidate it sooner.
    reply.header('cache-control', `private, max-age=${derived.maxAgeSeconds}`);
    if (matchesEtag(req.headers['if-none-match'], derived.etag)) {
      reply.status(304);
      return undefined;
    }
    const data = await derived.load();
    reply.header('content-type', 'image/jpeg');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-disposition', `inline; filename="${fileName}"`);
    reply.header('content-security-policy', "sandbox; default-src 'none'");
    return new StreamableFile(data, { length: data.length });
  }

  @ApiOperation({
    summary: '照片信息',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥；可见范围同下载照片。返回类型、大小、哈希，以及拍摄时间和位置（照片 EXIF 所载与客户端声明的分别列出）。只读，不改变数据。',
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
