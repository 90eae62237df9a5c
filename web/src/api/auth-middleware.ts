import type { Middleware } from 'openapi-fetch';

export interface AuthHooks {
  /** The access token held in memory, if any. */
  token: () => string | null;
  /** Exchanges the refresh cookie for a new access token; resolves false when the session is over. */
  refresh: () => Promise<boolean>;
  /** Called once the session is over: sign-in, keeping the page to return to. */
  expired: () => void;
  /** The fetch that retries go through (the page's own fetch). */
  fetch?: typeof fetch;
}

const AUTH_ROUTES = /\/api\/v1\/auth\//;

/**
 * Adds the bearer token to every API request; on a 401 refreshes once (concurrent 401s share the
 * one refresh) and repeats the request with the new token; a second 401 or a failed refresh ends
 * the session.
 */
export function authMiddleware(hooks: AuthHooks): Middleware {
  const copies = new WeakMap<Request, Request>();
  let refreshing: Promise<boolean> | null = null;
  const refreshOnce = (): Promise<boolean> => {
    refreshing ??= hooks.refresh().finally(() => {
      refreshing = null;
    });
    return refreshing;
  };
  return {
    onRequest({ request }) {
      if (AUTH_ROUTES.test(request.url)) return request;
      const token = hooks.token();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      copies.set(request, request.clone());
      return request;
    },
    async onResponse({ request, response }) {
      if (response.status !== 401 || AUTH_ROUTES.test(request.url)) return response;
      const copy = copies.get(request);
      if (!copy) return response;
      if (!(await refreshOnce())) {
        hooks.expired();
        return response;
      }
      const retry = new Request(copy);
      retry.headers.set('authorization', `Bearer ${hooks.token() ?? ''}`);
      const again = await (hooks.fetch ?? globalThis.fetch)(retry);
      if (again.status === 401) hooks.expired();
      return again;
    },
  };
}
