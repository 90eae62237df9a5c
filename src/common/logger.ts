import type { LoggerService } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Logger as NestPinoLogger, PinoLogger, type Params } from 'nestjs-pino';
import { pino, type Logger as Pino } from 'pino';

/** Credentials a client may put in a URL (Open311's `api_key`): masked wherever a URL is logged. */
const SECRET_PARAMETER = /([?&]api_key=)[^&#]*/gi;

/** The URL with the values of secret query parameters replaced by `[redacted]`. */
export function maskSecretParameters(url: string | undefined): string | undefined {
  return url?.replace(SECRET_PARAMETER, '$1[redacted]');
}

/** Routes polled by orchestrators and scrapers: their successful answers are not logged. */
const QUIET_PATHS = new Set(['/health', '/health/ready', '/metrics']);

export function createPino(level: string): Pino {
  return pino({
    level,
    base: { service: 'chuangcheng' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      // Query parameters of a failed statement can hold secrets (password hashes, webhook secrets).
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers.cookie',
        '*.password',
        'err.parameters',
        'err.query',
      ],
      censor: '[redacted]',
    },
  });
}

// Nest mounts the request-log middleware once per route prefix, and middie matches prefixes, so
// `/health/ready` passes it twice (as `/health` and `/health/ready`): log each request once.
const seen = new WeakSet<IncomingMessage>();
function ignoredOrSeen(req: IncomingMessage): boolean {
  if (seen.has(req)) return true;
  seen.add(req);
  // middie strips the mount path from `url`; `originalUrl` keeps the request's own.
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  return QUIET_PATHS.has(url.split('?')[0]);
}

/**
 * nestjs-pino's parameters: one line per finished request through pino-http (method, URL, status,
 * time, request id), and Nest's own lines with the request's id when logged inside one.
 */
export function loggerParams(log: Pino): Params {
  return {
    pinoHttp: {
      logger: log,
      // Fastify made the id (a client's valid X-Request-Id, or a UUID) and put it on the raw request.
      genReqId: (req: IncomingMessage) => req.id ?? randomUUID(),
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : 'info',
      autoLogging: { ignore: ignoredOrSeen },
      // Few fields: request logging is on every request's path (headers stay out, secrets with them).
      serializers: {
        req: (req: IncomingMessage) => ({
          id: req.id,
          method: req.method,
          url: maskSecretParameters(req.url),
        }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
    },
  };
}

/** Nest's logger interface over the same pino, for what runs before or outside the app (start-up). */
export function standaloneLogger(log: Pino): LoggerService {
  const params = loggerParams(log);
  return new NestPinoLogger(new PinoLogger(params), params);
}
