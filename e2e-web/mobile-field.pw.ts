import { apiAs, expect, sql, test } from './support/fixtures';
import { cameraJpeg, HERE, mshot, PHONE, phoneSignIn, placeSites } from './support/phone';

test.use(PHONE);

test.beforeAll(async () => {
  await placeSites(apiAs);
});

test('a problem already open nearby: the phone shows it, and the new photo goes to that task instead of a new one', async ({
  page,
  env,
}) => {
  // An open task of the same category, 15 m from the phone.
  const open = await apiAs<{ id: string; number: string }>(env.users.inspector, 'POST', '/tasks', {
    categoryId: env.categoryId,
    siteId: env.siteA.id,
    description: '疑似重复：南门垃圾桶旁堆放垃圾',
    lat: HERE.latitude + 0.0001,
    lng: HERE.longitude + 0.0001,
  });
  const lead = `重复提示${Date.now().toString(36)}`;

  await phoneSignIn(page);
  await page.getByRole('tab', { name: '新建督导' }).click();
  await page.getByLabel('带队人').fill(lead);
  await page.getByTestId('site-option').first().click();
  await page.getByRole('button', { name: '开始记录问题' }).click();
  await page.getByRole('button', { name: '添加问题' }).click();
  await page.getByTestId('category-cell').click();
  const [{ name: category }] = await sql<{ name: string }>(
    'SELECT name FROM categories WHERE id = $1',
    [env.categoryId],
  );
  await page.getByPlaceholder('搜索类别').fill(category);
  await page.getByTestId('category-option').filter({ hasText: category }).first().click();

  const hint = page.getByText(open.number);
  await expect(hint).toBeVisible();
  await expect(page.getByText('附近已有同类问题（30天内）')).toBeVisible();
  await page.getByRole('button', { name: '补充到此任务' }).first().click();
  await page.getByTestId('camera').setInputFiles([await cameraJpeg(1200, 900, 110)]);
  await mshot(page, '14-duplicate-hint');
  await page.getByRole('button', { name: '保存问题' }).click();

  // Synced: an observation on the open task with the photo, and no new task for it.
  await expect
    .poll(
      async () =>
        (
          await sql<{ n: number }>(
            `SELECT count(*)::int AS n FROM task_events WHERE task_id = $1 AND action = 'observe'`,
            [open.id],
          )
        )[0].n,
      { timeout: 30_000 },
    )
    .toBe(1);
  const [event] = await sql<{ actor_id: string; attachment_ids: string[] }>(
    `SELECT actor_id, attachment_ids FROM task_events WHERE task_id = $1 AND action = 'observe'`,
    [open.id],
  );
  expect(event.attachment_ids).toHaveLength(1);
  const links = await sql<{ role: string }>(
    'SELECT role FROM task_attachments WHERE task_id = $1 AND attachment_id = $2',
    [open.id, event.attachment_ids[0]],
  );
  expect(links).toEqual([{ role: 'before' }]);
  // The photo carries what the phone declared: when and where it was taken.
  const [declared] = await sql<{ declared_captured_at: Date | null; declared_lat: number | null }>(
    'SELECT declared_captured_at, declared_lat FROM attachments WHERE id = $1',
    [event.attachment_ids[0]],
  );
  expect(declared.declared_captured_at).not.toBeNull();
  expect(Number(declared.declared_lat)).toBeCloseTo(HERE.latitude, 3);
  const made = await sql(
    `SELECT t.id FROM tasks t JOIN inspections i ON i.id = t.inspection_id
      WHERE $1 = ANY(i.lead_persons)`,
    [lead],
  );
  expect(made).toEqual([]);
});

test('复查 lists the tasks awaiting a check nearest first, and shows 照片存疑 on the unit’s photos', async ({
  page,
  env,
}) => {
  const far = await apiAs<{ id: string; number: string }>(env.users.inspector, 'POST', '/tasks', {
    categoryId: env.categoryId,
    siteId: env.siteA.id,
    description: '远处：待复查',
    lat: HERE.latitude + 0.02,
    lng: HERE.longitude + 0.02,
  });
  const near = await apiAs<{ id: string; number: string }>(env.users.inspector, 'POST', '/tasks', {
    categoryId: env.categoryId,
    siteId: env.siteA.id,
    description: '近处：待复查',
    lat: HERE.latitude + 0.0002,
    lng: HERE.longitude,
  });
  for (const t of [far, near]) {
    // The unit's after-photo: no EXIF and nothing declared, as a picture from a gallery.
    const fd = new FormData();
    const jpeg = await cameraJpeg(640, 480, 160);
    fd.append('file', new Blob([new Uint8Array(jpeg.buffer)], { type: 'image/jpeg' }), 'a.jpg');
    const login = await fetch(`${env.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: env.users.unitA, password: env.password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const up = await fetch(`${env.baseUrl}/api/v1/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
      body: fd,
    });
    const { id: photoId } = (await up.json()) as { id: string };
    const detail = await apiAs<{ version: number }>(env.users.unitA, 'GET', `/tasks/${t.id}`);
    await apiAs(env.users.unitA, 'POST', `/tasks/${t.id}/submissions`, {
      version: detail.version,
      description: '已整改',
      afterPhotoIds: [photoId],
    });
  }

  await phoneSignIn(page);
  await page.getByRole('tab', { name: '复查' }).click();
  const rows = page.getByTestId('check-row');
  await expect(rows.filter({ hasText: near.number })).toBeVisible();
  const order = await rows.allTextContents();
  const at = (n: string) => order.findIndex((t) => t.includes(n));
  expect(at(near.number)).toBeGreaterThanOrEqual(0);
  expect(at(near.number)).toBeLessThan(at(far.number));

  await rows.filter({ hasText: near.number }).click();
  await expect(page.getByTestId('evidence-flags')).toContainText('无拍摄信息');
  await mshot(page, '15-check-evidence');
  const [submission] = await sql<{ evidence_flags: { reason: string }[] }>(
    'SELECT evidence_flags FROM task_submissions WHERE task_id = $1',
    [near.id],
  );
  expect(submission.evidence_flags.map((f) => f.reason)).toEqual(['no_capture_data']);
});
