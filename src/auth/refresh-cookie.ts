import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../common/http/api-prefix.js';

/** The cookie that carries the console's refresh token; only the auth routes ever receive it. */
export const REFRESH_COOKIE = 'cc_refresh';
export const REFRESH_COOKIE_PATH = `/${API_PREFIX}/auth`;

const LOGIN = `/${API_PREFIX}/auth/login`;
const REFRESH = `/${API_PREFIX}/auth/refresh`;
const LOGOUT = `/${API_PREFIX}/auth/logout`;

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
 * clients that send the token in the body see no difference. The hooks belong to those three
 * routes only (added as Fastify registers them): every other request runs none of this (speed,
 * issue 15). Call before the routes are registered (before `app.init()`).
 */
export function registerRefreshCookie(app: NestFastifyApplication, secure: boolean): void {
  const fastify = app.getHttpAdapter().getInstance();
  const takeCookie = (request: FastifyRequest, _reply: FastifyReply, done: () => void): void => {
    const body = request.body;
    const hasBodyToken =
      typeof body === 'object' &&
      body !== null &&
      Object.prototype.hasOwnProperty.call(body, 'refreshToken');
    const fromCookie = hasBodyToken
      ? undefined
      : readCookie(request.headers.cookie, REFRESH_COOKIE);
    if (
      fromCookie &&
      (body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body)))
    ) {
      request.body = { ...((body as object | null) ?? {}), refreshToken: fromCookie };
    }
    done();
  };
  const setCookie =
    (path: string) =>
    (
      request: FastifyRequest,
      reply: FastifyReply,
      payload: unknown,
      done: (err: null, payload: unknown) => void,
    ): void => {
      if (path === LOGOUT && reply.statusCode < 300) {
        reply.header('set-cookie', refreshCookie('', 0, secure));
      } else if ((path === LOGIN || path === REFRESH) && reply.statusCode === 200) {
        const cookie = typeof payload === 'string' ? cookieOfPair(payload, secure) : undefined;
        if (cookie) reply.header('set-cookie', cookie);
      } else if (path === REFRESH && reply.statusCode === 401) {
        // A dead token in the cookie is dropped so that the browser stops sending it.
        if (readCookie(request.headers.cookie, REFRESH_COOKIE)) {
          reply.header('set-cookie', refreshCookie('', 0, secure));
        }
      }
      done(null, payload);
    };
  fastify.addHook('onRoute', (route) => {
    if (![route.method].flat().includes('POST')) return;
    const path = route.url;
    if (path !== LOGIN && path !== REFRESH && path !== LOGOUT) return;
    if (path !== LOGIN) route.preHandler = [...hooksOf(route.preHandler), takeCookie];
    route.onSend = [...hooksOf(route.onSend), setCookie(path)];
  });
}

/** A route's hooks of one kind as an array (Fastify takes none, one or several). */
function hooksOf<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : ([hooks].flat() as T[]);
}

/** The cookie for the token pair a login or refresh answered with, if the answer holds one. */
function cookieOfPair(payload: string, secure: boolean): string | undefined {
  try {
    const pair = JSON.parse(payload) as { refreshToken?: unknown; refreshExpiresAt?: unknown };
    if (typeof pair.refreshToken !== 'string') return undefined;
    const expires = Date.parse(String(pair.refreshExpiresAt));
    const maxAge = Number.isFinite(expires) ? (expires - Date.now()) / 1000 : 0;
    return refreshCookie(pair.refreshToken, maxAge, secure);
  } catch {
    return undefined; // not JSON: nothing to set
  }
}
