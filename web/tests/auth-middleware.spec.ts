import createClient from 'openapi-fetch';
import { describe, expect, it, vi } from 'vitest';
import { authMiddleware } from '@/api/auth-middleware';
import type { paths } from '@/api/schema';

function setup(responses: ((req: Request) => Response)[], refreshes: boolean[]) {
  const seen: Request[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const req = input as Request;
    seen.push(req);
    const next = responses.shift();
    if (!next) throw new Error('unexpected request');
    return next(req);
  });
  let token = 'old';
  const refresh = vi.fn(async () => {
    const ok = refreshes.shift() ?? false;
    if (ok) token = 'new';
    return ok;
  });
  const expired = vi.fn();
  const client = createClient<paths>({ baseUrl: 'http://x/', fetch: fetchMock });
  client.use(authMiddleware({ token: () => token, refresh, expired, fetch: fetchMock }));
  return { client, seen, refresh, expired };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the refresh flow', () => {
  it('sends the bearer token', async () => {
    const { client, seen } = setup([() => json(200, { id: 'me' })], []);
    await client.GET('/api/v1/me');
    expect(seen[0].headers.get('authorization')).toBe('Bearer old');
  });

  it('on a 401 refreshes once and repeats the request with the new token, body and all', async () => {
    const { client, seen, refresh, expired } = setup(
      [() => json(401, {}), () => json(204, null)],
      [true],
    );
    const res = await client.POST('/api/v1/me/password', {
      body: { currentPassword: 'a', newPassword: 'bbbbbbbbbb' },
    });
    expect(res.response.status).toBe(204);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(expired).not.toHaveBeenCalled();
    expect(seen[1].headers.get('authorization')).toBe('Bearer new');
    expect(await seen[1].json()).toEqual({ currentPassword: 'a', newPassword: 'bbbbbbbbbb' });
  });

  it('ends the session when the refresh fails, without repeating', async () => {
    const { client, seen, expired } = setup([() => json(401, {})], [false]);
    const res = await client.GET('/api/v1/me');
    expect(res.response.status).toBe(401);
    expect(seen).toHaveLength(1);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('ends the session when the repeated request is refused again (refreshes only once)', async () => {
    const { client, refresh, expired } = setup([() => json(401, {}), () => json(401, {})], [true]);
    await client.GET('/api/v1/me');
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('shares one refresh among concurrent 401s', async () => {
    const { client, refresh } = setup(
      [() => json(401, {}), () => json(401, {}), () => json(200, {}), () => json(200, {})],
      [true, true],
    );
    await Promise.all([client.GET('/api/v1/me'), client.GET('/api/v1/me')]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('never refreshes for the auth routes themselves', async () => {
    const { client, refresh } = setup([() => json(401, {})], [true]);
    await client.POST('/api/v1/auth/login', { body: { username: 'x', password: 'y' } });
    expect(refresh).not.toHaveBeenCalled();
  });
});
