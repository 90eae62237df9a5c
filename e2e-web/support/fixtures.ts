import { test as base, expect, type Page } from '@playwright/test';
import pg from 'pg';
import sharp from 'sharp';
import { webEnv, type WebTestEnv } from './env';

export { expect };

/** Straight SQL against the service's database: what the server holds after a story. */
export async function sql<T = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: webEnv().databaseUrl });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

/** An API call as a given user (the way an inspector's phone or a unit's system would). */
export async function apiAs<T = unknown>(
  username: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const env = webEnv();
  const login = await fetch(`${env.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: env.password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const r = await fetch(`${env.baseUrl}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/** An inspector's task at a site (routed to the site's unit). */
export function inspectorTask(
  siteId: string,
  description: string,
): Promise<{ id: string; number: string }> {
  const env = webEnv();
  return apiAs(env.users.inspector, 'POST', '/tasks', {
    categoryId: env.categoryId,
    siteId,
    description,
  });
}

export async function photo(
  color = '#c0392b',
): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const buffer = await sharp({
    create: { width: 96, height: 72, channels: 3, background: color },
  })
    .jpeg()
    .toBuffer();
  return { name: 'photo.jpg', mimeType: 'image/jpeg', buffer };
}

export async function signIn(page: Page, username: string): Promise<void> {
  const env = webEnv();
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(env.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('who')).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
}

export const SHOTS = process.env.CC_SHOTS_DIR ?? '';
export async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

export const test = base.extend<{ env: WebTestEnv }>({
  // Playwright reads the fixture's dependencies from the (here empty) destructuring pattern.
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, use) => use(webEnv().baseUrl),
  // eslint-disable-next-line no-empty-pattern
  env: async ({}, use) => use(webEnv()),
});
