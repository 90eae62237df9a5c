import { apiAs, expect, inspectorTask, shot, signIn, sql, test } from './support/fixtures';

test('督导检查: the office records an inspection and sees the tasks it raised', async ({
  page,
  env,
}) => {
  await signIn(page, env.users.admin);
  await page.goto('/inspections');
  await page.getByRole('button', { name: '新建督导检查' }).click();
  await page.getByLabel('活动（如：创城督导检查）').fill('创城督导检查');
  await page.getByLabel('带队领导（多人用顿号分隔）').fill('王主任');
  const day = page.locator('.el-date-editor input');
  await day.fill('2026-11-30');
  await day.press('Enter');
  await page.getByLabel('地点', { exact: true }).fill('人民公园');
  await page.getByRole('button', { name: '添加要求' }).click();
  await page.getByLabel('要求1标题').fill('要加强日常巡查。');
  await page.getByLabel('要求1内容').fill('对公园垃圾做到随产随清。');
  await shot(page, 'inspection-form-1366');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: '创城督导检查' })).toBeVisible();
  const id = page.url().split('/').pop()!;
  const [row] = await sql<{ activity: string; held_on: string }>(
    `SELECT activity, to_char(held_on, 'YYYY-MM-DD') AS held_on FROM inspections WHERE id = $1`,
    [id],
  );
  expect(row).toEqual({ activity: '创城督导检查', held_on: '2026-11-30' });

  const task = await apiAs<{ id: string; number: string }>(env.users.inspector, 'POST', '/tasks', {
    inspectionId: id,
    categoryId: env.categoryId,
    siteId: env.siteA.id,
    description: '检查发现：公园南门垃圾满溢',
  });
  await page.reload();
  await expect(page.getByRole('link', { name: task.number })).toBeVisible();
  await shot(page, 'inspection-detail-1366');
});

test('综合评价: the ranking is the digest API’s, and downloads as CSV', async ({ page, env }) => {
  await signIn(page, env.users.admin);
  await page.goto('/evaluation');
  const digest = await apiAs<{ units: { unitName: string }[] }>(
    env.users.admin,
    'GET',
    '/reports/digest',
  );
  await expect(page.getByTestId('digest-table').locator('tbody tr')).toHaveCount(
    digest.units.length,
  );
  for (const u of digest.units)
    await expect(page.getByRole('button', { name: u.unitName })).toBeVisible();
  await shot(page, 'evaluation-1366');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
});

test('a unit sees its own figures and rank, and its inbox opens the task', async ({
  page,
  env,
}) => {
  const task = await inspectorTask(env.siteA.id, '人民公园东北角共享单车堆积');
  await signIn(page, env.users.unitA);
  await page.goto('/my-figures');
  const mine = await apiAs<{ row: { rank: number | null; unitName: string } }>(
    env.users.unitA,
    'GET',
    '/reports/digest/mine',
  );
  await expect(page.getByTestId('my-rank')).toContainText(
    mine.row.rank === null ? '本期未参与排名' : `第 ${mine.row.rank} 名`,
  );
  await expect(page.getByText(env.unitB.name)).toHaveCount(0);
  await shot(page, 'my-figures-1366');

  await page.getByRole('button', { name: '消息通知' }).click();
  const item = page.locator('.inbox-item', { hasText: '人民公园东北角共享单车堆积' });
  await expect(item).toBeVisible();
  await shot(page, 'inbox-1366');
  await item.click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${task.id}$`));
  const [n] = await sql<{ read: boolean }>(
    `SELECT read_at IS NOT NULL AS read FROM notifications WHERE task_id = $1 AND user_id = (SELECT id FROM users WHERE username = $2)`,
    [task.id, env.users.unitA],
  );
  expect(n.read).toBe(true);
});
