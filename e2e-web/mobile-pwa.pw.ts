import AxeBuilder from '@axe-core/playwright';
import type { Route } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { apiAs, expect, sql, test } from './support/fixtures';
import { cameraJpeg, mshot, PHONE, phoneSignIn, placeSites, swControls } from './support/phone';

test.use(PHONE);

const MOBILE_JS_BUDGET = 200 * 1024;
const SAVE_BUDGET_MS = 300;

test.beforeAll(async () => {
  await placeSites(apiAs);
});

test('installable: a valid manifest with fetchable icons, a controlling service worker, shell and catalog offline on the next visit', async ({
  page,
  context,
  request,
  env,
}) => {
  const res = await request.get('/m/manifest.webmanifest');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/application\/manifest\+json/);
  const manifest = (await res.json()) as Record<string, unknown> & {
    icons: { src: string; sizes: string; type: string }[];
  };
  expect(manifest).toMatchObject({
    name: '创城督导',
    lang: 'zh-CN',
    start_url: '/m/',
    scope: '/m/',
    display: 'standalone',
  });
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  for (const size of [192, 512]) {
    const icon = manifest.icons.find((i) => i.sizes === `${size}x${size}`);
    expect(icon?.type).toBe('image/png');
    const png = await request.get(icon!.src);
    expect(png.status()).toBe(200);
    const meta = await sharp(await png.body()).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', size, size]);
  }
  const sw = await request.get('/m/sw.js');
  expect(sw.headers()['cache-control']).toBe('no-cache');

  await phoneSignIn(page);
  // The page links the manifest, and the worker controlling it is ours, scoped to /m/.
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute(
    'href',
    '/m/manifest.webmanifest',
  );
  expect(await swControls(page)).toBe(`${env.baseUrl}/m/sw.js`);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(`${env.baseUrl}/m/`);

  // Second visit, no network at all: the shell comes from the worker, the catalog from IndexedDB.
  await page.close();
  await context.setOffline(true);
  const offline = await context.newPage();
  await offline.goto('/m/new');
  await expect(offline.getByText('点位（按距离排序）')).toBeVisible();
  // Every active site (other stories add some), nearest first.
  const [{ n: activeSites }] = await sql<{ n: number }>(
    'SELECT count(*)::int AS n FROM sites WHERE active',
  );
  await expect(offline.getByTestId('site-option')).toHaveCount(activeSites);
  await expect(offline.getByTestId('site-option').first()).toContainText(env.siteA.name);
  await offline.getByTestId('site-option').first().click();
  await offline.getByRole('button', { name: '开始记录问题' }).click();
  await offline.getByRole('button', { name: '添加问题' }).click();
  await offline.getByTestId('category-cell').click();
  await expect(offline.getByTestId('category-option').first()).toBeVisible();
  await mshot(offline, '12-offline-second-visit');
  await context.setOffline(false);
});

