import { apiAs, expect, shot, signIn, signOut, sql, test } from './support/fixtures';

interface Created {
  id: string;
  number: string;
}
interface MapTasks {
  features: { id: string; properties: { light: string | null; unitId: string | null } }[];
}

/**
 * 一张图 on a blank map (no tile source in tests): the markers, coloured by light; a filter shared
 * with the task list through the URL; a marker's popup and the task it opens.
 */
test('一张图: markers by light, a filter changes them, a popup opens the task', async ({
  page,
  env,
}) => {
  const made = async (siteId: string, description: string, lat: number, lng: number) =>
    apiAs<Created>(env.users.inspector, 'POST', '/tasks', {
      categoryId: env.categoryId,
      siteId,
      description,
      lat,
      lng,
    });
  const aGreen = await made(env.siteA.id, '地图测试：人民公园门口堆物', 39.905, 116.39);
  const aRed = await made(env.siteA.id, '地图测试：人民公园东侧乱贴', 39.915, 116.41);
  const bGreen = await made(env.siteB.id, '地图测试：和平社区车棚杂物', 39.895, 116.42);
  await sql(
    `UPDATE tasks SET assigned_at = now() - interval '10 days', deadline = now() - interval '1 day' WHERE id = $1`,
    [aRed.id],
  );
  // What the server puts on the map for this filter: the markers must be exactly these.
  const served = await apiAs<MapTasks>(
    env.users.admin,
    'GET',
    `/map/tasks?q=${encodeURIComponent('地图测试')}`,
  );
  expect(served.features.map((f) => f.id).sort()).toEqual([aGreen.id, aRed.id, bGreen.id].sort());

  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(page, env.users.admin);
  await page.getByRole('menuitem', { name: '一张图' }).click();
  await expect(page).toHaveURL(/\/map$/);
  await page.goto(`/map?q=${encodeURIComponent('地图测试')}`);
  const pin = (t: Created) => page.locator(`.leaflet-marker-icon[title^="${t.number} "]`);
  await expect(page.locator('.leaflet-marker-icon.map-pin')).toHaveCount(3);
  await expect(pin(aRed)).toHaveClass(/map-pin--red/);
  await expect(pin(aGreen)).toHaveClass(/map-pin--green/);
  await expect(pin(bGreen)).toHaveClass(/map-pin--green/);
  await expect(page.getByTestId('map-status')).toHaveText('显示 3 件');
  // No tile source configured: no tile is requested, the markers sit on the plain background.
  await expect(page.locator('.leaflet-tile')).toHaveCount(0);
  await expect(page.getByLabel('图例')).toContainText('红灯');
  await shot(page, 'map-1366');

  // A filter: 和平街道 only. The URL carries it, as the task list's does.
  await page.getByRole('combobox', { name: '责任单位' }).click();
  await page.getByRole('option', { name: env.unitB.name }).click();
  await expect(page).toHaveURL(new RegExp(`unitId=${env.unitB.id}`));
  await expect(page.locator('.leaflet-marker-icon.map-pin')).toHaveCount(1);
  await expect(pin(bGreen)).toBeVisible();
  await expect(pin(aRed)).toHaveCount(0);
  await expect(page.getByTestId('map-status')).toHaveText('显示 1 件');

  // The popup: number, category, unit, status, deadline; its number opens the task.
  await pin(bGreen).click();
  const popup = page.locator('.leaflet-popup');
  await expect(popup).toContainText(bGreen.number);
  await expect(popup).toContainText(env.unitB.name);
  await expect(popup).toContainText('整改时限');
  await expect(popup).toContainText('待整改');
  await shot(page, 'map-popup-1366');
  await popup.getByRole('link', { name: bGreen.number }).click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${bGreen.id}$`));
  await expect(page.getByText(bGreen.number).first()).toBeVisible();

  // Back on the map, the same filter opens the list with the same tasks.
  await page.goBack();
  await expect(page.locator('.leaflet-marker-icon.map-pin')).toHaveCount(1);
  await page.getByRole('button', { name: '列表查看' }).click();
  await expect(page).toHaveURL(/\/tasks\?/);
  await expect(page).toHaveURL(new RegExp(`unitId=${env.unitB.id}`));
  const rows = page.getByTestId('task-table').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(bGreen.number);

  // A unit sees its own tasks only, on a phone's width too.
  await page.setViewportSize({ width: 375, height: 812 });
  await signOut(page);
  await signIn(page, env.users.unitA);
  await page.goto(`/map?q=${encodeURIComponent('地图测试')}`);
  await expect(page.locator('.leaflet-marker-icon.map-pin')).toHaveCount(2);
  await expect(pin(bGreen)).toHaveCount(0);
  await shot(page, 'map-unit-375');
  expect(pageErrors).toEqual([]);
});
