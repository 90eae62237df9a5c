import { createServer, type Server } from 'node:http';
import { WECOM_FAKE_PORT } from './support/global-setup';
import { expect, shot, signIn, sql, test } from './support/fixtures';

/** A fake 企业微信 robot endpoint: keeps what it got, answers `errcode 0`. */
const got: { key: string | null; body: { text?: { content?: string } } }[] = [];
let server: Server;
test.beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      got.push({ key: url.searchParams.get('key'), body: JSON.parse(raw || '{}') });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((r) => server.listen(WECOM_FAKE_PORT, '127.0.0.1', r));
});
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('消息渠道: the office adds a unit’s 企业微信 group, sends a test and sees it in the log', async ({
  page,
  env,
}) => {
  const [{ code }] = await sql<{ code: string }>('SELECT code FROM units WHERE id = $1', [
    env.unitA.id,
  ]);
  await signIn(page, env.users.admin);
  await page.goto('/settings?tab=units');
  await page.getByTestId(`channels-${code}`).click();
  const drawer = page.getByRole('dialog', { name: `${env.unitA.name} · 消息渠道` });
  await expect(drawer.getByText('还没有消息渠道')).toBeVisible();

  await drawer.getByTestId('channel-add').click();
  const form = page.getByRole('dialog', { name: '添加消息渠道' });
  await form.getByLabel('名称').fill('东辛房整改群');
  // No key: the server's message shows at the field.
  await form.getByTestId('channel-save').click();
  await expect(form.getByText('不能为空')).toBeVisible();
  await form
    .getByLabel('机器人 key')
    .fill('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=pw-key-0000abcd');
  await form.getByLabel('领导号码').fill('13900000009');
  await shot(page, 'channels-form-1366');
  await form.getByTestId('channel-save').click();
  await expect(form).toBeHidden();

  const rows = drawer.getByTestId('channels').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('****abcd');
  await expect(rows.first()).not.toContainText('pw-key-0000abcd');
  const [stored] = await sql<{ token: string }>(
    'SELECT token FROM notification_channels WHERE unit_id = $1',
    [env.unitA.id],
  );
  expect(stored.token).toBe('pw-key-0000abcd');

  await rows.first().getByRole('button', { name: '测试发送' }).click();
  await expect(page.getByText('测试消息已发送到「东辛房整改群」')).toBeVisible();
  expect(got.at(-1)).toEqual({
    key: 'pw-key-0000abcd',
    body: { msgtype: 'text', text: { content: expect.stringContaining('东辛房整改群') } },
  });
  const log = drawer.getByTestId('channel-log');
  await expect(log.locator('li')).toHaveCount(1);
  await expect(log).toContainText('测试发送');
  await expect(log).toContainText('已发送');

  // A dead message shows its error and is sent again with 重试.
  const [channel] = await sql<{ id: string }>(
    'SELECT id FROM notification_channels WHERE unit_id = $1',
    [env.unitA.id],
  );
  await sql(
    `INSERT INTO channel_deliveries (channel_id, dedupe_key, event, message, status, attempts, last_error)
     VALUES ($1, 'pw-dead', 'assigned', $2, 'dead', 5, '超时')`,
    [
      channel.id,
      JSON.stringify({
        text: '【创城督导】新任务 ZG-2026-000123 楼道堆物（XX小区），请于12月3日17:00前完成整改。',
        copyLeader: false,
      }),
    ],
  );
  await log.getByRole('button', { name: '刷新' }).click();
  await expect(log.locator('li')).toHaveCount(2);
  await expect(log.locator('li').first()).toContainText('超时');
  await shot(page, 'channels-drawer-1366');
  await log.getByRole('button', { name: '重试' }).click();
  await expect(page.getByText('已重新发送')).toBeVisible();
  await expect
    .poll(async () => got.filter((g) => g.body.text?.content?.includes('ZG-2026-000123')).length)
    .toBe(1);

  await page.setViewportSize({ width: 375, height: 812 });
  await log.getByRole('button', { name: '刷新' }).click();
  await expect(drawer.getByTestId('channels').locator('li')).toHaveCount(1);
  await shot(page, 'channels-drawer-375');
});
