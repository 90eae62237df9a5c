import { expect, inspectorTask, shot, signIn, signOut, sql, test } from './support/fixtures';

/** 签收 in the console (the browser tests' service runs with ACK_REQUIRED=true: global-setup.ts). */
test.describe('a unit signs for its task (签收)', () => {
  test('the office sees it under 待签收; the unit signs on the task detail; the office list empties', async ({
    page,
    env,
  }) => {
    const task = await inspectorTask(env.siteA.id, '西山社区3号楼楼道堆放杂物，影响通行');

    // The office: 待办 has a 待签收 tab listing it.
    await signIn(page, env.users.admin);
    await page.goto('/todo?tab=unsigned');
    await expect(page.getByTestId('tab-unsigned')).toBeVisible();
    await expect(page.getByRole('link', { name: task.number })).toBeVisible();
    await shot(page, 'ack-office-todo-1366');
    await signOut(page);

    // The unit: tagged 待签收 in its list; 签收 first on the detail.
    await signIn(page, env.users.unitA);
    const row = page.getByRole('link', { name: new RegExp(task.number) });
    await expect(row).toBeVisible();
    await expect(row.getByText('待签收')).toBeVisible();
    await row.click();
    await expect(page.getByTestId('awaiting-ack')).toBeVisible();
    await expect(page.locator('.actions button').first()).toHaveText('签收');
    await shot(page, 'ack-unit-detail-before-1366');
    await page.locator('.actions').getByRole('button', { name: '签收' }).click();
    const dialog = page.getByRole('dialog', { name: '签收' });
    await expect(dialog.getByText('确认本单位已接收此整改任务')).toBeVisible();
    await shot(page, 'ack-unit-dialog-1366');
    await dialog.getByTestId('action-confirm').click();
    await expect(page.getByText('签收：已完成')).toBeVisible();
    await expect(page.getByTestId('awaiting-ack')).toHaveCount(0);
    await expect(page.getByText('签收时间')).toBeVisible();
    await expect(page.locator('.actions').getByRole('button', { name: '签收' })).toHaveCount(0);
    await shot(page, 'ack-unit-detail-after-1366');
    await page.setViewportSize({ width: 375, height: 800 });
    await shot(page, 'ack-unit-detail-after-375');
    await page.setViewportSize({ width: 1366, height: 768 });

    const [signed] = await sql<{ kind: string; by: string; events: number }>(
      `SELECT t.acknowledged_by_kind AS kind, u.username AS by,
              (SELECT count(*)::int FROM task_events e WHERE e.task_id = t.id AND e.action = 'acknowledge') AS events
         FROM tasks t JOIN users u ON u.id = t.acknowledged_by_id WHERE t.id = $1`,
      [task.id],
    );
    expect(signed).toEqual({ kind: 'user', by: env.users.unitA, events: 1 });
  });
});
