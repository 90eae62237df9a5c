import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as Pino } from 'pino';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { AppModule } from './app.module.js';
import { toProblem } from './common/errors/problem.filter.js';
import { API_PREFIX } from './common/http/api-prefix.js';
import { createValidationPipe } from './common/errors/validation.js';
import { PinoNestLogger, createPino } from './common/logger.js';
import type { AppConfig } from './config/app-config.js';
import { buildOpenApiDocument } from './openapi.js';
import { cookieSecure, registerRefreshCookie } from './auth/refresh-cookie.js';
import { registerConsole } from './web/console-static.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Builds the HTTP application (not yet listening). Fastify, not Express: measured on this
 * machine it serves 6–7× the requests of Express before any database work (see README).
 */
export async function createApp(
  config: AppConfig,
  log: Pino = createPino(config.log.level),
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: log,
    bodyLimit: config.http.bodyLimitBytes,
    // Long path parameters reach the routes (and their 400 naming the parameter) instead of the router's own error.
    routerOptions: { maxParamLength: 1000 },
    // Errors the router raises before any Nest code (an undecodable URL) still answer with a problem body.
    // Requests Node's HTTP parser refuses (a 20 KiB URL, broken headers) never reach a route.
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      if (!socket.writable) return;
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify({
        type: `urn:chuangcheng:problem:${status === 431 ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST'}`,
        title: STATUS_CODES[status],
        status,
        code: status === 431 ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST',
        detail: 'The request could not be parsed',
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
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(log),
    bufferLogs: false,
    // Let start-up errors reach the caller (main exits; tests see the error) instead of exiting here.
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // The API serves JSON and files, no HTML of its own but the docs: a CSP would only break Swagger UI.
  await app.register(helmet, { contentSecurityPolicy: false });
  // One photo per upload request; a larger file is cut off and answered with 413.
  await app.register(multipart, {
    limits: { fileSize: config.storage.uploadMaxBytes, files: 1, fields: 5, fieldSize: 1024 },
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/ready'] });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  if (config.http.swagger) {
    SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
      jsonDocumentUrl: 'docs-json',
    });
  }
  // The web console at / (same origin) and the refresh-token cookie it signs in with.
  registerRefreshCookie(app, cookieSecure(config.env));
  await registerConsole(app);
  new Logger('App').log(`HTTP app built (role ${config.role})`);
  return app;
}
