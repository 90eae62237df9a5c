import { expect, signIn, test } from './support/fixtures';

/**
 * The console's service worker (see web/vite.config.ts): a clerk's next visit gets the page and
 * its files from the worker, without a round trip; the API, the docs, the health checks and the
 * phone app are never answered by it.
 */
test('the console page comes from its service worker on the next visit; the API, the docs and the phone app do not', async ({
  page,
  request,
  env,
}) => {
  const sw = await request.get('/sw.js');
  expect(sw.status()).toBe(200);
  expect(sw.headers()['cache-control']).toBe('no-cache');
  expect(await sw.text()).toContain('console-page');

  await signIn(page, env.users.admin);
  await page.waitForFunction(
    async () => {
      await navigator.serviceWorker.ready;
      return !!navigator.serviceWorker.controller;
    },
    undefined,
    { timeout: 20_000 },
  );
  const worker = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return { scope: reg.scope, script: navigator.serviceWorker.controller?.scriptURL };
  });
  expect(worker).toEqual({ scope: `${env.baseUrl}/`, script: `${env.baseUrl}/sw.js` });

  // The next visits to console addresses: the page is kept by the worker (under one key, as the
  // server answers every console address with it) and answered from there, with its CSP.
  await page.goto('/dashboard');
  await expect(page.getByTestId('who')).toBeVisible();
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const kept = await (await caches.open('console-page')).match('/index.html');
        return kept?.headers.get('content-security-policy') ?? null;
      }),
    )
    .toContain("script-src 'self'");
  const apiFromWorker: string[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/') && r.fromServiceWorker())
      apiFromWorker.push(r.url());
  });
  const refreshes: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/auth/refresh')) refreshes.push(r.method());
  });
  const visit = await page.goto('/tasks?status=assigned');
  expect(visit?.fromServiceWorker()).toBe(true);
  expect(visit?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.getByTestId('who')).toBeVisible();
  await expect(page.getByRole('search', { name: '任务筛选' })).toBeVisible();
  expect(apiFromWorker).toEqual([]);
  // The session was restored once, by the request session-boot.js sent as the page started.
  expect(refreshes).toEqual(['POST']);

  // Addresses that keep their own meaning go to the server, not to the console's fallback.
  const health = await page.goto('/health');
  expect(health?.fromServiceWorker()).toBe(false);
  expect(await health?.json()).toMatchObject({ status: 'ok' });
  const docs = await page.goto('/docs');
  expect(docs?.fromServiceWorker()).toBe(false);
  expect(await docs?.text()).toContain('swagger');
  const open311 = await page.goto('/open311/v2/discovery.json');
  expect(open311?.fromServiceWorker()).toBe(false);
  const phone = await page.goto('/m/');
  expect(phone?.fromServiceWorker()).toBe(false);
  expect(await phone?.text()).toContain('/m/manifest.webmanifest');
});
