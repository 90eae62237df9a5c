import { apiAs, expect, inspectorTask, photo, shot, signIn, sql, test } from './support/fixtures';

const TOKEN_EXPIRED = {
  status: 401,
  contentType: 'application/problem+json',
  body: JSON.stringify({ status: 401, code: 'TOKEN_EXPIRED', detail: '访问令牌已过期' }),
};

test('an expired access token is refreshed once, silently; a dead session returns to the page after sign-in', async ({
  page,
  env,
}) => {
  await signIn(page, env.users.admin);
  await expect(page).toHaveURL(/\/dashboard$/);
  const refreshes: string[] = [];
  // Refreshes asked by the working page; the sign-in page's own look for a live session (the
  // router's restore on a fresh load, answered 4xx once the cookie is gone) is not counted.
  page.on('response', (r) => {
    if (r.url().includes('/api/v1/auth/refresh') && !page.url().includes('/login'))
      refreshes.push(String(r.status()));
  });
  // The next task-list call meets an expired access token, answered as the server answers one.
  let expire = 1;
  await page.route('**/api/v1/tasks?**', (route) =>
    expire-- > 0 ? route.fulfill(TOKEN_EXPIRED) : route.continue(),
  );
  const listed = page.waitForResponse(
    (r) => r.url().includes('/api/v1/tasks?') && r.status() === 200,
  );
  await page.getByRole('menuitem', { name: '任务' }).click();
  await listed;
  // One real refresh through the cookie, the call repeated: the clerk noticed nothing.
  expect(refreshes).toEqual(['200']);
  await expect(page).toHaveURL(/\/tasks$/);
  await expect(page.getByRole('button', { name: '登录' })).toHaveCount(0);

  // Then the session itself ends (its refresh tokens revoked): the refresh fails, sign-in keeps
  // the page to return to, and signing in lands there.
  await sql(
    `UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE username = $1)`,
    [env.users.admin],
  );
  expire = 1;
  await page.getByRole('menuitem', { name: '工作台' }).click();
  await page.getByTestId('figure-assigned').click();
  await expect(page).toHaveURL(/\/login\?redirect=/);
  expect(refreshes).toEqual(['200', '401']);
  const back = new URL(page.url()).searchParams.get('redirect');
  expect(back).toBe('/tasks?status=assigned');
  await shot(page, 'session-expired-login-1366');
  await page.getByLabel('用户名').fill(env.users.admin);
  await page.getByLabel('密码', { exact: true }).fill(env.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/tasks\?status=assigned$/);
  await expect(page.getByTestId('who')).toBeVisible();
});

