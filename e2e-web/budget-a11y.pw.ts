import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, inspectorTask, shot, signIn, signOut, test } from './support/fixtures';

const LOGIN_JS_BUDGET = 250 * 1024;

test('the sign-in page loads at most 250 KB of JavaScript (gzip)', async ({ page }) => {
  const scripts = new Set<string>();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith('.js')) scripts.add(u.pathname);
  });
  await page.goto('/login');
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  let total = 0;
  for (const path of scripts) total += gzipSync(readFileSync(join('dist/web', path))).length;
  console.log(`sign-in page: ${scripts.size} scripts, ${(total / 1024).toFixed(1)} KB gzip`);
  expect(scripts.size).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(LOGIN_JS_BUDGET);
});

async function noSeriousViolations(page: import('@playwright/test').Page, name: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

test('accessibility: no serious or critical axe violations on the main pages', async ({
  page,
  env,
}) => {
  await page.goto('/login');
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await shot(page, 'login-1366');
  await noSeriousViolations(page, '登录');

  const task = await inspectorTask(env.siteA.id, '人民公园南门绿化带内有垃圾');
  await signIn(page, env.users.unitA);
  await expect(page.getByRole('link', { name: new RegExp(task.number) })).toBeVisible();
  await noSeriousViolations(page, '我的任务');
  await page.goto(`/tasks/${task.id}`);
  await expect(page.getByRole('heading', { name: task.number })).toBeVisible();
  await noSeriousViolations(page, '任务详情');
  await signOut(page);

  await signIn(page, env.users.admin);
  await page.goto('/tasks');
  await expect(page.getByTestId('task-table')).toBeVisible();
  await expect(page.getByRole('link', { name: task.number })).toBeVisible();
  await shot(page, 'tasks-1366');
  await noSeriousViolations(page, '任务');

  // On a phone's width the list shows the keyword and status; 更多筛选 opens the rest, and a
  // filter picked there goes to the URL like any other.
  await page.setViewportSize({ width: 375, height: 812 });
  const overdue = page.getByRole('combobox', { name: '是否超期' });
  await expect(overdue).toHaveCount(0);
  await page.getByRole('button', { name: '更多筛选' }).click();
  // The select's placeholder lies over its input: click the select itself.
  await page.locator('.el-select', { has: overdue }).click();
  await page.getByRole('option', { name: '未超期' }).click();
  await expect(page).toHaveURL(/[?&]overdue=false/);
  await expect(page.getByRole('link', { name: task.number })).toBeVisible();
  await shot(page, 'tasks-375');

  // A list that failed to load says so, not that nothing matched.
  await page.route('**/api/v1/tasks?**', (r) =>
    r.fulfill({
      status: 503,
      contentType: 'application/json',
      body: '{"detail":"服务暂时不可用"}',
    }),
  );
  await page.reload();
  await expect(page.getByRole('alert')).toHaveText('服务暂时不可用');
  await expect(page.getByText('任务未能加载')).toBeVisible();
  await expect(page.getByText('没有符合条件的任务')).toHaveCount(0);
});
