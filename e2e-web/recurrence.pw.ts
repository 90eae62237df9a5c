import { apiAs, expect, inspectorTask, shot, signIn, sql, test } from './support/fixtures';

/** Today in Beijing, YYYY-MM-DD. */
const beijingDay = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

test('反弹: a problem back at a closed task’s place is tagged and linked both ways, and counted', async ({
  page,
  env,
}) => {
  // A task at site A, closed a moment ago (the loop's own story is tested elsewhere): the latest
  // closure at that place, so the one a problem there now comes back to.
  const first = await inspectorTask(env.siteA.id, '西山社区3号楼楼道堆放纸箱');
  await sql(
    `UPDATE tasks SET status = 'closed', closed_at = now() - interval '1 second', closed_on_time = true,
            closed_unverified = false WHERE id = $1`,
    [first.id],
  );
  const back = await inspectorTask(env.siteA.id, '西山社区3号楼楼道又堆放纸箱');
  const [row] = await sql<{ recurrence_of_id: string | null }>(
    'SELECT recurrence_of_id FROM tasks WHERE id = $1',
    [back.id],
  );
  expect(row.recurrence_of_id).toBe(first.id);

  await signIn(page, env.users.admin);
  await page.goto(`/tasks/${back.id}`);
  await expect(page.getByTestId('recurrence-tag')).toHaveText('反弹');
  await expect(page.getByRole('link', { name: first.number })).toBeVisible();
  await shot(page, 'recurrence-task-1366');
  await page.setViewportSize({ width: 375, height: 812 });
  await shot(page, 'recurrence-task-375');
  await page.setViewportSize({ width: 1366, height: 900 });

  await page.getByRole('link', { name: first.number }).click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${first.id}$`));
  await expect(page.getByText('已反弹 1 次')).toBeVisible();
  await expect(page.getByRole('link', { name: back.number }).first()).toBeVisible();
  await expect(page.getByText('问题反弹')).toBeVisible();
  await shot(page, 'recurrence-closed-task-1366');

  await page.goto('/tasks?recurrence=true');
  await expect(page.getByRole('link', { name: back.number })).toBeVisible();
  // The closed task is listed only if it is itself a 反弹 of an earlier one (other stories close
  // tasks at site A too): the list says what the database says.
  const [earlier] = await sql<{ recurrence_of_id: string | null }>(
    'SELECT recurrence_of_id FROM tasks WHERE id = $1',
    [first.id],
  );
  await expect(page.getByRole('link', { name: first.number })).toHaveCount(
    earlier.recurrence_of_id ? 1 : 0,
  );
  await shot(page, 'recurrence-list-1366');

  const day = beijingDay();
  await page.goto(`/evaluation?from=${day}&to=${day}`);
  const digest = await apiAs<{ units: { unitId: string; figures: { recurrences: number } }[] }>(
    env.users.admin,
    'GET',
    `/reports/digest?from=${day}&to=${day}`,
  );
  const mine = digest.units.find((u) => u.unitId === env.unitA.id);
  expect(mine?.figures.recurrences).toBeGreaterThanOrEqual(1);
  const unitRow = page.getByTestId('digest-table').locator('tbody tr', { hasText: env.unitA.name });
  await expect(unitRow.getByTestId('recurrences')).toHaveText(String(mine?.figures.recurrences));
  await shot(page, 'recurrence-evaluation-1366');
  await page.setViewportSize({ width: 375, height: 812 });
  await shot(page, 'recurrence-evaluation-375');
});