test('返工: the tab lists the tasks sent back by a failed 复查, and its count equals the API', async ({
  page,
  env,
}) => {
  const task = await inspectorTask(env.siteA.id, '返工测试：护栏广告未清除干净');
  const afterPhoto = async (user: string) => {
    const file = await photo('#2e86de');
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(file.buffer)], { type: file.mimeType }),
      file.name,
    );
    const login = await fetch(`${env.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user, password: env.password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const r = await fetch(`${env.baseUrl}/api/v1/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
      body: form,
    });
    return ((await r.json()) as { id: string }).id;
  };
  const submitted = await apiAs<{ version: number }>(
    env.users.unitA,
    'POST',
    `/tasks/${task.id}/submissions`,
    { version: 1, description: '已清除', afterPhotoIds: [await afterPhoto(env.users.unitA)] },
  );
  await apiAs(env.users.inspector, 'POST', `/tasks/${task.id}/checks`, {
    version: submitted.version,
    result: 'fail',
    note: '仍有残留',
  });

  await signIn(page, env.users.unitA);
  await page.goto('/my-tasks?tab=rework');
  const counts = await apiAs<{ total: number }>(
    env.users.unitA,
    'GET',
    '/tasks/counts?rework=true',
  );
  const list = await apiAs<{ items: { id: string }[] }>(
    env.users.unitA,
    'GET',
    '/tasks?rework=true&limit=200',
  );
  expect(counts.total).toBe(list.items.length);
  expect(list.items.map((t) => t.id)).toContain(task.id);
  const [{ n }] = await sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM tasks WHERE unit_id = $1 AND status = 'assigned' AND rework_count > 0`,
    [env.unitA.id],
  );
  expect(n).toBeGreaterThanOrEqual(counts.total);
  await expect(page.getByRole('tab', { name: /返工/ }).locator('.el-badge__content')).toHaveText(
    String(counts.total),
  );
  await expect(page.getByTestId('list-rework').getByRole('link')).toHaveCount(counts.total);
  await expect(page.getByTestId('list-rework').getByText(task.number)).toBeVisible();
  await shot(page, 'my-tasks-rework-1366');
  await page.setViewportSize({ width: 375, height: 812 });
  await shot(page, 'my-tasks-rework-375');
});

test('综合评价: week, this week, month and custom periods, kept in the URL', async ({
  page,
  env,
}) => {
  await signIn(page, env.users.admin);
  await page.goto('/evaluation');
  // The default is the last full week, Monday to Sunday.
  await expect(page.getByTestId('period-label')).toContainText('默认上一完整周');
  await expect(page.getByRole('radio', { name: '按周' })).toBeChecked();

  await page.getByRole('button', { name: '本周' }).click();
  const now = new Date(Date.now() + 8 * 3_600_000);
  const dow = (now.getUTCDay() + 6) % 7;
  const monday = new Date(now.getTime() - dow * 86_400_000).toISOString().slice(0, 10);
  const sunday = new Date(now.getTime() + (6 - dow) * 86_400_000).toISOString().slice(0, 10);
  await expect(page).toHaveURL(new RegExp(`from=${monday}&to=${sunday}$`));
  const digest = await apiAs<{ units: unknown[] }>(
    env.users.admin,
    'GET',
    `/reports/digest?from=${monday}&to=${sunday}`,
  );
  await expect(page.getByTestId('digest-table').locator('tbody tr')).toHaveCount(
    digest.units.length,
  );
  await expect(page.getByTestId('digest-sources')).toBeVisible();
  await shot(page, 'evaluation-week-1366');

  await page.locator('.el-radio-button', { hasText: '按月' }).click();
  const month = monday.slice(0, 7);
  await expect(page).toHaveURL(new RegExp(`from=${month}-01&to=${month}-\\d\\d$`));
  await expect(page.getByTestId('period-label')).toContainText(
    `${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`,
  );
  // 按来源: district-wide, one row per configured source, as the API counts them.
  const shown = new URL(page.url()).searchParams;
  const byMonth = await apiAs<{ sources: { sourceName: string; raised: number }[] }>(
    env.users.admin,
    'GET',
    `/reports/digest?from=${shown.get('from')}&to=${shown.get('to')}`,
  );
  const sourceRows = page.getByTestId('digest-sources').locator('tbody tr');
  await expect(sourceRows).toHaveCount(byMonth.sources.length);
  expect(byMonth.sources.length).toBeGreaterThan(0);
  for (const [i, s] of byMonth.sources.entries()) {
    await expect(sourceRows.nth(i).locator('td').nth(0)).toHaveText(s.sourceName);
    await expect(sourceRows.nth(i).locator('td').nth(1)).toHaveText(String(s.raised));
  }
  await shot(page, 'evaluation-month-1366');

  await page.locator('.el-radio-button', { hasText: '自定义' }).click();
  await expect(page.locator('.el-range-editor')).toBeVisible();
  await page.goto('/evaluation?from=2026-11-02&to=2026-11-08');
  await expect(page.getByRole('radio', { name: '按周' })).toBeChecked();
  await expect(page.getByTestId('period-label')).toContainText('2026年11月2日—8日');
  await page.setViewportSize({ width: 375, height: 812 });
  await shot(page, 'evaluation-375');
});

test('工作台 loads its figures and trend in two requests, and the trend equals the counts', async ({
  page,
  env,
}) => {
  const calls: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/v1/tasks/counts')) calls.push(u.pathname);
  });
  await signIn(page, env.users.admin);
  await expect(page.getByTestId('trend').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('figure-assigned').locator('.figure-value')).toHaveText(/^\d+$/);
  expect(calls.sort()).toEqual(['/api/v1/tasks/counts/dashboard', '/api/v1/tasks/counts/weekly']);
  const weekly = await apiAs<{ weeks: { from: string; to: string; created: number }[] }>(
    env.users.admin,
    'GET',
    '/tasks/counts/weekly?weeks=12',
  );
  const last = weekly.weeks[11];
  const counts = await apiAs<{ total: number }>(
    env.users.admin,
    'GET',
    `/tasks/counts?createdFrom=${encodeURIComponent(last.from)}&createdTo=${encodeURIComponent(last.to)}`,
  );
  expect(last.created).toBe(counts.total);
  await shot(page, 'dashboard-1366');
  await page.setViewportSize({ width: 375, height: 812 });
  await shot(page, 'dashboard-375');
});
