import { apiAs, expect, photo, shot, signIn, sql, test } from './support/fixtures';

/**
 * 点位检查清单 in the console: the office edits an item of the 社区 list; an inspector walks the
 * list on their inspection (one 不合格 with a photo, one 不适用, the rest 合格) and exactly one task
 * is raised, of the item's category, at the site, with the edited text.
 */
test.describe('点位检查清单', () => {
  test('the office edits an item; an inspector walks the checklist and one task is raised', async ({
    page,
    env,
  }) => {
    // A 社区 of its own, without a unit, so no other story's counts move (its task waits for dispatch).
    const site = await apiAs<{ id: string; name: string }>(env.users.admin, 'POST', '/sites', {
      name: '清单测试社区',
      kind: '社区',
    });
    const [first] = await sql<{ id: string; category_id: string }>(
      `SELECT i.id, i.category_id FROM checklist_items i JOIN checklists l ON l.id = i.checklist_id
        WHERE l.site_kind = '社区' AND i.position = 1`,
    );

    await signIn(page, env.users.admin);
    await page.goto('/settings?tab=checklists');
    const items = page.getByTestId('checklist-items');
    await page.getByTestId('checklist-kind').click();
    await page.getByRole('option', { name: /^社区（/ }).click();
    await expect(items).toContainText('楼道内无堆物堆料、无杂物占用');
    await page.getByTestId('edit-item-1').click();
    const dialog = page.getByRole('dialog', { name: '编辑检查项' });
    await dialog.getByLabel('检查内容').fill('楼道、楼梯间无堆物堆料');
    await dialog.getByTestId('save-item').click();
    await expect(items).toContainText('楼道、楼梯间无堆物堆料');
    await shot(page, 'checklists-settings-1366');
    await page.setViewportSize({ width: 375, height: 812 });
    await shot(page, 'checklists-settings-375');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('button', { name: '退出' }).click();

    const inspection = await apiAs<{ id: string }>(env.users.inspector, 'POST', '/inspections', {
      kind: 'inspection',
      activity: '社区创城督导检查',
      leadPersons: ['张督导'],
      heldOn: new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }),
      location: '和平街道',
    });
    await signIn(page, env.users.inspector);
    await page.goto(`/inspections/${inspection.id}`);
    await page.getByTestId('start-walk').click();
    const walk = page.getByRole('dialog', { name: '按清单检查' });
    await walk.getByTestId('walk-site').click();
    await page.getByRole('option', { name: '清单测试社区（社区）' }).click();
    const item1 = walk.getByTestId('item-1');
    await expect(item1).toContainText('楼道、楼梯间无堆物堆料');
    await item1.getByText('不合格', { exact: true }).click();
    await item1.getByLabel('楼道、楼梯间无堆物堆料 问题说明').fill('3单元楼道堆放纸箱');
    await walk.getByTestId('item-2').getByText('不适用', { exact: true }).click();
    await walk.getByRole('button', { name: '其余全部合格' }).click();
    // Submitting without the photo: the server names the item's photo field, shown at the item.
    await walk.getByTestId('submit-walk').click();
    await expect(item1.getByRole('alert')).toContainText('不合格项须附现场照片');
    await item1.getByTestId('photo-input').setInputFiles(await photo());
    await expect(item1.locator('.thumb img')).toBeVisible();
    await shot(page, 'checklists-walk-1366');
    await walk.getByTestId('submit-walk').click();
    await expect(page.getByText('已保存，生成整改任务 1 条')).toBeVisible();
    const record = page.getByTestId('walk-清单测试社区');
    await expect(record).toContainText('不合格 1');
    await expect(record).toContainText('不适用 1');
    await expect(record.getByRole('link', { name: /^ZG-/ })).toBeVisible();
    await shot(page, 'checklists-walked-1366');

    // What the server holds: one task, of the item's category, at the site, waiting for dispatch.
    const tasks = await sql<{ category_id: string; status: string; description: string }>(
      `SELECT category_id, status, description FROM tasks WHERE site_id = $1`,
      [site.id],
    );
    expect(tasks).toEqual([
      {
        category_id: first.category_id,
        status: 'pending_dispatch',
        description: '清单检查未达标：楼道、楼梯间无堆物堆料。3单元楼道堆放纸箱',
      },
    ]);
    const [results] = await sql<{ fail: number; na: number; pass: number; total: number }>(
      `SELECT count(*) FILTER (WHERE result = 'fail')::int AS fail,
              count(*) FILTER (WHERE result = 'na')::int AS na,
              count(*) FILTER (WHERE result = 'pass')::int AS pass, count(*)::int AS total
         FROM checklist_walk_results r JOIN checklist_walks w ON w.id = r.walk_id
        WHERE w.site_id = $1`,
      [site.id],
    );
    expect(results).toEqual({ fail: 1, na: 1, pass: results.total - 2, total: 12 });

    await page.setViewportSize({ width: 375, height: 812 });
    await shot(page, 'checklists-walked-375');
    await page.getByTestId('start-walk').click();
    await walk.getByTestId('walk-site').click();
    await page.getByRole('option', { name: '清单测试社区（社区）' }).click();
    await walk.getByTestId('item-1').getByText('不合格', { exact: true }).click();
    await shot(page, 'checklists-walk-375');
  });
});
