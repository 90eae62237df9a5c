import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { expect } from './fixtures';
import { webEnv } from './env';

/** Where the phone is: by the gate of 人民公园 (the test's site A), Beijing. */
export const HERE = { latitude: 39.9087, longitude: 116.3975 };
export const SITE_A_AT = { lat: 39.9089, lng: 116.3977 };
export const SITE_B_AT = { lat: 39.93, lng: 116.42 };

/** A mid-range phone held by an inspector in Beijing, location allowed. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  hasTouch: true,
  isMobile: true,
  geolocation: HERE,
  permissions: ['geolocation'],
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

export const MSHOTS = process.env.CC_MSHOTS_DIR ?? '/tmp/mshots';
export async function mshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${MSHOTS}/${name}.png`, fullPage: true });
}

/** A camera-like JPEG made here (a gradient with noise, so it compresses like a photo). */
export async function cameraJpeg(
  width: number,
  height: number,
  tint = 120,
): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const buffer = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: tint, g: tint, b: tint },
      noise: { type: 'gaussian', mean: tint, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
  return { name: `IMG_${width}x${height}_${tint}.jpg`, mimeType: 'image/jpeg', buffer };
}

/** Signs the inspector in on the phone and waits for 今日. */
export async function phoneSignIn(page: Page, username = webEnv().users.inspector): Promise<void> {
  await page.goto('/m/');
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(webEnv().password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText('手机上的督导记录')).toBeVisible();
}

/** Waits until the service worker controls the page (the app shell is then cached). */
export async function swControls(page: Page): Promise<string> {
  await page.waitForFunction(
    async () => {
      await navigator.serviceWorker.ready;
      return !!navigator.serviceWorker.controller;
    },
    undefined,
    { timeout: 20_000 },
  );
  return page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '');
}

/** The sites get positions (the global setup makes them without). */
export async function placeSites(
  apiAs: (u: string, m: string, p: string, b?: unknown) => Promise<unknown>,
): Promise<void> {
  const env = webEnv();
  await apiAs(env.users.admin, 'PATCH', `/sites/${env.siteA.id}`, SITE_A_AT);
  await apiAs(env.users.admin, 'PATCH', `/sites/${env.siteB.id}`, SITE_B_AT);
}

/** Records one problem on the inspection screen: category by name, photos, description. */
export async function recordProblem(
  page: Page,
  opts: {
    category: string;
    photos: { name: string; mimeType: string; buffer: Buffer }[];
    text: string;
  },
): Promise<void> {
  await page.getByRole('button', { name: '添加问题' }).click();
  await expect(page.getByText('记录问题')).toBeVisible();
  await page.getByTestId('category-cell').click();
  await page.getByPlaceholder('搜索类别').fill(opts.category);
  await page.getByTestId('category-option').filter({ hasText: opts.category }).first().click();
  await expect(page.getByTestId('category-cell')).toContainText(opts.category);
  if (opts.photos.length) await page.getByTestId('camera').setInputFiles(opts.photos);
  await page.getByLabel('问题描述').fill(opts.text);
  await page.getByRole('button', { name: '保存问题' }).click();
  await expect(page.getByText('发现的问题')).toBeVisible();
}
