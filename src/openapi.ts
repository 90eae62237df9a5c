import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI document, built from the code. `openapi.json` at the top is this, committed. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('创城督导整改 API')
    .setDescription(
      'Inspection and rectification tracker of the district 创城办. Errors are RFC 9457 ' +
        '`application/problem+json` with a stable `code`; validation errors list each field in `errors`.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'A user access token, or a unit API key (cck_…)',
    })
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'A unit API key' },
      'apiKey',
    )
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}
