import JSZip from 'jszip';
import { readFileSync } from 'node:fs';
import { apiAs, expect, inspectorTask, signIn, sql, test } from './support/fixtures';

test('a unit asks for more time and disputes another task; the server holds both requests', async ({
  page,
  env,
}) => {
  const ext = await inspectorTask(env.siteA.id, '人民公园围墙小广告');
  const disp = await inspectorTask(env.siteA.id, '人民公园外道路积水');
  await signIn(page, env.users.unitA);

  await page.goto(`/tasks/${ext.id}`);
  await page.getByRole('button', { name: '申请延期' }).click();
  const dialog = page.getByRole('dialog', { name: '申请延期' });
  // Without the required fields the form says so at the fields, sending nothing.
  await dialog.getByTestId('action-confirm').click();
  await expect(dialog.getByText('请填写延期理由')).toBeVisible();
  const when = dialog.locator('.el-date-editor input');
  await when.fill('2030-01-15 18:00');
  await when.press('Enter');
  await dialog.getByLabel('延期理由').fill('需等待园林部门统一清理');
  await dialog.getByTestId('action-confirm').click();
  await expect(page.getByText('申请延期：已完成')).toBeVisible();
  await expect(page.getByText('需等待园林部门统一清理').first()).toBeVisible();

  await page.goto(`/tasks/${disp.id}`);
  await page.getByRole('button', { name: '申请退回' }).click();
  const d = page.getByRole('dialog', { name: '申请退回' });
  await d.getByLabel('退回理由（如非本单位职责）').fill('道路积水属市政排水职责');
  await d.getByTestId('action-confirm').click();
  await expect(page.getByText('申请退回：已完成')).toBeVisible();

  const [e] = await sql<{ status: string; requested: Date }>(
    'SELECT status, requested_deadline AS requested FROM extension_requests WHERE task_id = $1',
    [ext.id],
  );
  expect(e.status).toBe('pending');
  expect(e.requested.toISOString()).toBe('2030-01-15T10:00:00.000Z'); // 18:00 Beijing time
  const [x] = await sql<{ status: string; reason: string }>(
    'SELECT status, reason FROM task_disputes WHERE task_id = $1',
    [disp.id],
  );
  expect(x).toEqual({ status: 'pending', reason: '道路积水属市政排水职责' });
});

test('a 409 says 已被他人更新 and shows the task as it now is', async ({ page, env }) => {
  const task = await inspectorTask(env.siteA.id, '人民公园长椅油漆脱落');
  await signIn(page, env.users.admin);
  await page.goto(`/tasks/${task.id}`);
  await expect(page.getByRole('button', { name: '调整时限' })).toBeVisible();
  // Someone else acts first.
  const t = await apiAs<{ version: number }>(env.users.admin, 'GET', `/tasks/${task.id}`);
  await apiAs(env.users.admin, 'POST', `/tasks/${task.id}/hold`, {
    version: t.version,
    reason: '需统一采购',
    reviewOn: '2030-01-01',
  });
  await page.getByRole('button', { name: '调整时限' }).click();
  const dialog = page.getByRole('dialog', { name: '调整时限' });
  const when = dialog.locator('.el-date-editor input');
  await when.fill('2030-01-10 12:00');
  await when.press('Enter');
  await dialog.getByLabel('调整原因').fill('领导要求提前完成');
  await dialog.getByTestId('action-confirm').click();
  await expect(page.getByText('已被他人更新，已重新加载')).toBeVisible();
  await expect(page.locator('.head').getByText('挂账')).toBeVisible();
  const [row] = await sql<{ status: string }>('SELECT status FROM tasks WHERE id = $1', [task.id]);
  expect(row.status).toBe('on_hold');
});

test('任务: filters live in the URL and the 台账 exports exactly the filtered tasks', async ({
  page,
  env,
}) => {
  const mine = await inspectorTask(env.siteB.id, '和平社区门口占道经营');
  await signIn(page, env.users.admin);
  await page.goto(`/tasks?unitId=${env.unitB.id}&status=assigned`);
  const rows = page.getByTestId('task-table').locator('tbody tr');
  await expect(rows.filter({ hasText: mine.number })).toHaveCount(1);
  const listed = await apiAs<{ items: { number: string }[] }>(
    env.users.admin,
    'GET',
    `/tasks?unitId=${env.unitB.id}&status=assigned&limit=200`,
  );
  await expect(rows).toHaveCount(listed.items.length);
  // A reload keeps the filter.
  await page.reload();
  await expect(page).toHaveURL(new RegExp(`unitId=${env.unitB.id}`));
  await expect(rows).toHaveCount(listed.items.length);

  await page.getByRole('button', { name: '导出台账' }).hover();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: 'Excel（.xlsx）' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const zip = await JSZip.loadAsync(readFileSync((await download.path())!));
  const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
  const strings = (await zip.file('xl/sharedStrings.xml')?.async('string')) ?? '';
  for (const item of listed.items) expect(sheet + strings).toContain(item.number);
});
