import {
  applyDecorators,
  Controller,
  Get,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiExtraModels,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public, type RequestWithPrincipal, type Principal } from '../common/auth/principal.js';
import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';
import { API_PREFIX } from '../common/http/api-prefix.js';
import { ApiIdempotencyKeyHeader } from '../common/http/request-header.js';
import { Open311ErrorDto } from './dto/open311-error.dto.js';
import { Open311AuthGuard } from './open311-auth.guard.js';
import { Open311ErrorsFilter } from './open311-errors.filter.js';
import { sendOpen311, splitResource, type Open311Format } from './open311-format.js';
import { Open311Service, type MediaUrl } from './open311.service.js';

type Open311Request = FastifyRequest & RequestWithPrincipal;

const SPEC = 'http://wiki.open311.org/GeoReport_v2';
/** When these addresses last changed (Service Discovery's `changeset`). */
const CHANGESET = '2026-12-01T00:00:00+08:00';

const principalOf = (request: Open311Request): Principal => {
  if (!request.principal) throw new Error('Open311 route without Open311AuthGuard');
  return request.principal;
};

const query = (request: FastifyRequest): Record<string, unknown> =>
  (request.query ?? {}) as Record<string, unknown>;

/**
 * This server as the caller reached it. Behind a TLS-terminating proxy the scheme comes from
 * `X-Forwarded-Proto` (it only shapes the URLs the caller itself gets back).
 */
function originOf(request: FastifyRequest): string {
  const forwarded = request.headers['x-forwarded-proto'];
  const scheme = forwarded === 'https' || forwarded === 'http' ? forwarded : request.protocol;
  return `${scheme}://${request.host}`;
}

/** The photo through the REST API's download (the caller's credentials are needed for it too). */
const mediaUrlOf =
  (request: FastifyRequest): MediaUrl =>
  (id) =>
    `${originOf(request)}/${API_PREFIX}/attachments/${id}`;

const unknownFormat = (): DomainError =>
  new DomainError('not_found', CommonErrorCode.NOT_FOUND, 'format: 只支持 .json 和 .xml');

function formatOf(format: string): Open311Format {
  if (format !== 'json' && format !== 'xml') throw unknownFormat();
  return format;
}

const errorResponse = (status: number, description: string): MethodDecorator =>
  ApiResponse({
    status,
    description: `${description}（规范的错误格式；本系统的错误码在 \`X-Error-Code\`）`,
    content: {
      'application/json': {
        schema: { type: 'array', items: { $ref: getSchemaPath(Open311ErrorDto) } },
      },
      'text/xml': { schema: { type: 'string', example: '<errors><error><code>400</code>…' } },
    },
  });

/** Every operation's errors, in the spec's format (not problem+json), 429 included. */
const errorsDoc = applyDecorators(
  ApiExtraModels(Open311ErrorDto),
  errorResponse(400, '参数有误，description 以参数名开头'),
  errorResponse(401, '缺少或无效的凭据'),
  errorResponse(404, '不存在、其他单位的，或格式不是 json/xml'),
  errorResponse(429, '请求过于频繁（带 `Retry-After`）'),
);

/** The spec's `api_key` parameter (the X-Api-Key header and bearer tokens work as well). */
const ApiKeyQuery = (): MethodDecorator =>
  ApiQuery({
    name: 'api_key',
    required: false,
    description: '责任单位的 API 密钥（cck_…）；也可用 X-Api-Key 或 Bearer',
  });

const WindowQueries = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({
      name: 'start_date',
      required: false,
      description: 'W3C 时间，如 2026-11-01T00:00:00+08:00；缺省为 end_date 前 90 天',
    }),
    ApiQuery({
      name: 'end_date',
      required: false,
      description: 'W3C 时间；缺省为现在（或 start_date 后 90 天）；跨度不超过 90 天',
    }),
  );

