import multipart from '@fastify/multipart';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as Pino } from 'pino';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { AppModule } from './app.module.js';
import { CommonErrorCode } from './common/errors/domain-error.js';
import { toProblem } from './common/errors/problem.filter.js';
import { API_PREFIX } from './common/http/api-prefix.js';
import { registerBodyShapeGuard } from './common/http/body-shape.js';
import { registerSecurityHeaders } from './common/http/security-headers.js';
import { registerCompression } from './common/http/compression.js';
import { createValidationPipe } from './common/errors/validation.js';
import { createPino } from './common/logger.js';
import { registerRequestLog } from './common/request-log.js';
import type { AppConfig } from './config/app-config.js';
import { MetricsService } from './metrics/metrics.service.js';
import { buildOpenApiDocument } from './openapi.js';
import { cookieSecure, registerRefreshCookie } from './auth/refresh-cookie.js';
import { consoleCsp, registerConsole } from './web/console-static.js';
import { tileOrigins } from './map/map-tiles.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Answers to what Node's HTTP parser refuses before any route (by the error's code). */
const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'The request headers are too large'],
  // HTTP_REQUEST_TIMEOUT_MS / HTTP_HEADERS_TIMEOUT_MS passed before the request was complete.
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', '请求未在规定时间内发送完毕'],
  default: [400, 'BAD_REQUEST', 'The request could not be parsed'],
};

/**
 * Builds the HTTP application (not yet listening). Fastify, not Express: measured on this
 * machine it serves 6–7× the requests of Express before any database work (see README).
 */
export async function createApp(
  config: AppConfig,
  log: Pino = createPino(config.log.level),
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    // The whole request within this long, else 408 and the connection is closed (slow senders).
    // Node checks the deadlines every connectionsCheckingInterval (30 s by default): a tenth of
    // the timeout keeps the overrun small.
    requestTimeout: config.http.requestTimeoutMs,
    http: {
      connectionsCheckingInterval: Math.max(250, Math.floor(config.http.requestTimeoutMs / 10)),
    },
    // Requests arriving while the server drains get our problem body (below), not Fastify's own.
    return503OnClosing: false,
    // Long path parameters reach the routes (and their 400 naming the parameter) instead of the router's own error.
    routerOptions: { maxParamLength: 1000 },
    // Errors the router raises before any Nest code (an undecodable URL) still answer with a problem body.
    // Requests Node's HTTP parser refuses (a 20 KiB URL, broken headers) never reach a route.
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      if (!socket.writable) return;
      const [status, code, detail] = CLIENT_ERRORS[error.code ?? ''] ?? CLIENT_ERRORS.default;
      const body = JSON.stringify({
        type: `urn:chuangcheng:problem:${code}`,
        title: STATUS_CODES[status],
        status,
        code,
        detail,
      });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      void reply
        .status(status)
        .header('content-type', 'application/problem+json; charset=utf-8')
        .send(
          toProblem(
            {
              status,
              code: status === 414 ? 'URI_TOO_LONG' : 'BAD_REQUEST',
              detail: error.message,
            },
            request,
          ),
        );
    },
    // A client's own request id is kept (so that a phone's retries can be traced); otherwise one is made.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, log),
    adapter,
    {
      bufferLogs: true,
      // Let start-up errors reach the caller (main exits; tests see the error) instead of exiting here.
      abortOnError: false,
    },
  );
  app.useLogger(app.get(PinoNestLogger));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.server.headersTimeout = config.http.headersTimeoutMs;
  // Callback hooks, not async ones: no promise per request and hook.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  // While the server drains (SIGTERM), a request on a kept-alive connection gets a problem body,
  // Retry-After, and `Connection: close` (Fastify sets it while closing) so the client reconnects
  // to another instance.
  let draining = false;
  fastify.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!draining) return done();
    void reply
      .status(503)
      .header('connection', 'close')
      .header('retry-after', '5')
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(
        toProblem(
          {
            status: 503,
            code: CommonErrorCode.SHUTTING_DOWN,
            detail: '服务正在重启，请稍后重试',
          },
          request,
        ),
      );
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url,
      reply.statusCode,
      reply.elapsedTime,
    );
    done();
  });
  registerRequestLog(fastify, log);
  registerBodyShapeGuard(fastify);
  // The API serves JSON and files, no HTML of its own but the docs: a CSP would only break Swagger UI.
  registerSecurityHeaders(fastify, { contentSecurityPolicy: false });
  await registerCompression(app);
  // One photo per upload request; a larger file is cut off and answered with 413.
  await app.register(multipart, {
    limits: { fileSize: config.storage.uploadMaxBytes, files: 1, fields: 5, fieldSize: 1024 },
  });
  // Open311 answers at the standard's addresses (/open311/v2/…), not under the API prefix.
  app.setGlobalPrefix(API_PREFIX, {
    exclude: ['health', 'health/ready', 'metrics', 'open311/*path'],
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  if (config.http.swagger) {
    SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
      jsonDocumentUrl: 'docs-json',
    });
  }
  // The web console at / (same origin) and the refresh-token cookie it signs in with.
  registerRefreshCookie(app, cookieSecure(config.env));
  await registerConsole(app, undefined, consoleCsp(tileOrigins(config.map)));
  new Logger('App').log(`HTTP app built (role ${config.role})`);
  return app;
}
