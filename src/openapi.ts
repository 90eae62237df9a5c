import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { problemResponse } from './common/http/api-problems.js';

/** The tags in the order a reader meets them: signing in, the work, the reports, the setup. */
const TAGS: readonly (readonly [name: string, description: string])[] = [
  ['auth', '登录、刷新令牌、退出登录（公开接口）'],
  ['me', '当前调用方：身份与修改密码'],
  ['tasks', '整改任务：登记问题、任务列表、详情、留痕和整改台账导出。责任单位只看到本单位的任务'],
  [
    'task actions',
    '任务流转：派遣、改派、整改反馈、复查、延期、申诉、挂账、撤销、反弹、调整期限。每个操作须带任务 `version`（请求体或 `If-Match`）',
  ],
  ['inspections', '督导检查与调度会，可同时登记发现的问题'],
  ['attachments', '证据照片：上传（JPEG、PNG、WEBP）、下载和照片信息'],
  ['notifications', '站内通知（仅限用户；单位系统改用 Webhook）'],
  ['reports', '综合评价周报：各单位、各类别指标、排名和红黄绿牌（创城办、督导员）'],
  ['bulletins', '工作快报：起草、修改、发布、导出 Markdown 和 Word（创城办；督导员只读）'],
  ['catalog', '问题类别与点位（全员可读，创城办维护）'],
  ['units', '责任单位及其 Webhook（全员可读，创城办维护）'],
  ['users', '用户账号（仅创城办）'],
  ['api-keys', '责任单位的 API 密钥（仅创城办签发、吊销）'],
  ['operations', '运行维护：队列、积压和 Webhook 投递（仅创城办）'],
  [
    'open311',
    'Open311 GeoReport v2 与 mySociety 的 servicerequestupdates（无 /api/v1 前缀，.json 或 .xml，错误按规范的 errors 格式）',
  ],
  ['health', '存活与就绪检查（公开，无 /api/v1 前缀）'],
];

type Operation = OpenAPIObject['paths'][string]['get'];

function operationsOf(doc: OpenAPIObject): NonNullable<Operation>[] {
  const methods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
  return Object.values(doc.paths).flatMap((item) =>
    methods.flatMap((m) => (item[m] ? [item[m]] : [])),
  );
}

/** The OpenAPI document, built from the code. `openapi.json` at the top is this, committed. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('创城督导整改 API')
    .setDescription(
      '区创城办督导整改系统。角色：admin = 创城办，inspector = 督导员，unit = 责任单位的用户或 API 密钥。' +
        '错误按 RFC 9457 返回 `application/problem+json`，带稳定的 `code`；参数校验错误在 `errors` 中逐项列出字段。' +
        '除健康检查外，所有接口均受请求频率限制（每个调用方），超出答 429 `RATE_LIMITED`；台账导出、综合评价和快报生成另限同时进行的请求数，超出答 429 `TOO_MANY_CONCURRENT`。均带 `Retry-After`。',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: '用户的访问令牌，或责任单位的 API 密钥（cck_…）',
    })
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: '责任单位的 API 密钥' },
      'apiKey',
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const doc = SwaggerModule.createDocument(app, builder.build(), {
    // Every route names its tags; no tag made up from a controller's class name.
    autoTagControllers: false,
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  for (const op of operationsOf(doc)) {
    // A general rate limit applies to every route but the health checks, so they may answer 429.
    if (!op.operationId?.startsWith('Health_')) op.responses['429'] ??= problemResponse(429);
  }
  return doc;
}
