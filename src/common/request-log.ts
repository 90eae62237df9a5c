import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as Pino } from 'pino';
import type { RequestWithPrincipal } from './auth/principal.js';
import { maskSecretParameters } from './logger.js';

/** Routes polled by orchestrators and scrapers: their successful answers are not logged. */
const QUIET_PATHS = new Set(['/health', '/health/ready', '/metrics']);

/**
 * One JSON line per finished request, written from Fastify's `onResponse` hook (speed, issue 15:
 * pino-http as a Nest middleware sent every request through @fastify/middie and built a child
 * logger and an AsyncLocalStorage context for it — a third of a trivial route's time). The
 * fields operations use, no more: the request id (the client's valid X-Request-Id or a UUID),
 * method, URL (secret query parameters masked), status, time in ms, and the caller's id once
 * authenticated. 5xx lines are errors; successful polls of /health* and /metrics are left out.
 */
export function registerRequestLog(fastify: FastifyInstance, log: Pino): void {
  if (!log.isLevelEnabled('info') && !log.isLevelEnabled('error')) return;
  // Without the process logger's redaction pass (~4 µs a line, walking every field for the
  // wildcard paths): these lines are built here from fields that hold no secret (no headers, the
  // URL's secret parameters masked), so it would never find anything.
  const lines = log.child({}, { redact: [] });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const status = reply.statusCode;
    const url = request.url;
    if (status < 400 && QUIET_PATHS.has(url.split('?', 1)[0])) return done();
    const line = {
      req: { id: request.id, method: request.method, url: maskSecretParameters(url) },
      res: { statusCode: status },
      responseTime: Math.round(reply.elapsedTime * 10) / 10,
      userId: (request as FastifyRequest & RequestWithPrincipal).principal?.id,
    };
    if (status >= 500) lines.error(line, 'request errored');
    else lines.info(line, 'request completed');
    done();
  });
}