test(`budgets: first load ≤ 200 KB of JavaScript gzip; a problem with one photo saved in < ${SAVE_BUDGET_MS} ms at 4× CPU throttling`, async ({
  page,
  context,
}) => {
  // Three saves of a 12-megapixel photo at 4× throttling: on a loaded machine the steps take
  // far longer than the default minute, while the budget is judged on the app's measured work.
  test.setTimeout(180_000);
  const scripts = new Set<string>();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith('.js')) scripts.add(u.pathname);
  });
  await page.goto('/m/');
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const gz = (paths: Set<string>) => {
    let total = 0;
    for (const p of paths) total += gzipSync(readFileSync(join('dist/web', p))).length;
    return total;
  };
  const loginJs = gz(scripts);
  await phoneSignIn(page);
  await page.waitForLoadState('networkidle');
  const todayJs = gz(scripts);
  console.log(
    `phone app first load: sign-in ${(loginJs / 1024).toFixed(1)} KB gzip; with 今日 ${(todayJs / 1024).toFixed(1)} KB gzip in ${scripts.size} scripts (sw.js and workbox not counted: fetched by the worker)`,
  );
  expect(loginJs).toBeLessThanOrEqual(MOBILE_JS_BUDGET);
  expect(todayJs).toBeLessThanOrEqual(MOBILE_JS_BUDGET);

  // Saving a problem: a 12-megapixel camera photo, on a phone four times slower than this machine.
  const camera = await cameraJpeg(4032, 3024, 128);
  await page.getByRole('tab', { name: '新建督导' }).click();
  await page.getByTestId('site-option').first().click();
  await page.getByRole('button', { name: '开始记录问题' }).click();
  const timings: number[] = [];
  const walls: number[] = [];
  for (let i = 0; i < 3; i++) {
    await page.getByRole('button', { name: '添加问题' }).click();
    // The category's tap is not what this test measures: once, under load, it did not take (the
    // sheet still open, nothing chosen) and the save's tap then waited out the timeout. Open and
    // tap again until a category shows.
    await expect(async () => {
      const option = page.getByTestId('category-option').first();
      if (!(await option.isVisible())) await page.getByTestId('category-cell').click();
      await option.click({ timeout: 5_000 });
      await expect(page.getByTestId('category-cell')).not.toContainText('请选择', {
        timeout: 2_000,
      });
    }).toPass({ timeout: 30_000 });
    await page.getByLabel('问题描述').fill(`预算测量 ${i + 1}`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.evaluate(() => performance.clearMarks());
    await page.getByTestId('camera').setInputFiles([camera]);
    await page.getByRole('button', { name: '保存问题' }).click();
    await expect(page.getByText(`发现的问题（${i + 1}）`)).toBeVisible();
    const m = await page.evaluate(() => ({
      // The app's own work: taking the photo in, and saving once 保存 is tapped.
      work:
        performance.measure('take', 'm:photo-chosen', 'm:photo-taken').duration +
        performance.measure('save', 'm:save-tapped', 'm:problem-saved').duration,
      // Wall clock from the photo to the saved problem, the test's own tap included.
      wall: performance.measure('all', 'm:photo-chosen', 'm:problem-saved').duration,
    }));
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
    timings.push(m.work);
    walls.push(m.wall);
  }
  const show = (xs: number[]) => xs.map((t) => t.toFixed(0)).join(', ');
  console.log(
    `problem with one 4032×3024 photo at 4× CPU throttling: app work ${show(timings)} ms; photo chosen → saved incl. the test's tap ${show(walls)} ms`,
  );
  const median = [...timings].sort((a, b) => a - b)[1];
  expect(median).toBeLessThan(SAVE_BUDGET_MS);
});

test('accessibility: no serious or critical axe violations on the phone screens', async ({
  page,
}) => {
  const check = async (name: string) => {
    const result = await new AxeBuilder({ page }).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      bad.map(
        (v) =>
          `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      ),
    ).toEqual([]);
  };
  // The new inspection's POST is held, so that 待同步 is checked while a sync round runs: a button
  // that shows only its spinner then has no name (axe button-name, critical).
  const held: Route[] = [];
  await page.route('**/api/v1/inspections', (route) =>
    route.request().method() === 'POST' ? void held.push(route) : route.fallback(),
  );
  await page.goto('/m/');
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await check('登录');
  await phoneSignIn(page);
  await check('今日');
  await page.getByRole('tab', { name: '新建督导' }).click();
  await page.getByTestId('site-option').first().click();
  await check('新建督导');
  await page.getByRole('button', { name: '开始记录问题' }).click();
  await check('督导记录');
  await page.getByRole('button', { name: '添加问题' }).click();
  await expect(page.getByTestId('category-cell')).toBeVisible();
  await check('记录问题');
  await page.goto('/m/outbox');
  await expect(page.getByRole('button', { name: '同步中…' })).toBeVisible();
  expect(held.length).toBeGreaterThan(0);
  await check('待同步');
  await page.goto('/m/checks');
  await check('复查');
  await Promise.all(held.map((route) => route.abort().catch(() => undefined)));
});

test('the photo upload keeps the capture data the phone declares (sent before the file), apart from EXIF', async ({
  env,
}) => {
  const login = await fetch(`${env.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: env.users.inspector, password: env.password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const jpg = await cameraJpeg(320, 240, 100);
  const fd = new FormData();
  fd.append('capturedAt', new Date().toISOString());
  fd.append('lat', '39.9087');
  fd.append('lng', '116.3975');
  fd.append('accuracyM', '12');
  fd.append('file', new Blob([new Uint8Array(jpg.buffer)], { type: 'image/jpeg' }), jpg.name);
  const r = await fetch(`${env.baseUrl}/api/v1/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
    body: fd,
  });
  expect(r.status, await r.clone().text()).toBe(201);
  const { id } = (await r.json()) as { id: string };
  const [row] = await sql<{
    declared_lat: number;
    declared_lng: number;
    declared_accuracy_m: number;
    exif_captured_at: Date | null;
  }>(
    'SELECT declared_lat, declared_lng, declared_accuracy_m, exif_captured_at FROM attachments WHERE id = $1',
    [id],
  );
  expect(row).toEqual({
    declared_lat: 39.9087,
    declared_lng: 116.3975,
    declared_accuracy_m: 12,
    exif_captured_at: null,
  });
});
