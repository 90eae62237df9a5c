import type { LoggerService } from '@nestjs/common';
import { pino, type Logger as Pino } from 'pino';

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
        '*.password',
        'err.parameters',
        'err.query',
      ],
      censor: '[redacted]',
    },
  });
}

/** Nest's own log lines, as JSON through the same pino logger as the requests. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    this.write('error', message, context ?? stackOrContext, context ? stackOrContext : undefined);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace',
    message: unknown,
    context?: string,
    stack?: string,
  ): void {
    if (typeof message === 'object' && message !== null) {
      this.pino[level]({ context, stack, ...(message as object) });
    } else {
      this.pino[level]({ context, stack }, String(message));
    }
  }
}
