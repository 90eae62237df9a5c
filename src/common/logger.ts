import type { LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger, type Params } from 'nestjs-pino';
import { pino, type Logger as Pino } from 'pino';

/** Credentials a client may put in a URL (Open311's `api_key`): masked wherever a URL is logged. */
const SECRET_PARAMETER = /([?&]api_key=)[^&#]*/gi;

/** The URL with the values of secret query parameters replaced by `[redacted]`. */
export function maskSecretParameters(url: string | undefined): string | undefined {
  return url?.replace(SECRET_PARAMETER, '$1[redacted]');
}

/**
 * The process's logger. Lines go to stdout through an asynchronous destination (pino's
 * SonicBoom with `sync: false`): a request does not wait for its log line to be written, and
 * pino flushes what is buffered when the process exits.
 */
export function createPino(level: string): Pino {
  return pino(
    {
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
    },
    pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * nestjs-pino's parameters: Nest's own lines through the same pino. The request log is not
 * nestjs-pino's middleware (see `registerRequestLog`): no route is given to it, so Nest binds no
 * middleware and requests skip @fastify/middie's work.
 */
export function loggerParams(log: Pino): Params {
  return { pinoHttp: { logger: log }, forRoutes: [] };
}

/** Nest's logger interface over the same pino, for what runs before or outside the app (start-up). */
export function standaloneLogger(log: Pino): LoggerService {
  const params = loggerParams(log);
  return new NestPinoLogger(new PinoLogger(params), params);
}
