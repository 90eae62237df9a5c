import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { apiAs, expect, photo, shot, signIn, signOut, sql, test } from './support/fixtures';

interface Row {
  title: string;
  body: string;
  status: string;
  return_reason: string | null;
  photos: number;
}

/** Serious and critical accessibility violations on the page as it is. */
async function axeProblems(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const rowsOf = (unitId: string) =>
  sql<Row>(
    `SELECT i.title, i.body, i.status, i.return_reason,
            (SELECT count(*)::int FROM info_item_attachments a WHERE a.item_id = i.id) AS photos
       FROM info_items i WHERE i.unit_id = $1 ORDER BY i.submitted_at`,
    [unitId],
  );

test.describe.serial('信息报送: a unit sends items, the office adopts one and returns one', () => {
  const TITLE = '东辛房街道开展理论宣讲进社区活动';
  const RETURN_TITLE = '东辛房街道组织志愿者清扫楼道';

  test('the unit submits an item with a photo in the console; it is 待审', async ({
    page,
    env,
  }) => {
    await signIn(page, env.users.unitA);
    await page.getByRole('menuitem', { name: '信息报送' }).first().click();
    await expect(page).toHaveURL(/\/info-reports/);

    await page.getByTestId('info-new').click();
    const dialog = page.getByRole('dialog', { name: '报送信息' });
    // Sent empty: every missing field says so at the field, nothing reaches the server.
    await dialog.getByTestId('info-submit').click();
    await expect(dialog.getByText('请选择栏目')).toBeVisible();
    await expect(dialog.getByText('请填写正文')).toBeVisible();

    await dialog.getByTestId('info-column').click();
    await page.getByRole('option', { name: '文明培育' }).click();
    await dialog.getByLabel('工作类型').fill('宣讲');
    await dialog.getByPlaceholder('开展工作的日期').fill('2026-11-20');
    await dialog.getByPlaceholder('开展工作的日期').press('Enter');
    await dialog.getByTestId('info-title').fill(TITLE);
    await dialog
      .getByTestId('info-text')
      .fill('近日，联合区委党校在西山社区开展理论宣讲进社区活动，60余名居民参加。');
    await expect(dialog.getByTestId('info-placement')).toContainText('编入简讯');
    await expect(dialog.getByText('请选择栏目')).toBeHidden();
    await dialog.getByTestId('photo-input').setInputFiles(await photo());
    await expect(dialog.locator('.thumb img')).toHaveCount(1);
    await shot(page, 'info-submit-1366');
    await dialog.getByTestId('info-submit').click();
    await expect(dialog).toBeHidden();

    const list = page.getByTestId('info-list');
    await expect(list.getByText(TITLE)).toBeVisible();
    await expect(list.getByText('待审').first()).toBeVisible();
    expect(await rowsOf(env.unitA.id)).toEqual([
      {
        title: TITLE,
        body: '近日，联合区委党校在西山社区开展理论宣讲进社区活动，60余名居民参加。',
        status: 'pending',
        return_reason: null,
        photos: 1,
      },
    ]);
    // A second item, sent by the unit's own system.
    await apiAs(env.users.unitA, 'POST', '/info-items', {
      column: 'volunteer',
      title: RETURN_TITLE,
      text: '近日，组织志愿者清扫楼道。',
      workDate: '2026-11-21',
    });
    await signOut(page);
  });

  test('the office adopts the first with an edit and returns the second with a reason', async ({
    page,
    env,
  }) => {
    await signIn(page, env.users.admin);
    await page.getByRole('menuitem', { name: '信息采编' }).first().click();
    await expect(page).toHaveURL(/\/info-inbox/);
    const list = page.getByTestId('inbox-list');
    await expect(list.getByText(TITLE)).toBeVisible();
    await expect(list.getByText(RETURN_TITLE)).toBeVisible();
    await shot(page, 'info-inbox-1366');
    expect(await axeProblems(page)).toEqual([]);

    await list.getByText(TITLE).click();
    const drawer = page.getByRole('dialog', { name: env.unitA.name });
    await expect(drawer.getByTestId('info-text')).toBeVisible();
    await drawer
      .getByTestId('info-text')
      .fill(
        '近日，联合区委党校在西山社区开展习近平新时代中国特色社会主义思想宣讲活动，60余名居民参加。',
      );
    await expect(drawer.getByTestId('inbox-adopt')).toHaveText('采用（含修改）');
    await expect(drawer.locator('.photos img')).toBeVisible();
    await shot(page, 'info-inbox-drawer-1366');
    await drawer.getByTestId('inbox-adopt').click();
    await expect(page.getByText('已采用，将在下一期快报中编入简讯')).toBeVisible();
    // Adopted items leave the 待审 list.
    await expect(list.getByText(TITLE)).toBeHidden();

    await list.getByText(RETURN_TITLE).click();
    const second = page.getByRole('dialog', { name: env.unitA.name });
    await second.getByTestId('inbox-return').click();
    await second.getByTestId('inbox-return-confirm').click();
    await expect(second.getByText('请写明退回原因')).toBeVisible();
    await second.getByTestId('inbox-reason').fill('请补充参与人数和照片');
    await second.getByTestId('inbox-return-confirm').click();
    await expect(list.getByText(RETURN_TITLE)).toBeHidden();

    expect(await rowsOf(env.unitA.id)).toEqual([
      {
        title: TITLE,
        body: '近日，联合区委党校在西山社区开展习近平新时代中国特色社会主义思想宣讲活动，60余名居民参加。',
        status: 'adopted',
        return_reason: null,
        photos: 1,
      },
      {
        title: RETURN_TITLE,
        body: '近日，组织志愿者清扫楼道。',
        status: 'returned',
        return_reason: '请补充参与人数和照片',
        photos: 0,
      },
    ]);
    const events = await sql<{ action: string }>(
      `SELECT e.action FROM info_item_events e JOIN info_items i ON i.id = e.item_id
        WHERE i.unit_id = $1 ORDER BY e.id`,
      [env.unitA.id],
    );
    expect(events.map((e) => e.action)).toEqual(['submit', 'submit', 'adopt', 'return']);
    await signOut(page);
  });

  test('the unit sees the reason and resubmits the returned item', async ({ page, env }) => {
    await signIn(page, env.users.unitA);
    await page.goto('/info-reports');
    const list = page.getByTestId('info-list');
    await expect(list.getByText('请补充参与人数和照片')).toBeVisible();
    await expect(list.getByText('已采用')).toBeVisible();
    await shot(page, 'info-list-1366');
    expect(await axeProblems(page)).toEqual([]);
    await list.getByText(RETURN_TITLE).click();
    const drawer = page.getByRole('dialog', { name: RETURN_TITLE });
    await expect(drawer.getByTestId('info-return-reason')).toContainText('请补充参与人数和照片');
    await drawer.getByTestId('info-edit').click();
    await drawer.getByTestId('info-text').fill('近日，组织30余名志愿者清扫楼道20个。');
    await shot(page, 'info-resubmit-1366');

    await drawer.getByTestId('info-resubmit').click();
    await expect(drawer.getByText('待审').first()).toBeVisible();
    const rows = await rowsOf(env.unitA.id);
    expect(rows[1]).toEqual({
      title: RETURN_TITLE,
      body: '近日，组织30余名志愿者清扫楼道20个。',
      status: 'pending',
      return_reason: null,
      photos: 0,
    });

    // At a phone's width (the item still open, from the URL) the drawer takes the screen, and
    // the new-item form is a full-screen dialog.
    await page.setViewportSize({ width: 375, height: 812 });
    await page.reload();
    const onPhone = page.getByRole('dialog', { name: RETURN_TITLE });
    // The whole drawer on screen: its slide-in has ended (a shot taken earlier catches it halfway).
    await expect(onPhone).toBeInViewport({ ratio: 1 });
    await expect(onPhone.getByText('近日，组织30余名志愿者清扫楼道20个。')).toBeInViewport();
    await shot(page, 'info-item-375');
    await onPhone.getByRole('button', { name: /关闭|Close/ }).click();
    await page.getByTestId('info-new').click();
    await expect(page.getByTestId('info-submit')).toBeInViewport();
    await page.waitForTimeout(500); // the dialog's fade, for the screenshot only
    await shot(page, 'info-new-375');
  });
});
