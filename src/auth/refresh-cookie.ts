import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../common/http/api-prefix.js';

/** The cookie that carries the console's refresh token; only the auth routes ever receive it. */
export const REFRESH_COOKIE = 'cc_refresh';
export const REFRESH_COOKIE_PATH = `/${API_PREFIX}/auth`;

const LOGIN = `/${API_PREFIX}/auth/login`;
const REFRESH = `/${API_PREFIX}/auth/refresh`;
const LOGOUT = `/${API_PREFIX}/auth/logout`;

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0];
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function refreshCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${REFRESH_COOKIE}=${encodeURIComponent(value)}`,
    `Path=${REFRESH_COOKIE_PATH}`,
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * Whether the cookie gets `Secure`: on in production, off elsewhere (plain-HTTP localhost);
 * `AUTH_COOKIE_SECURE=true|false` decides explicitly.
 */
export function cookieSecure(env: string): boolean {
  const given = process.env.AUTH_COOKIE_SECURE?.trim().toLowerCase();
  if (given === 'true' || given === '1') return true;
  if (given === 'false' || given === '0') return false;
  return env === 'production';
}

/**
 * The browser's way to hold a refresh token without script access: login and refresh also set
 * it as an HttpOnly, SameSite=Strict cookie scoped to the auth routes (rotated with every
 * refresh), and refresh and logout take it from the cookie when the body names no token. API
 * clients that send the token in the body see no difference.
 */
export function registerRefreshCookie(app: NestFastifyApplication, secure: boolean): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preHandler', async (request: FastifyRequest) => {
    if (request.method !== 'POST') return;
    const path = pathOf(request);
    if (path !== REFRESH && path !== LOGOUT) return;
    const body = request.body;
    const hasBodyToken =
      typeof body === 'object' &&
      body !== null &&
      Object.prototype.hasOwnProperty.call(body, 'refreshToken');
    if (hasBodyToken) return;
    const fromCookie = readCookie(request.headers.cookie, REFRESH_COOKIE);
    if (!fromCookie) return;
    if (body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body))) {
      request.body = { ...((body as object | null) ?? {}), refreshToken: fromCookie };
    }
  });
  fastify.addHook(
    'onSend',
    async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (request.method !== 'POST') return payload;
      const path = pathOf(request);
      if (path === LOGOUT && reply.statusCode < 300) {
        reply.header('set-cookie', refreshCookie('', 0, secure));
      } else if ((path === LOGIN || path === REFRESH) && reply.statusCode === 200) {
        if (typeof payload !== 'string') return payload;
        try {
          const pair = JSON.parse(payload) as {
            refreshToken?: unknown;
            refreshExpiresAt?: unknown;
          };
          if (typeof pair.refreshToken === 'string') {
            const expires = Date.parse(String(pair.refreshExpiresAt));
            const maxAge = Number.isFinite(expires) ? (expires - Date.now()) / 1000 : 0;
            reply.header('set-cookie', refreshCookie(pair.refreshToken, maxAge, secure));
          }
        } catch {
          // not JSON: nothing to set
        }
      } else if (path === REFRESH && reply.statusCode === 401) {
        // A dead token in the cookie is dropped so that the browser stops sending it.
        if (readCookie(request.headers.cookie, REFRESH_COOKIE)) {
          reply.header('set-cookie', refreshCookie('', 0, secure));
        }
      }
      return payload;
    },
  );
}
