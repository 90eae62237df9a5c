import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, statSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';

/**
 * The console's pages: strict, same origin only. Element Plus and ECharts set `style` attributes,
 * hence 'unsafe-inline' for styles only; scripts come from our own hashed files and nothing else.
 */
export function consoleCsp(tileOrigins: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    // The map's (一张图) configured tile servers, by exact origin (src/map/map-tiles.ts).
    ["img-src 'self' blob: data:", ...tileOrigins].join(' '),
    "font-src 'self' data:",
    "connect-src 'self'",
    // The phone app (/m/): its web app manifest and its service worker, from our own origin only.
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy with no map tiles configured. */
export const CONSOLE_CSP = consoleCsp();

/** Paths that keep their meaning: the API, Open311, the docs and the health checks are never the console. */
const NOT_CONSOLE = /^\/(api(\/|$)|open311(\/|$)|docs(\/|-json|$)|health(\/|$))/;

/** The inspectors' phone app: its own page, manifest and service worker under `/m/`. */
const MOBILE_PREFIX = '/m/';
const MOBILE_INDEX = 'm/index.html';
/** Files a browser must revalidate every time (the service worker decides what the app runs). */
const NO_CACHE_FILES = new Set(['m/sw.js', 'm/manifest.webmanifest']);

/** Where `npm run build:web` writes the console (`dist/web`); `WEB_ROOT` overrides it. */
export function consoleRoot(): string {
  return resolve(process.env.WEB_ROOT ?? 'dist/web');
}

/**
 * Serves the built console at `/`: hashed files under `/assets/` cached for a year (compressed
 * once at build time, for a client that accepts brotli or gzip), other files as they are, and
 * `index.html` (no-cache, with the CSP) for `/` and every other GET that accepts HTML, so that
 * the console's own routes (`/tasks/…`) survive a reload. Everything else falls through to
 * the API's 404 problem. Without a built console (API-only tests) nothing is registered.
 * The phone app lives under `/m/` (`dist/web/m`): its addresses fall back to `m/index.html`, and
 * its service worker and manifest are `no-cache`, so a new release reaches phones on next start.
 */
export async function registerConsole(
  app: NestFastifyApplication,
  root = consoleRoot(),
  csp = CONSOLE_CSP,
): Promise<boolean> {
  if (!existsSync(join(root, 'index.html'))) return false;
  // The build's `.br` / `.gz` beside each hashed JS and CSS file (web/precompress.ts) go to a
  // client that accepts them; other files are compressed as they are sent (compression.ts).
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true });
  const fastify = app.getHttpAdapter().getInstance();

  const sendPage = (reply: FastifyReply, page: string): FastifyReply =>
    reply
      .header('content-security-policy', csp)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .sendFile(page, { cacheControl: false });
  const sendIndex = (reply: FastifyReply): FastifyReply => sendPage(reply, 'index.html');
  const hasMobile = existsSync(join(root, MOBILE_INDEX));

  const handler = (request: FastifyRequest, reply: FastifyReply): FastifyReply | void => {
    const path = decodeURIComponent(request.url.split('?')[0]);
    if (NOT_CONSOLE.test(path)) return reply.callNotFound();
    if (path !== '/' && !path.endsWith('/')) {
      const file = normalize(join(root, path));
      if (file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
        const relative = file.slice(root.length + 1);
        if (relative === 'index.html' || relative === MOBILE_INDEX)
          return sendPage(reply, relative);
        const posix = relative.split(sep).join('/');
        const hashed =
          (posix.startsWith('assets/') || posix.startsWith('m/assets/')) &&
          !NO_CACHE_FILES.has(posix);
        if (posix === 'm/manifest.webmanifest') reply.type('application/manifest+json');
        return reply
          .header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
          .sendFile(relative, { cacheControl: false });
      }
    }
    const accept = request.headers.accept ?? '';
    // The phone app's own addresses (/m/, /m/checks …) get its page, not the console's.
    if (hasMobile && (path === '/m' || path.startsWith(MOBILE_PREFIX))) {
      if (path === '/m') return reply.redirect('/m/', 301);
      if (path === MOBILE_PREFIX || accept.includes('text/html')) {
        return sendPage(reply, MOBILE_INDEX);
      }
      return reply.callNotFound();
    }
    if (path === '/' || accept.includes('text/html')) return sendIndex(reply);
    return reply.callNotFound();
  };
  fastify.get('/', handler);
  fastify.get('/*', handler);
  return true;
}
