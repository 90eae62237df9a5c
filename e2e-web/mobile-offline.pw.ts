import { join } from 'node:path';
import sharp from 'sharp';
import { apiAs, expect, sql, test } from './support/fixtures';
import {
  cameraJpeg,
  mshot,
  PHONE,
  phoneSignIn,
  placeSites,
  recordProblem,
  swControls,
} from './support/phone';

test.use(PHONE);

interface Cat {
  id: string;
  code: string;
  name: string;
  active: boolean;
  quickPhrases: string[];
}
async function categories(admin: string): Promise<Cat[]> {
  return (await apiAs<{ items: Cat[] }>(admin, 'GET', '/categories?limit=200')).items;
}

test.beforeAll(async () => {
  await placeSites(apiAs);
});

test('offline: an inspection with three problems and photos, app closed and reopened, syncs once', async ({
  page,
  context,
  env,
}) => {
  const cats = (await categories(env.users.admin)).filter((c) => c.active);
  const main = cats.find((c) => c.id === env.categoryId)!;
  const other = cats.find((c) => c.id !== env.categoryId && c.quickPhrases.length)!;
  const lead = `离线督导${Date.now().toString(36)}`;

  await phoneSignIn(page);
  await swControls(page);
  await mshot(page, '01-today');

  await context.setOffline(true);
  await page.getByRole('tab', { name: '新建督导' }).click();
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  // Sites come from IndexedDB and are sorted by distance: 人民公园 (20 m) before 和平社区.
  await expect(page.getByTestId('site-option').first()).toContainText(env.siteA.name);
  await expect(page.getByTestId('site-option').first()).toContainText('米');
  await page.getByLabel('带队人').fill(lead);
  await page.getByTestId('site-option').first().click();
  await mshot(page, '02-new-inspection');
  await page.getByRole('button', { name: '开始记录问题' }).click();
  await expect(page.getByText('发现的问题（0）')).toBeVisible();

  const shots = [
    await cameraJpeg(2400, 1800, 90),
    await cameraJpeg(1200, 1600, 150),
    await cameraJpeg(800, 600, 200),
  ];
  await recordProblem(page, {
    category: main.name,
    photos: [shots[0], shots[1]],
    text: '南门绿化带内有生活垃圾',
  });
  // The problem form as the inspector sees it (filled, before saving).
  await page.getByRole('button', { name: '添加问题' }).click();
  await page.getByTestId('category-cell').click();
  await expect(page.getByText('最近用过')).toBeVisible();
  await mshot(page, '03-category-picker');
  await page.getByTestId('category-option').filter({ hasText: other.name }).first().click();
  await page.getByTestId('camera').setInputFiles([shots[2]]);
  // The category's 常用语 (configured per category) fill the description with one tap.
  await expect(page.getByTestId('phrase').first()).toHaveText(other.quickPhrases[0]);
  await page.getByTestId('phrase').first().click();
  await expect(page.getByTestId('routed-unit')).toContainText(env.unitA.name);
  await mshot(page, '04-problem-form');
  await page.getByRole('button', { name: '保存问题' }).click();
  await expect(page.getByText('发现的问题（2）')).toBeVisible();
  await recordProblem(page, { category: main.name, photos: [shots[2]], text: '东侧步道有积水' });
  await expect(page.getByText('发现的问题（3）')).toBeVisible();
  await mshot(page, '05-inspection');

  // The app is closed and opened again, still with no network: everything is on the phone.
  await page.close();
  const again = await context.newPage();
  await again.goto('/m/outbox');
  await expect(again.getByTestId('outbox-problem')).toHaveCount(3);
  await expect(again.getByTestId('waiting-count')).not.toHaveText('0');
  await mshot(again, '06-outbox-offline');
  const before = await sql(`SELECT id FROM inspections WHERE $1 = ANY(lead_persons)`, [lead]);
  expect(before).toHaveLength(0);

  await context.setOffline(false);
  await expect(again.getByTestId('waiting-count')).toHaveText('0', { timeout: 30_000 });
  await expect(again.getByTestId('outbox-problem').filter({ hasText: '已同步' })).toHaveCount(0);
  await expect(again.getByTestId('outbox-problem').filter({ hasText: /ZG-|\d{4}-/ })).toHaveCount(
    3,
  );
  await mshot(again, '07-outbox-synced');
  await again.getByRole('tab', { name: '今日' }).click();
  await expect(again.getByTestId('draft')).toHaveCount(1);
  await mshot(again, '13-today-with-records');

  const rows = await sql<{ id: string; kind: string; activity: string }>(
    `SELECT id, kind, activity FROM inspections WHERE $1 = ANY(lead_persons)`,
    [lead],
  );
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ kind: 'inspection', activity: '创城督导检查' });
  const tasks = await sql<{
    id: string;
    description: string;
    category_id: string;
    site_id: string;
    lat: number;
    photos: string;
    found_at: Date;
    created_at: Date;
  }>(
    `SELECT t.id, t.description, t.category_id, t.site_id, t.lat, t.found_at, t.created_at,
            (SELECT count(*) FROM task_attachments a WHERE a.task_id = t.id AND a.role = 'before') AS photos
       FROM tasks t WHERE t.inspection_id = $1 ORDER BY t.created_at`,
    [rows[0].id],
  );
  expect(
    tasks.map((t) => [
      t.description.startsWith('南门') ||
        t.description.startsWith('东侧') ||
        t.description === other.quickPhrases[0],
      Number(t.photos),
    ]),
  ).toEqual([
    [true, 2],
    [true, 1],
    [true, 1],
  ]);
  expect(tasks.map((t) => t.category_id)).toEqual([main.id, other.id, main.id]);
  expect(tasks.every((t) => t.site_id === env.siteA.id)).toBe(true);
  // 发现时间 is when the inspector recorded it on the phone, offline, not when it synced.
  for (const t of tasks) expect(t.found_at.getTime()).toBeLessThan(t.created_at.getTime() - 1000);
  // The phone's position, not the site's.
  expect(Number(tasks[0].lat)).toBeCloseTo(39.9087, 4);
  // Photos were resized on the phone: the 2400 px one arrives at 1600 px on its longest side.
  const stored = await sql<{ storage_key: string; mime: string }>(
    `SELECT at.storage_key, at.mime FROM task_attachments a JOIN attachments at ON at.id = a.attachment_id
      WHERE a.task_id = $1`,
    [tasks[0].id],
  );
  expect(stored).toHaveLength(2);
  const dims = await Promise.all(
    stored.map(async (s) => {
      const m = await sharp(join(env.storageRoot, s.storage_key)).metadata();
      return [s.mime, Math.max(m.width ?? 0, m.height ?? 0)];
    }),
  );
  expect(dims.sort()).toEqual([
    ['image/jpeg', 1600],
    ['image/jpeg', 1600],
  ]);
});

