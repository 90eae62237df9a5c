import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { CommonErrorCode, DomainError, type FieldProblem } from './domain-error.js';
import { STATUS_OF_KIND, type ProblemDto } from './problem.js';
import { isDatabaseUnavailable } from '../../database/pg-errors.js';

interface Mapped {
  status: number;
  code: string;
  detail: string;
  extra?: Record<string, unknown>;
  errors?: FieldProblem[];
}

const CODE_OF_HTTP_STATUS: Record<number, string> = {
  400: CommonErrorCode.BAD_REQUEST,
  401: CommonErrorCode.UNAUTHENTICATED,
  403: CommonErrorCode.FORBIDDEN,
  404: CommonErrorCode.NOT_FOUND,
  405: CommonErrorCode.METHOD_NOT_ALLOWED,
  409: CommonErrorCode.CONFLICT,
  413: CommonErrorCode.PAYLOAD_TOO_LARGE,
  415: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: CommonErrorCode.RATE_LIMITED,
  503: CommonErrorCode.NOT_READY,
};

// Errors raised by Fastify itself while reading the body, before any Nest code runs.
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: CommonErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: CommonErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_BODY_TOO_LARGE: CommonErrorCode.PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_REQ_FILE_TOO_LARGE: CommonErrorCode.PAYLOAD_TOO_LARGE,
  FST_FILES_LIMIT: CommonErrorCode.PAYLOAD_TOO_LARGE,
  FST_INVALID_MULTIPART_CONTENT_TYPE: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

interface ErrorWithStatus {
  statusCode: number;
  code?: string;
  message: string;
}

function hasStatus(e: unknown): e is ErrorWithStatus {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { statusCode?: unknown }).statusCode === 'number'
  );
}

function fromHttpException(e: HttpException): Mapped {
  const status = e.getStatus();
  const body = e.getResponse();
  const message =
    typeof body === 'string'
      ? body
      : typeof body === 'object' && body !== null && 'message' in body
        ? String((body as { message: unknown }).message)
        : e.message;
  // Nest's Fastify adapter rethrows Fastify's body errors as HttpExceptions with the cause attached.
  const causeCode = (e.cause as { code?: string } | undefined)?.code;
  if (causeCode && FASTIFY_CODES[causeCode])
    return { status, code: FASTIFY_CODES[causeCode], detail: message };
  if (status === 400 && /not valid JSON/i.test(message)) {
    return { status, code: CommonErrorCode.MALFORMED_JSON, detail: message };
  }
  const code =
    CODE_OF_HTTP_STATUS[status] ?? (status >= 500 ? CommonErrorCode.INTERNAL : 'HTTP_' + status);
  // Nest answers an unknown route with a NotFoundException "Cannot GET /x".
  if (status === 404 && /^Cannot [A-Z]+ /.test(message)) {
    return { status, code: CommonErrorCode.ROUTE_NOT_FOUND, detail: message };
  }
  // Terminus puts the per-dependency results in `details`; keep them for operators.
  const checks =
    typeof body === 'object' && body !== null && 'details' in body
      ? { checks: (body as { details: unknown }).details }
      : undefined;
  return { status, code, detail: message, extra: checks };
}

/**
 * Postgres refuses some values a client can send that no validator anticipates (a NUL character,
 * a malformed value inside an opaque cursor): SQLSTATE class 22, "data exception". Such a value
 * came from the request, so the answer is a 400, not a 500.
 */
function fromDataException(e: unknown): Mapped | undefined {
  const driver = (e as { name?: string; driverError?: { code?: unknown } }).driverError;
  if ((e as { name?: string }).name !== 'QueryFailedError' || typeof driver?.code !== 'string')
    return undefined;
  if (!driver.code.startsWith('22')) return undefined;
  return {
    status: 400,
    code: CommonErrorCode.INVALID_VALUE,
    detail: '请求中包含无法处理的值（如空字符 NUL、格式错误的游标或超出范围的数值）',
  };
}

export function mapError(exception: unknown): Mapped | undefined {
  const dataException = fromDataException(exception);
  if (dataException) return dataException;
  if (isDatabaseUnavailable(exception)) {
    return {
      status: 503,
      code: CommonErrorCode.DATABASE_UNAVAILABLE,
      detail: '数据库暂时不可用，请稍后重试',
    };
  }
  if (exception instanceof DomainError) {
    const { errors, ...extra } = exception.details ?? {};
    return {
      status: STATUS_OF_KIND[exception.kind],
      code: exception.code,
      detail: exception.message,
      errors,
      extra: Object.keys(extra).length ? extra : undefined,
    };
  }
  if (exception instanceof HttpException) return fromHttpException(exception);
  if (hasStatus(exception) && exception.statusCode >= 400 && exception.statusCode < 500) {
    // Fastify's JSON parser reports a bad body as a SyntaxError carrying statusCode 400.
    const code =
      ((exception as { name?: string }).name === 'SyntaxError'
        ? CommonErrorCode.MALFORMED_JSON
        : undefined) ??
      (exception.code && FASTIFY_CODES[exception.code]) ??
      CODE_OF_HTTP_STATUS[exception.statusCode] ??
      CommonErrorCode.BAD_REQUEST;
    return { status: exception.statusCode, code, detail: exception.message };
  }
  return undefined;
}

const RETRY_AFTER_503_SECONDS = 5;

/** Turns every error into an RFC 9457 problem response; unknown errors become a logged 500. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const mapped = mapError(exception) ?? {
      status: 500,
      code: CommonErrorCode.INTERNAL,
      detail: '服务器内部错误，请联系管理员并提供 requestId',
    };
    if (mapped.status === 503) {
      // Every 503 is worth retrying: say when, unless the route already did.
      if (!reply.getHeader('retry-after'))
        reply.header('retry-after', String(RETRY_AFTER_503_SECONDS));
      this.logger.warn(
        { requestId: request.id, url: request.url, code: mapped.code },
        mapped.detail,
      );
    } else if (mapped.status >= 500) {
      this.logger.error(
        { err: exception, requestId: request.id, url: request.url },
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    reply
      .status(mapped.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(toProblem(mapped, request));
  }
}

export function toProblem(mapped: Mapped, request: FastifyRequest): ProblemDto {
  const problem: ProblemDto = {
    // An error's own details first: they never replace the problem's members (RFC 9457).
    ...(mapped.extra ?? {}),
    type: `urn:chuangcheng:problem:${mapped.code}`,
    title: STATUS_CODES[mapped.status] ?? 'Error',
    status: mapped.status,
    code: mapped.code,
    detail: mapped.detail,
    instance: request.url.split('?')[0],
    requestId: String(request.id),
  };
  if (mapped.errors) problem.errors = mapped.errors;
  return problem;
}