/** `.json` or `.xml`: the format of the answer (the spec's way). */
const FormatParam = (): MethodDecorator =>
  ApiParam({ name: 'format', enum: ['json', 'xml'], description: "The answer's format" });

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) and mySociety's
 * servicerequestupdates extension, for integrators' systems. Outside `/api/v1`: these are the
 * standard's addresses. Format by extension, `.json` or `.xml`. Credentials and scope as the REST
 * API (see Open311AuthGuard; a unit sees its own unit's requests only).
 */
@ApiTags('open311')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Public()
@UseGuards(Open311AuthGuard)
@UseFilters(Open311ErrorsFilter)
@Controller('open311/v2')
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  @ApiOperation({
    summary: 'Open311 服务发现（Service Discovery）',
    description: '任何已登录的调用方。本接口的地址、规范与格式。只读。',
  })
  @Get('discovery.:format')
  @FormatParam()
  @ApiProduces('application/json', 'text/xml')
  @ApiResponse({ status: 200, description: 'discovery' })
  @errorsDoc
  @ApiKeyQuery()
  discovery(
    @Req() request: Open311Request,
    @Param('format') format: string,
    @Res() reply: FastifyReply,
  ): FastifyReply {
    const f = formatOf(format);
    const body = {
      changeset: CHANGESET,
      contact: '创城办（创建全国文明城市工作办公室）',
      key_service: '向创城办申请 API 密钥（责任单位）或使用创城办、督导员的账号',
      endpoints: [
        {
          specification: SPEC,
          url: `${originOf(request)}/open311/v2`,
          changeset: CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
    return sendOpen311(reply, f, 'discovery', body);
  }

  @ApiOperation({
    summary: 'Open311 服务列表（GET Service List）',
    description:
      '任何已登录的调用方。启用的问题类别：service_code 为类别编码，group 为类别分组。只读。',
  })
  @Get('services.:format')
  @FormatParam()
  @ApiProduces('application/json', 'text/xml')
  @ApiResponse({ status: 200, description: '`[service]` / `<services><service>`' })
  @errorsDoc
  @ApiKeyQuery()
  async services(
    @Param('format') format: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const f = formatOf(format);
    const body = await this.open311.services();
    return sendOpen311(reply, f, 'services', body, 'service');
  }

  @ApiOperation({
    summary: 'Open311 服务定义（GET Service Definition）',
    description:
      '任何已登录的调用方。类别没有附加属性（attributes 为空）；未知或停用的类别答 404。只读。',
  })
  @Get('services/:file')
  @ApiParam({ name: 'file', example: 'HJ07.json', description: '`{service_code}.json` or `.xml`' })
  @ApiProduces('application/json', 'text/xml')
  @ApiResponse({ status: 200, description: '`service_definition`' })
  @errorsDoc
  @ApiKeyQuery()
  async serviceDefinition(
    @Param('file') file: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const resource = splitResource(file);
    if (!resource) throw unknownFormat();
    const body = await this.open311.serviceDefinition(resource.name);
    return sendOpen311(reply, resource.format, 'service_definition', body);
  }

  @ApiOperation({
    summary: 'Open311 服务请求列表（GET Service Requests）',
    description:
      '任何已登录的调用方；责任单位只看到本单位的任务。参数按规范：service_request_id（逗号分隔，指定时忽略其他参数）、service_code、status（open/closed）、start_date/end_date（W3C 时间，缺省为最近 90 天，跨度不超过 90 天）；最多 1000 条，按登记时间倒序。只读。',
  })
  @Get('requests.:format')
  @FormatParam()
  @ApiQuery({ name: 'service_request_id', required: false, description: '任务编号，逗号分隔' })
  @ApiQuery({ name: 'service_code', required: false, description: '类别编码，逗号分隔' })
  @ApiQuery({ name: 'status', required: false, description: 'open、closed，逗号分隔' })
  @WindowQueries()
  @ApiProduces('application/json', 'text/xml')
  @ApiResponse({ status: 200, description: '`[request]` / `<service_requests><request>`' })
  @errorsDoc
  @ApiKeyQuery()
  async requests(
    @Req() request: Open311Request,
    @Param('format') format: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const f = formatOf(format);
    const body = await this.open311.requests(
      principalOf(request),
      query(request),
      mediaUrlOf(request),
    );
    return sendOpen311(reply, f, 'service_requests', body, 'request');
  }

  @ApiOperation({
    summary: 'Open311 登记服务请求（POST Service Request）',
    description:
      '创城办（admin）和督导员（inspector）；责任单位的密钥答 403。表单（application/x-www-form-urlencoded）或 JSON：service_code、description，位置为 lat 与 long、address_string 或 address_id（点位编码）之一。与 POST /api/v1/tasks 走同一登记流程（按点位派遣、按类别计算期限）；支持 Idempotency-Key。',
  })
  @Post('requests.:format')
  @FormatParam()
  @ApiIdempotencyKeyHeader()
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiProduces('application/json', 'text/xml')
  @ApiResponse({
    status: 201,
    description: '`[{service_request_id, service_notice, account_id}]`',
  })
  @errorsDoc
  @errorResponse(403, '责任单位的凭据不能登记问题')
  @ApiKeyQuery()
  async create(
    @Req() request: Open311Request,
    @Param('format') format: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const f = formatOf(format);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const key = request.headers['idempotency-key'];
    const created = await this.open311.create(
      principalOf(request),
      typeof body === 'object' && !Array.isArray(body) ? body : {},
      typeof key === 'string' ? key : undefined,
    );
    reply.status(201);
    return sendOpen311(reply, f, 'service_requests', created, 'request');
  }

  @ApiOperation({
    summary: 'Open311 单个服务请求（GET Service Request）',
    description:
      '任何已登录的调用方；service_request_id 为任务编号（如 ZG-2026-000123）。其他单位的任务答 404。只读。',
  })
  @Get('requests/:file')
  @ApiParam({ name: 'file', example: 'ZG-2026-000123.json' })
  @ApiProduces('application/json', 'text/xml')
  @ApiResponse({ status: 200, description: '`[request]` / `<service_requests><request>`' })
  @errorsDoc
  @ApiKeyQuery()
  async request(
    @Req() request: Open311Request,
    @Param('file') file: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const resource = splitResource(file);
    if (!resource) throw unknownFormat();
    const body = await this.open311.request(
      principalOf(request),
      resource.name,
      mediaUrlOf(request),
    );
    return sendOpen311(reply, resource.format, 'service_requests', body, 'request');
  }

  @ApiOperation({
    summary: 'Open311 状态变更（mySociety servicerequestupdates）',
    description:
      '任何已登录的调用方；责任单位只看到本单位任务的变更。留痕中的状态变化（含立案），start_date/end_date 同服务请求列表，最多 1000 条，按时间正序。只读。',
  })
  @Get('servicerequestupdates.:format')
  @FormatParam()
  @WindowQueries()
  @ApiProduces('application/json', 'text/xml')
  @ApiResponse({
    status: 200,
    description: '`[request_update]` / `<service_requests_updates><request_update>`',
  })
  @errorsDoc
  @ApiKeyQuery()
  async updates(
    @Req() request: Open311Request,
    @Param('format') format: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const f = formatOf(format);
    const body = await this.open311.updates(
      principalOf(request),
      query(request),
      mediaUrlOf(request),
    );
    return sendOpen311(reply, f, 'service_requests_updates', body, 'request_update');
  }
}
