import AxeBuilder from '@axe-core/playwright';
import { apiAs, expect, shot, signIn, sql, test } from './support/fixtures';
import { webEnv } from './support/env';
import { mshot, PHONE, phoneSignIn } from './support/phone';

/** Today and this week's Monday, Beijing days. */
function thisWeek(): { today: string; monday: string } {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const d = new Date(`${today}T00:00:00Z`);
  const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return { today, monday };
}

interface Coverage {
  overall: { planned: number; visited: number; rate: number | null };
  byInspector: { inspectorName: string; rate: number | null }[];
}
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

test.describe.serial('督导计划: the office plans a week, coverage follows the visits', () => {
  let siteC: { id: string; name: string };

  test.beforeAll(async () => {
    const env = webEnv();
    siteC = await apiAs(env.users.admin, 'POST', '/sites', {
      name: '石门营广场',
      kind: '公园广场',
    });
  });

  test('the office creates a plan in the console; a visit shows in the coverage', async ({
    page,
    env,
  }) => {
    const { today, monday } = thisWeek();
    await signIn(page, env.users.admin);
    await page.getByRole('menuitem', { name: '督导计划' }).first().click();
    await expect(page).toHaveURL(/\/plans/);
    await expect(page.getByText('本期还没有督导计划')).toBeVisible();

    await page.getByTestId('new-plan').click();
    const dialog = page.getByRole('dialog', { name: '新建督导计划' });
    // Saved without an inspector or sites: the server's field errors show at the fields.
    await dialog.getByTestId('save-plan').click();
    await expect(dialog.getByText('不是有效的编号').first()).toBeVisible();

    await dialog.getByTestId('plan-inspector').click();
    await page.getByRole('option', { name: '张督导' }).click();
    await dialog.getByTestId('plan-sites').click();
    for (const name of [env.siteA.name, env.siteB.name, siteC.name])
      await page.getByRole('option', { name }).click();
    await dialog.getByText('点位（已选 3 个）').click();
    await shot(page, 'plans-dialog-1366');
    await dialog.getByTestId('save-plan').click();
    await expect(dialog).toBeHidden();

    // What the server holds: one week plan for 张督导 from this Monday, three sites.
    const rows = await sql<{ start: string; end: string; sites: number; name: string }>(
      `SELECT to_char(p.period_start, 'YYYY-MM-DD') AS start, to_char(p.period_end, 'YYYY-MM-DD') AS "end",
              (SELECT count(*)::int FROM inspection_plan_sites ps WHERE ps.plan_id = p.id) AS sites,
              u.display_name AS name
         FROM inspection_plans p JOIN users u ON u.id = p.inspector_id`,
    );
    expect(rows).toEqual([
      {
        start: monday,
        end: new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * 86_400_000)
          .toISOString()
          .slice(0, 10),
        sites: 3,
        name: '张督导',
      },
    ]);

    // 张督导 visits 石门营广场 today (other stories may have visited the other two already).
    await apiAs(env.users.inspector, 'POST', '/inspections', {
      kind: 'inspection',
      activity: '公园广场创城督导检查',
      leadPersons: ['张督导'],
      heldOn: today,
      location: '石门营',
      siteIds: [siteC.id],
    });
    await page.reload();
    const cov = await apiAs<Coverage>(env.users.admin, 'GET', '/plans/coverage');
    expect(cov.overall.planned).toBe(3);
    expect(cov.overall.visited).toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('coverage-overall')).toHaveText(pct(cov.overall.rate));
    await expect(page.getByTestId('plans-table')).toContainText(`${cov.overall.visited} / 3`);
    await expect(page.getByTestId('unvisited')).toContainText('未督导点位');
    await shot(page, 'plans-1366');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(
      axe.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    await page.setViewportSize({ width: 375, height: 812 });
    await shot(page, 'plans-375');
    await page.setViewportSize({ width: 1366, height: 768 });

    // The dashboard's card shows the same figure and leads to the page.
    await page.goto('/dashboard');
    const card = page.getByTestId('coverage-card');
    await expect(card).toContainText(pct(cov.overall.rate));
    await expect(card).toContainText('张督导');
    await shot(page, 'plans-dashboard-1366');
    await card.getByRole('link', { name: '本周督导覆盖率' }).click();
    await expect(page).toHaveURL(/\/plans/);
  });

  test.describe('on the phone', () => {
    test.use(PHONE);
    test('今日 lists this week’s planned sites with a tick on the visited one', async ({
      page,
    }) => {
      await phoneSignIn(page);
      const plan = page.getByTestId('plan');
      await expect(page.getByTestId('plan-title')).toContainText('本周计划点位');
      const visited = plan.locator('.van-cell', { hasText: siteC.name });
      await expect(visited).toContainText('已督导');
      await mshot(page, 'plans-today');
    });
  });
});
