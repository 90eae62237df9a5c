import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrorCode } from '../common/errors/domain-error.js';
import { mapError } from '../common/errors/problem.filter.js';
import { maskSecretParameters } from '../common/logger.js';
import { formatOfPath, sendOpen311 } from './open311-format.js';

/**
 * Errors as GeoReport v2 writes them: a list of `{code, description}` (XML `<errors><error>`)
 * with the HTTP status, `code` being that status as in the spec's examples. Each field problem is
 * one error whose description starts with the parameter's name (`start_date: …`); our own
 * machine-readable code (VALIDATION_FAILED, NOT_FOUND …) travels in `X-Error-Code`.
 */
@Catch()
export class Open311ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Open311');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const mapped = mapError(exception) ?? {
      status: 500,
      code: CommonErrorCode.INTERNAL,
      detail: `服务器内部错误，请联系管理员并提供请求编号 ${request.id}`,
    };
    if (mapped.status >= 500) {
      this.logger.error(
        { err: exception, requestId: request.id, url: maskSecretParameters(request.url) },
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    const errors = mapped.errors?.length
      ? mapped.errors.map((e) => ({ code: mapped.status, description: `${e.field}: ${e.message}` }))
      : [{ code: mapped.status, description: mapped.detail }];
    reply.status(mapped.status).header('x-error-code', mapped.code);
    if (mapped.status === 503 && !reply.getHeader('retry-after')) reply.header('retry-after', '5');
    sendOpen311(reply, formatOfPath(request.url), 'errors', errors, 'error');
  }
}