test('a problem the server refuses (category made inactive meanwhile) shows its error; the others sync', async ({
  page,
  context,
  env,
}) => {
  const cats = (await categories(env.users.admin)).filter((c) => c.active);
  const victim = cats.find((c) => c.id !== env.categoryId && c.name.length > 1)!;
  const main = cats.find((c) => c.id === env.categoryId)!;
  const lead = `退回督导${Date.now().toString(36)}`;
  await phoneSignIn(page);
  await swControls(page);
  await context.setOffline(true);
  await page.getByRole('tab', { name: '新建督导' }).click();
  await page.getByLabel('带队人').fill(lead);
  await page.getByTestId('site-option').first().click();
  await page.getByRole('button', { name: '开始记录问题' }).click();
  const jpg = await cameraJpeg(640, 480, 60);
  await recordProblem(page, { category: main.name, photos: [jpg], text: '第一处：垃圾桶满溢' });
  await recordProblem(page, { category: victim.name, photos: [jpg], text: '第二处：类别将被停用' });
  await recordProblem(page, { category: main.name, photos: [], text: '第三处：无照片' });

  await apiAs(env.users.admin, 'PATCH', `/categories/${victim.id}`, { active: false });
  try {
    await page.goto('/m/outbox');
    await context.setOffline(false);
    await expect(page.getByTestId('failed-count')).toHaveText('1', { timeout: 30_000 });
    await expect(page.getByTestId('waiting-count')).toHaveText('0', { timeout: 30_000 });
    const refused = page.getByTestId('outbox-problem').filter({ hasText: '第二处' });
    await expect(refused).toContainText('被退回');
    await expect(refused.getByTestId('field-error')).toContainText('问题类别');
    await mshot(page, '08-outbox-refused');

    const [inspection] = await sql<{ id: string }>(
      `SELECT id FROM inspections WHERE $1 = ANY(lead_persons)`,
      [lead],
    );
    const tasks = await sql<{ description: string }>(
      `SELECT description FROM tasks WHERE inspection_id = $1 ORDER BY created_at`,
      [inspection.id],
    );
    expect(tasks.map((t) => t.description)).toEqual(['第一处：垃圾桶满溢', '第三处：无照片']);

    // The inspector picks another category for the refused problem, and it goes through.
    await refused.getByRole('button', { name: '改类别' }).click();
    await page.getByPlaceholder('搜索类别').fill(main.name);
    await page.getByTestId('category-option').filter({ hasText: main.name }).first().click();
    await expect(page.getByTestId('outbox-problem').filter({ hasText: '第二处' })).toContainText(
      /ZG-/,
      { timeout: 30_000 },
    );
    await expect(page.getByTestId('failed-count')).toHaveText('0');
    const after = await sql<{ description: string; category_id: string }>(
      `SELECT description, category_id FROM tasks WHERE inspection_id = $1 ORDER BY created_at`,
      [inspection.id],
    );
    expect(after.map((t) => t.description)).toEqual([
      '第一处：垃圾桶满溢',
      '第三处：无照片',
      '第二处：类别将被停用',
    ]);
    expect(after[2].category_id).toBe(main.id);
  } finally {
    await apiAs(env.users.admin, 'PATCH', `/categories/${victim.id}`, { active: true });
  }
});
