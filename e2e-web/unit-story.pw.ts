import { expect, inspectorTask, photo, shot, signIn, signOut, sql, test } from './support/fixtures';

test.describe('a unit fixes its task in the console', () => {
  test('the inspector’s task shows up in 待整改; submit with a photo; check fails; resubmit; check passes', async ({
    page,
    env,
  }) => {
    const task = await inspectorTask(env.siteA.id, '人民公园东门垃圾桶满溢，周边有暴露垃圾');

    // The unit sees it among its tasks to fix.
    await signIn(page, env.users.unitA);
    await expect(page).toHaveURL(/\/my-tasks/);
    await expect(page.getByTestId('tab-todo')).toBeVisible();
    const row = page.getByRole('link', { name: new RegExp(task.number) });
    await expect(row).toBeVisible();
    await shot(page, 'unit-my-tasks-1366');
    await row.click();
    await expect(page.getByRole('heading', { name: task.number })).toBeVisible();
    await expect(page.getByRole('cell', { name: /人民公园东门垃圾桶满溢/ })).toBeVisible();

    // Submit with a photo from the computer.
    await page.getByRole('button', { name: '提交整改' }).click();
    const dialog = page.getByRole('dialog', { name: '提交整改' });
    await dialog.getByLabel('整改情况').fill('已清运垃圾，增设垃圾桶一个');
    await dialog.getByTestId('photo-input').setInputFiles(await photo());
    await expect(dialog.locator('.thumb img')).toHaveCount(1);
    await shot(page, 'unit-submit-dialog-1366');
    await dialog.getByTestId('action-confirm').click();
    await expect(page.getByText('提交整改：已完成')).toBeVisible();
    await expect(page.locator('.head').getByText('待复查')).toBeVisible();

    const [afterSubmit] = await sql<{ status: string; n: number }>(
      `SELECT t.status, (SELECT count(*)::int FROM task_events e WHERE e.task_id = t.id AND e.action = 'submit' AND cardinality(e.attachment_ids) = 1) AS n
       FROM tasks t WHERE t.id = $1`,
      [task.id],
    );
    expect(afterSubmit).toEqual({ status: 'submitted', n: 1 });
    await signOut(page);

    // The inspector fails the check.
    await signIn(page, env.users.inspector);
    await page.goto(`/tasks/${task.id}`);
    await page.getByRole('button', { name: '复查不通过' }).click();
    const fail = page.getByRole('dialog', { name: '复查不通过' });
    await fail.getByLabel('不通过原因').fill('东门仍有散落垃圾');
    await fail.getByTestId('action-confirm').click();
    await expect(page.getByText('复查不通过：已完成')).toBeVisible();
    await signOut(page);

    // The unit sees it under 返工 and resubmits.
    await signIn(page, env.users.unitA);
    await page.getByTestId('tab-rework').click();
    await page.getByRole('link', { name: new RegExp(task.number) }).click();
    await expect(page.getByText('返工 1 次')).toBeVisible();
    await page.getByRole('button', { name: '提交整改' }).click();
    const again = page.getByRole('dialog', { name: '提交整改' });
    await again.getByLabel('整改情况').fill('已彻底清理东门散落垃圾');
    await again.getByTestId('photo-input').setInputFiles(await photo('#27ae60'));
    await expect(again.locator('.thumb img')).toHaveCount(1);
    await again.getByTestId('action-confirm').click();
    await expect(page.getByText('提交整改：已完成')).toBeVisible();
    await signOut(page);

    // The inspector passes it: closed (销号).
    await signIn(page, env.users.inspector);
    await page.goto(`/tasks/${task.id}`);
    await page.getByRole('button', { name: '复查通过' }).click();
    await page.getByRole('dialog', { name: '复查通过' }).getByTestId('action-confirm').click();
    await expect(page.locator('.head').getByText('已销号')).toBeVisible();
    await expect(page.getByText('复查通过', { exact: true }).first()).toBeVisible();
    await shot(page, 'task-detail-closed-1366');

    const [closed] = await sql<{ status: string; rework_count: number; closed: boolean }>(
      'SELECT status, rework_count, closed_at IS NOT NULL AS closed FROM tasks WHERE id = $1',
      [task.id],
    );
    expect(closed).toEqual({ status: 'closed', rework_count: 1, closed: true });
  });

  test('another unit’s task URL shows 不存在', async ({ page, env }) => {
    const other = await inspectorTask(env.siteB.id, '和平社区楼道堆物');
    await signIn(page, env.users.unitA);
    await page.goto(`/tasks/${other.id}`);
    await expect(page.getByText('不存在', { exact: true })).toBeVisible();
    await expect(page.getByText('和平社区楼道堆物')).toHaveCount(0);
    const [row] = await sql<{ unit_id: string }>('SELECT unit_id FROM tasks WHERE id = $1', [
      other.id,
    ]);
    expect(row.unit_id).toBe(env.unitB.id);
  });

  test('a reload keeps the session (refresh cookie) and sign-out ends it', async ({
    page,
    env,
  }) => {
    await signIn(page, env.users.unitA);
    await page.reload();
    await expect(page.getByTestId('who')).toHaveText(/文明街道李四/);
    const cookies = await page.context().cookies();
    const refresh = cookies.find((c) => c.name === 'cc_refresh');
    expect(refresh?.httpOnly).toBe(true);
    expect(refresh?.sameSite).toBe('Strict');
    expect(refresh?.path).toBe('/api/v1/auth');
    await signOut(page);
    await page.goto('/my-tasks');
    await expect(page).toHaveURL(/\/login\?redirect=(%2F|\/)my-tasks/);
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test('the unit submits at 375×812', async ({ page, env }) => {
    const task = await inspectorTask(env.siteA.id, '人民公园西门共享单车乱停放');
    await signIn(page, env.users.unitA);
    await shot(page, 'unit-my-tasks-375');
    await page.getByRole('link', { name: new RegExp(task.number) }).click();
    await page.getByRole('button', { name: '提交整改' }).click();
    const dialog = page.getByRole('dialog', { name: '提交整改' });
    await dialog.getByLabel('整改情况').fill('已规整单车');
    await dialog.getByTestId('photo-input').setInputFiles(await photo('#2980b9'));
    await expect(dialog.locator('.thumb img')).toHaveCount(1);
    await shot(page, 'unit-submit-dialog-375');
    await dialog.getByTestId('action-confirm').click();
    await expect(page.getByText('提交整改：已完成')).toBeVisible();
    await shot(page, 'task-detail-375');
    const [row] = await sql<{ status: string }>('SELECT status FROM tasks WHERE id = $1', [
      task.id,
    ]);
    expect(row.status).toBe('submitted');
  });
});
