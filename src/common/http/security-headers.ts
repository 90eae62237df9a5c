import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The headers helmet's middleware sets for these options, read once by running it against a
 * recording response. With no function-valued CSP directive (ours has no CSP here) they are the
 * same for every request: helmet 8 looks at neither the request nor the response otherwise.
 */
export function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    // X-Powered-By, which neither Fastify nor Nest sends.
    removeHeader: () => undefined,
  };
  let failed: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err) => {
    failed = err;
  });
  if (failed) throw failed;
  return Object.freeze(headers);
}

/**
 * helmet's security headers on every answer (Fastify's reply headers, so a route may still set
 * its own, as the console's pages do with their CSP). @fastify/helmet, used before, built
 * helmet's whole middleware on each request and ran two hooks per request, one async; setting
 * the headers read once is ~35 µs less per request of a trivial route, the largest of our own
 * costs there (speed, issue 15). The headers are helmet's, unchanged (`helmetHeaders`).
 */
export function registerSecurityHeaders(fastify: FastifyInstance, options: HelmetOptions): void {
  const headers = helmetHeaders(options);
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}
