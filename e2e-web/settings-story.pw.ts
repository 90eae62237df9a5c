import { apiAs, expect, shot, signIn, sql, test } from './support/fixtures';

test.describe('设置: the calendar, categories and a unit’s webhook deliveries', () => {
  test('工作日历 shows the year as the deadline code counts it', async ({ page, env }) => {
    await signIn(page, env.users.admin);
    await page.goto('/settings?tab=calendar');
    const year = await apiAs<{ workdays: number; days: { date: string; kind: string }[] }>(
      env.users.admin,
      'GET',
      '/calendar?year=2026',
    );
    await page.getByTestId('calendar-year').click();
    await page.getByRole('option', { name: '2026年' }).click();
    await expect(page.getByTestId('calendar-summary')).toContainText(
      `2026年共 ${year.workdays} 个工作日`,
    );
    for (const label of ['节假日', '调休上班', '周末', '工作日'])
      await expect(page.getByRole('list', { name: '图例' }).getByText(label)).toBeVisible();
    // Every day's cell has the API's kind: a clerk sees exactly what deadlines use.
    const cells = await page
      .locator('[data-date]')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-date'), e.getAttribute('data-kind')]),
      );
    expect(cells).toEqual(year.days.map((d) => [d.date, d.kind]));
    await expect(page.locator('[data-date="2026-10-01"]')).toHaveAttribute(
      'title',
      /节假日（国庆节）/,
    );
    await expect(page.locator('[data-date="2026-01-04"]')).toHaveAttribute(
      'data-kind',
      'makeup_workday',
    );
    await shot(page, 'settings-calendar-1366');
    await page.setViewportSize({ width: 375, height: 812 });
    await shot(page, 'settings-calendar-375');
    await page.setViewportSize({ width: 1366, height: 768 });

    // A year without a file says so instead of guessing.
    await page.getByTestId('calendar-year').click();
    await page.getByRole('option', { name: '2027年' }).click();
    await expect(page.getByTestId('calendar-summary')).toContainText('2027年共');
  });

  test('a category’s rules are edited in place; server field errors show at the field', async ({
    page,
    env,
  }) => {
    // Not the category the other stories file tasks under.
    const [cat] = await sql<{ id: string; code: string; name: string }>(
      `SELECT id, code, name FROM categories WHERE id <> $1 AND active ORDER BY code LIMIT 1`,
      [env.categoryId],
    );
    await signIn(page, env.users.admin);
    await page.goto('/settings?tab=categories');
    await page.getByTestId(`edit-category-${cat.code}`).click();
    const dialog = page.getByRole('dialog', { name: `编辑问题类别 · ${cat.code}` });

    // A blank name is refused by the server: its message shows under 名称.
    await dialog.getByLabel('名称', { exact: true }).fill('   ');
    await dialog.getByTestId('category-save').click();
    await expect(
      dialog.locator('.el-form-item', { hasText: '名称' }).first().locator('.el-form-item__error'),
    ).toBeVisible();
    await dialog.getByLabel('名称', { exact: true }).fill(cat.name);

    await dialog.getByLabel('快报中的名称（不填同名称）').fill('占道堆物');
    await dialog.getByLabel('量词').fill('起');
    await dialog
      .locator('.el-select', { has: page.getByRole('combobox', { name: '时限类型' }) })
      .click();
    await page.getByRole('option', { name: '工作日' }).click();
    await dialog.getByRole('spinbutton', { name: '工作日数' }).fill('5');
    await dialog
      .locator('.el-select', { has: page.getByRole('combobox', { name: '复查方式' }) })
      .click();
    await page.getByRole('option', { name: '按比例抽查' }).click();
    await dialog.getByRole('spinbutton', { name: '抽查比例' }).fill('30');
    await dialog
      .locator('.el-switch', { has: page.getByRole('switch', { name: '整改反馈须附整改后照片' }) })
      .click();
    await shot(page, 'settings-category-edit-1366');
    await dialog.getByTestId('category-save').click();
    await expect(dialog).toBeHidden();
    const row = page.getByTestId('categories').locator('tr', { hasText: cat.code });
    await expect(row).toContainText('5个工作日');
    await expect(row).toContainText('按比例抽查30%');

    const [held] = await sql(
      `SELECT bulletin_name, measure_word, deadline_rule, verification_policy, round(spot_check_ratio::numeric, 2)::float AS ratio, requires_after_photo
         FROM categories WHERE id = $1`,
      [cat.id],
    );
    expect(held).toEqual({
      bulletin_name: '占道堆物',
      measure_word: '起',
      deadline_rule: { kind: 'work_days', days: 5 },
      verification_policy: 'spot_check',
      ratio: 0.3,
      requires_after_photo: false,
    });
    await shot(page, 'settings-categories-1366');
  });

  test('a unit’s delivery list shows only its deliveries, and a failed one is sent again', async ({
    page,
    env,
  }) => {
    const ids: string[] = [];
    for (const [unitId, key] of [
      [env.unitA.id, 'pw-a1'],
      [env.unitA.id, 'pw-a2'],
      [env.unitB.id, 'pw-b1'],
    ]) {
      const [r] = await sql<{ id: string }>(
        `INSERT INTO webhook_deliveries (unit_id, delivery_key, event_type, payload, status, attempts, last_error)
         VALUES ($1, $2, 'task.dispatch', '{}', 'dead', 5, 'connect ECONNREFUSED') RETURNING id`,
        [unitId, key],
      );
      ids.push(r.id);
    }
    const [{ code }] = await sql<{ code: string }>('SELECT code FROM units WHERE id = $1', [
      env.unitA.id,
    ]);
    await signIn(page, env.users.admin);
    await page.goto('/settings?tab=units');
    await page.getByTestId(`deliveries-${code}`).click();
    const drawer = page.getByRole('dialog', { name: `${env.unitA.name} · Webhook 投递记录` });
    const rows = drawer.getByTestId('unit-deliveries').locator('tbody tr');
    const mine = await apiAs<{ items: unknown[] }>(
      env.users.admin,
      'GET',
      `/admin/webhook-deliveries?unitId=${env.unitA.id}`,
    );
    await expect(rows).toHaveCount(mine.items.length);
    await expect(drawer.getByText('派遣').first()).toBeVisible();
    await drawer.locator('.el-radio-button', { hasText: '失败' }).click();
    await expect(rows).toHaveCount(2);
    await shot(page, 'settings-unit-deliveries-1366');
    await rows.first().getByRole('button', { name: '重新投递' }).click();
    await expect(page.getByText('已重新投递')).toBeVisible();
    // One of unit A's was queued again (pending, or already tried once more by the worker);
    // unit B's was never touched.
    await expect
      .poll(async () =>
        (
          await sql<{ id: string; status: string; attempts: number }>(
            `SELECT id, status, attempts FROM webhook_deliveries WHERE id = ANY($1)`,
            [ids],
          )
        )
          .filter((d) => d.status !== 'dead' || d.attempts > 5)
          .map((d) => ids.indexOf(d.id)),
      )
      .toEqual([expect.any(Number)]);
    const [b] = await sql<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM webhook_deliveries WHERE id = $1`,
      [ids[2]],
    );
    expect(b).toEqual({ status: 'dead', attempts: 5 });
    // On a phone's width each delivery is a card, its 重新投递 on screen (no sideways scroll).
    await page.setViewportSize({ width: 375, height: 812 });
    const cards = drawer.getByTestId('unit-deliveries').locator('li');
    await expect(cards).toHaveCount(1);
    await expect(cards.first().getByRole('button', { name: '重新投递' })).toBeInViewport({
      ratio: 1,
    });
    await expect(cards.first()).toContainText('connect ECONNREFUSED');
    await shot(page, 'settings-unit-deliveries-375');
  });
});
