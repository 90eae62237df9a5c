import { apiAs, expect, sql, test } from './support/fixtures';
import { cameraJpeg, mshot, PHONE, phoneSignIn, swControls } from './support/phone';

test.use(PHONE);

/**
 * 按清单检查 on the phone with no network: a 社区 walked item by item (one 不合格 with a camera
 * photo, one 不适用, the rest 合格), queued in the outbox after its inspection, sent when the
 * network is back; the server raises exactly one task, of the failed item's category.
 */
test('offline: a checklist walk is queued after its inspection and raises one task once online', async ({
  page,
  context,
  env,
}) => {
  // A 社区 of its own and without a unit: no other story's counts move.
  const site = await apiAs<{ id: string }>(env.users.admin, 'POST', '/sites', {
    name: '手机清单社区',
    kind: '社区',
  });
  const [first] = await sql<{ id: string; category_id: string; text: string }>(
    `SELECT i.id, i.category_id, i.text FROM checklist_items i JOIN checklists l ON l.id = i.checklist_id
      WHERE l.site_kind = '社区' AND i.active ORDER BY i.position LIMIT 1`,
  );
  const lead = `清单督导${Date.now().toString(36)}`;

  await phoneSignIn(page);
  await swControls(page);
  await context.setOffline(true);
  await page.getByRole('tab', { name: '新建督导' }).click();
  await page.getByLabel('带队人').fill(lead);
  await page.getByTestId('site-option').filter({ hasText: '手机清单社区' }).click();
  await page.getByRole('button', { name: '开始记录问题' }).click();
  await page.getByTestId('start-walk').click();

  // The inspection's one site is chosen; its kind's checklist comes from the phone's cache.
  const item1 = page.getByTestId('walk-item-1');
  await expect(item1).toContainText(first.text);
  await item1.getByRole('radio', { name: '不合格' }).click();
  await page.getByTestId('walk-item-2').getByRole('radio', { name: '不适用' }).click();
  await page.getByTestId('pass-rest').click();
  // A 不合格 without a photo is stopped on the phone.
  await page.getByTestId('save-walk').click();
  await expect(item1.getByRole('alert')).toHaveText('不合格项须拍照');
  await item1.getByTestId('camera').setInputFiles([await cameraJpeg(1600, 1200, 110)]);
  await item1.getByLabel('问题说明').fill('3单元楼道堆放纸箱');
  await mshot(page, 'checklist-01-walk');
  await page.getByTestId('save-walk').click();

  await expect(page.getByTestId('walk-row')).toHaveCount(1);
  await expect(page.getByTestId('walk-row')).toContainText('不合格 1');
  await expect(page.getByTestId('walk-row')).toContainText('待同步');
  await mshot(page, 'checklist-02-inspection');
  await page.goto('/m/outbox');
  await expect(page.getByTestId('outbox-walk')).toHaveCount(1);
  await mshot(page, 'checklist-03-outbox-offline');
  expect(await sql(`SELECT id FROM inspections WHERE $1 = ANY(lead_persons)`, [lead])).toHaveLength(
    0,
  );

  await context.setOffline(false);
  await expect(page.getByTestId('waiting-count')).toHaveText('0', { timeout: 30_000 });
  await expect(page.getByTestId('outbox-walk')).toContainText(/ZG-\d{4}-\d{6}/);
  await mshot(page, 'checklist-04-outbox-synced');

  const [inspection] = await sql<{ id: string }>(
    `SELECT id FROM inspections WHERE $1 = ANY(lead_persons)`,
    [lead],
  );
  const walks = await sql<{ id: string; site_id: string }>(
    `SELECT id, site_id FROM checklist_walks WHERE inspection_id = $1`,
    [inspection.id],
  );
  expect(walks).toEqual([{ id: expect.any(String), site_id: site.id }]);
  const tasks = await sql<{
    category_id: string;
    site_id: string;
    description: string;
    photos: string;
  }>(
    `SELECT t.category_id, t.site_id, t.description,
            (SELECT count(*) FROM task_attachments a WHERE a.task_id = t.id AND a.role = 'before') AS photos
       FROM tasks t WHERE t.inspection_id = $1`,
    [inspection.id],
  );
  expect(tasks).toEqual([
    {
      category_id: first.category_id,
      site_id: site.id,
      description: `清单检查未达标：${first.text}。3单元楼道堆放纸箱`,
      photos: '1',
    },
  ]);
  const [counts] = await sql<{ fail: number; na: number }>(
    `SELECT count(*) FILTER (WHERE result = 'fail')::int AS fail,
            count(*) FILTER (WHERE result = 'na')::int AS na
       FROM checklist_walk_results WHERE walk_id = $1`,
    [walks[0].id],
  );
  expect(counts).toEqual({ fail: 1, na: 1 });
});
