import { apiAs, expect, inspectorTask, photo, sql, test } from './support/fixtures';
import { webEnv } from './support/env';
import { mshot, PHONE, phoneSignIn, placeSites } from './support/phone';

test.use(PHONE);

/** A unit's 整改反馈 with one after-photo, through the API as the unit's own system would. */
async function unitSubmits(taskId: string): Promise<void> {
  const env = webEnv();
  const login = await fetch(`${env.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: env.users.unitA, password: env.password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const fd = new FormData();
  const p = await photo('#2e7d32');
  fd.append('file', new Blob([new Uint8Array(p.buffer)], { type: 'image/jpeg' }), 'after.jpg');
  const up = await fetch(`${env.baseUrl}/api/v1/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
    body: fd,
  });
  const { id: photoId } = (await up.json()) as { id: string };
  const task = await apiAs<{ version: number }>(env.users.unitA, 'GET', `/tasks/${taskId}`);
  await apiAs(env.users.unitA, 'POST', `/tasks/${taskId}/submissions`, {
    version: task.version,
    description: '已清理完毕',
    afterPhotoIds: [photoId],
  });
}

test.beforeAll(async () => {
  await placeSites(apiAs);
});

test('a 复查 done offline is queued and syncs: the server holds the passed check', async ({
  page,
  context,
  env,
}) => {
  const task = await inspectorTask(env.siteA.id, '复查用：南门垃圾堆放');
  await unitSubmits(task.id);

  await phoneSignIn(page);
  await page.getByRole('tab', { name: '复查' }).click();
  const row = page.getByTestId('check-row').filter({ hasText: task.number });
  await expect(row).toBeVisible();
  await mshot(page, '09-checks');
  await row.click();
  await expect(page.getByText('整改前')).toBeVisible();
  await expect(page.getByRole('img', { name: '整改后照片' })).toBeVisible();

  await context.setOffline(true);
  await page.getByRole('button', { name: '通过', exact: true }).click();
  await mshot(page, '10-check');
  await page.getByRole('button', { name: '提交复查' }).click();
  await expect(page.getByTestId('check-state')).toContainText('通过 · 待同步');
  expect(await sql(`SELECT id FROM task_checks WHERE task_id = $1`, [task.id])).toHaveLength(0);

  await context.setOffline(false);
  await expect(page.getByTestId('check-state')).toContainText('已同步', { timeout: 30_000 });
  const checks = await sql<{ result: string }>(
    `SELECT result FROM task_checks WHERE task_id = $1`,
    [task.id],
  );
  expect(checks).toEqual([{ result: 'pass' }]);
  const [t] = await sql<{ status: string }>(`SELECT status FROM tasks WHERE id = $1`, [task.id]);
  expect(t.status).toBe('closed');
});

test('a 复查 whose task changed meanwhile is answered 409 and shown, not swallowed', async ({
  page,
  context,
  env,
}) => {
  const task = await inspectorTask(env.siteA.id, '复查用：版本冲突');
  await unitSubmits(task.id);
  await phoneSignIn(page);
  await page.goto(`/m/checks/${task.id}`);
  await expect(page.getByRole('button', { name: '提交复查' })).toBeVisible();
  await context.setOffline(true);
  await page.getByRole('button', { name: '不通过', exact: true }).click();
  await page.getByLabel('说明').fill('仍有垃圾');
  await page.getByRole('button', { name: '提交复查' }).click();
  await expect(page.getByTestId('check-state')).toContainText('待同步');

  // Meanwhile the office checks it from the console.
  const now = await apiAs<{ version: number }>(env.users.admin, 'GET', `/tasks/${task.id}`);
  await apiAs(env.users.admin, 'POST', `/tasks/${task.id}/checks`, {
    version: now.version,
    result: 'pass',
  });

  await context.setOffline(false);
  await expect(page.getByTestId('check-error')).toContainText('已被他人更新', { timeout: 30_000 });
  await mshot(page, '11-check-conflict');
  const checks = await sql<{ result: string }>(
    `SELECT result FROM task_checks WHERE task_id = $1`,
    [task.id],
  );
  expect(checks).toEqual([{ result: 'pass' }]);
});
