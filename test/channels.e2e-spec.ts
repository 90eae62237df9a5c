import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Clock } from '../src/common/clock.js';
import { ChannelJobs } from '../src/notifications/jobs/channel.jobs.js';
import { EscalationJobs } from '../src/notifications/jobs/escalation.jobs.js';
import { TaskEventJob } from '../src/notifications/jobs/task-event.job.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { eventually } from './support/processes.js';
import { drainQueues } from './support/queues.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * 企业微信/钉钉/SMS channels against local fake receivers that check what the real services
 * check: the robot key, 钉钉's timestamp and HMAC sign, 腾讯云's TC3-HMAC-SHA256 signature.
 */

interface Got {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  at: number;
}

/** A fake provider: `answer` decides the reply (or never replies: 'hang'). */
async function fake(
  answer: (g: Got) => { status: number; body: unknown } | 'hang',
): Promise<{ server: Server; base: string; got: Got[] }> {
  const got: Got[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const g: Got = {
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: JSON.parse(raw || '{}') as Record<string, unknown>,
        at: Date.now(),
      };
      (g as Got & { raw: string }).raw = raw;
      got.push(g);
      const a = answer(g);
      if (a === 'hang') return;
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { server, base: `http://127.0.0.1:${port}`, got };
}

const KEY_A = 'wecom-key-unit-a-0001';
const KEY_B = 'wecom-key-unit-b-0002';
const TOKEN_A = 'ding-token-unit-a-0003';
const SEC_A = 'SECunitAsigningsecret0004';
const SMS_ID = 'AKIDtestchannels';
const SMS_KEY = 'sms-secret-key-0005';
const LEADER = '13900000009';
const PHONE = '13800000001';
const failing = { broken: true };

/** What 钉钉 checks: the sign of timestamp + "\n" + secret with the secret. */
const dingSignOk = (q: URLSearchParams): boolean => {
  const ts = q.get('timestamp') ?? '';
  const expected = createHmac('sha256', SEC_A).update(`${ts}\n${SEC_A}`).digest('base64');
  // URLSearchParams has already decoded the urlencoded sign once.
  return q.get('sign') === expected;
};

/** What 腾讯云 checks: the TC3-HMAC-SHA256 Authorization, recomputed here independently. */
function tc3Ok(g: Got & { raw?: string }): boolean {
  const h = g.headers;
  const ts = Number(h['x-tc-timestamp']);
  const date = new Date(ts * 1000).toISOString().slice(0, 10);
  const hex = (s: string) => createHash('sha256').update(s).digest('hex');
  const canonical = `POST\n/\n\ncontent-type:${String(h['content-type'])}\nhost:${String(h.host)}\nx-tc-action:${String(h['x-tc-action']).toLowerCase()}\n\ncontent-type;host;x-tc-action\n${hex(g.raw ?? '')}`;
  const toSign = `TC3-HMAC-SHA256\n${ts}\n${date}/sms/tc3_request\n${hex(canonical)}`;
  let k = createHmac('sha256', `TC3${SMS_KEY}`).update(date).digest();
  k = createHmac('sha256', k).update('sms').digest();
  k = createHmac('sha256', k).update('tc3_request').digest();
  const sig = createHmac('sha256', k).update(toSign).digest('hex');
  return (
    h.authorization ===
    `TC3-HMAC-SHA256 Credential=${SMS_ID}/${date}/sms/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=${sig}`
  );
}

describe('reminders where people are: 企业微信, 钉钉, SMS', () => {
  let t: TestApp;
  let w: LoopWorld;
  let wecom: Awaited<ReturnType<typeof fake>>;
  let ding: Awaited<ReturnType<typeof fake>>;
  let sms: Awaited<ReturnType<typeof fake>>;
  const logged: string[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    wecom = await fake((g) =>
      g.query.get('key') === 'HANG'
        ? 'hang'
        : g.query.get('key') === 'FAIL500' && failing.broken
          ? { status: 500, body: {} }
          : { status: 200, body: { errcode: 0, errmsg: 'ok' } },
    );
    ding = await fake((g) => ({
      status: 200,
      body: dingSignOk(g.query)
        ? { errcode: 0, errmsg: 'ok' }
        : { errcode: 310000, errmsg: 'sign not match' },
    }));
    sms = await fake((g) => ({
      status: 200,
      body: tc3Ok(g)
        ? { Response: { SendStatusSet: [{ Code: 'Ok' }], RequestId: 'r1' } }
        : { Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad' } } },
    }));
    t = await createTestApp({
      OUTBOX_POLL_MS: '50',
      PUBLIC_BASE_URL: 'https://cc.example.gov.cn/',
      CHANNEL_WECOM_BASE_URL: wecom.base,
      CHANNEL_DINGTALK_BASE_URL: ding.base,
      SMS_TENCENT_ENDPOINT: sms.base,
      SMS_TENCENT_SECRET_ID: SMS_ID,
      SMS_TENCENT_SECRET_KEY: SMS_KEY,
      SMS_TENCENT_SDK_APP_ID: '1400000001',
      SMS_SIGN_NAME: '创城督导',
      SMS_TEMPLATE_ID: '100001',
      CHANNEL_TIMEOUT_MS: '3000',
      CHANNEL_MAX_ATTEMPTS: '2',
      CHANNEL_BACKOFF_MS: '200',
    });
    w = await buildLoopWorld(t);
    for (const level of ['log', 'warn', 'error', 'debug'] as const)
      jest.spyOn(Logger.prototype, level).mockImplementation((...a: unknown[]) => {
        logged.push(a.map(String).join(' '));
      });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
    for (const f of [wecom, ding, sms]) {
      f.server.closeAllConnections();
      f.server.close();
    }
  });

  const admin = () => as(t, w.admin.token);
  const texts = (g: Got[]) =>
    g.map((x) => ((x.body.text as { content?: string }) ?? {}).content ?? '');

  it('the office adds channels; secrets are write-only and shown masked', async () => {
    const add = async (unitId: string, body: object) => {
      const res = await admin().post(`/units/${unitId}/channels`, body);
      expect(res.status).toBe(201);
      return res.body as { id: string; token: string | null; hasSecret: boolean };
    };
    const a = await add(w.unitA.unitId, {
      kind: 'wecom',
      name: '东辛房整改群',
      token: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY_A}`,
      leaderPhones: [LEADER],
    });
    expect(a).toMatchObject({ token: '****0001', hasSecret: false });
    ids.wecomA = a.id;
    const d = await add(w.unitA.unitId, {
      kind: 'dingtalk',
      name: '东辛房钉钉群',
      token: TOKEN_A,
      secret: SEC_A,
      leaderPhones: [LEADER],
    });
    expect(d).toMatchObject({ token: '****0003', hasSecret: true });
    ids.dingA = d.id;
    ids.smsA = (
      await add(w.unitA.unitId, {
        kind: 'sms',
        name: '街道主任短信',
        phones: [PHONE],
        leaderPhones: [LEADER],
      })
    ).id;
    ids.wecomB = (await add(w.unitB.unitId, { kind: 'wecom', name: '城子群', token: KEY_B })).id;

    const list = await admin().get(`/units/${w.unitA.unitId}/channels`).expect(200);
    expect(list.body.items.map((c: { kind: string }) => c.kind)).toEqual([
      'wecom',
      'dingtalk',
      'sms',
    ]);
    const shown = JSON.stringify(list.body);
    for (const s of [KEY_A, TOKEN_A, SEC_A]) expect(shown).not.toContain(s);

    // Bad input names its field; a unit cannot see channels; another's record is 404.
    const bad = await admin().post(`/units/${w.unitA.unitId}/channels`, {
      kind: 'sms',
      name: '无号码',
      phones: ['12ab'],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('phones');
    const noKey = await admin().post(`/units/${w.unitA.unitId}/channels`, {
      kind: 'wecom',
      name: 'x',
    });
    expect(noKey.status).toBe(400);
    expect(JSON.stringify(noKey.body)).toContain('token');
    await as(t, w.unitA.token).get(`/units/${w.unitA.unitId}/channels`).expect(403);
    await admin().get('/channels/00000000-0000-4000-8000-000000000000/deliveries').expect(404);
    const [{ n }] = (await t.ds.query(`SELECT count(*)::int AS n FROM notification_channels`)) as {
      n: number;
    }[];
    expect(n).toBe(4);
  });

  it('测试发送 reaches the receiver and is kept in the log', async () => {
    const res = await admin().post(`/channels/${ids.dingA}/test`).expect(200);
    expect(res.body).toMatchObject({ sent: true, error: null });
    expect(texts(ding.got).at(-1)).toContain('东辛房钉钉群');
    const log = await admin().get(`/channels/${ids.dingA}/deliveries`).expect(200);
    expect(log.body.items[0]).toMatchObject({ event: 'test', status: 'sent', attempts: 1 });
  });

  let task: { id: string; number: string; version: number };

  it('a new assignment: one message to each channel of that unit, none to other units', async () => {
    const before = { wecom: wecom.got.length, ding: ding.got.length, sms: sms.got.length };
    const res = await admin().post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteA,
      description: '楼道堆放纸箱',
    });
    expect(res.status).toBe(201);
    task = { id: res.body.id, number: res.body.number, version: res.body.version };
    await drainQueues(t);

    const newWecom = wecom.got.slice(before.wecom);
    expect(newWecom.map((g) => [g.path, g.query.get('key')])).toEqual([
      ['/cgi-bin/webhook/send', KEY_A],
    ]);
    expect(newWecom[0].body).toEqual({
      msgtype: 'text',
      text: {
        content: expect.stringMatching(
          new RegExp(
            `^【创城督导】新任务 ${task.number} 楼道堆物.*请于.*前完成整改。查看：https://cc\\.example\\.gov\\.cn/tasks/${task.id}$`,
          ),
        ),
      },
    });
    const newDing = ding.got.slice(before.ding);
    expect(newDing).toHaveLength(1);
    expect(newDing[0].path).toBe('/robot/send');
    expect(newDing[0].query.get('access_token')).toBe(TOKEN_A);
    expect(dingSignOk(newDing[0].query)).toBe(true);
    expect(newDing[0].body).toMatchObject({
      msgtype: 'text',
      text: { content: expect.stringContaining(task.number) },
      at: { atMobiles: [] },
    });
    const newSms = sms.got.slice(before.sms);
    expect(newSms).toHaveLength(1);
    expect(tc3Ok(newSms[0])).toBe(true);
    expect(newSms[0].headers['x-tc-action']).toBe('SendSms');
    expect(newSms[0].body).toEqual({
      PhoneNumberSet: ['+86' + PHONE],
      SmsSdkAppId: '1400000001',
      SignName: '创城督导',
      TemplateId: '100001',
      TemplateParamSet: [expect.stringContaining(task.number)],
    });

    const rows = (await t.ds.query(
      `SELECT c.kind, d.status, d.attempts FROM channel_deliveries d JOIN notification_channels c ON c.id = d.channel_id
       WHERE d.event = 'assigned' ORDER BY c.kind`,
    )) as { kind: string; status: string; attempts: number }[];
    expect(rows).toEqual([
      { kind: 'dingtalk', status: 'sent', attempts: 1 },
      { kind: 'sms', status: 'sent', attempts: 1 },
      { kind: 'wecom', status: 'sent', attempts: 1 },
    ]);
  });

  it('relaying the same task event twice sends once', async () => {
    const [event] = (await t.ds.query(
      `SELECT id::text FROM task_events WHERE task_id = $1 AND action = 'create'`,
      [task.id],
    )) as { id: string }[];
    const before = wecom.got.length + ding.got.length + sms.got.length;
    const again = await t.app.get(TaskEventJob).handle({ eventId: event.id, taskId: task.id });
    expect(again.channelDeliveryIds).toEqual([]);
    await drainQueues(t);
    expect(wecom.got.length + ding.got.length + sms.got.length).toBe(before);
  });

  it('a dead channel does not delay another; it is dead-lettered, shown, and retried', async () => {
    const dead = await admin().post(`/units/${w.unitA.unitId}/channels`, {
      kind: 'wecom',
      name: '无响应的群',
      token: 'HANG',
    });
    const broken = await admin().post(`/units/${w.unitA.unitId}/channels`, {
      kind: 'wecom',
      name: '出错的群',
      token: 'FAIL500',
    });
    ids.hang = dead.body.id;
    ids.broken = broken.body.id;
    const started = Date.now();
    const before = ding.got.length;
    // 23:59 Shanghai, 30 days on.
    const d = new Date(Date.now() + 30 * 86_400_000 + 8 * 3_600_000);
    const deadline = new Date(
      Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 23, 59) - 8 * 3_600_000,
    );
    const res = await admin().post(`/tasks/${task.id}/deadline`, {
      version: task.version,
      deadline: deadline.toISOString(),
      reason: '调整',
    });
    expect([200, 201]).toContain(res.status);
    task.version = res.body.version;
    // The healthy channel's message arrives while the hanging one is still on its first try
    // (each try may take CHANNEL_TIMEOUT_MS = 3 s).
    await eventually(async () => ding.got.length > before, 2500, 'the 钉钉 message');
    expect(texts(ding.got.slice(before))[0]).toContain('时限调整');
    const [hang] = (await t.ds.query(
      `SELECT status, attempts FROM channel_deliveries WHERE channel_id = $1`,
      [ids.hang],
    )) as { status: string; attempts: number }[];
    expect(hang).toEqual({ status: 'pending', attempts: 0 });
    expect(ding.got[before].at - started).toBeLessThan(2500);

    // Two tries each, then dead; the office sees why.
    await eventually(
      async () => {
        const rows = (await t.ds.query(
          `SELECT status FROM channel_deliveries WHERE channel_id IN ($1, $2) AND status = 'dead'`,
          [ids.hang, ids.broken],
        )) as unknown[];
        return rows.length === 2;
      },
      20000,
      'both failing deliveries to be dead',
    );
    const hangLog = await admin().get(`/channels/${ids.hang}/deliveries`).expect(200);
    expect(hangLog.body.items[0]).toMatchObject({ status: 'dead', attempts: 2, lastError: '超时' });
    const brokenLog = await admin().get(`/channels/${ids.broken}/deliveries`).expect(200);
    expect(brokenLog.body.items[0]).toMatchObject({
      status: 'dead',
      attempts: 2,
      lastError: 'HTTP 500',
      event: 'deadline',
    });

    // The receiver is mended; 重试 sends it.
    failing.broken = false;
    const deliveryId = brokenLog.body.items[0].id as string;
    await admin().post(`/channels/${ids.broken}/deliveries/${deliveryId}/retry`).expect(202);
    await eventually(
      async () => {
        const [row] = (await t.ds.query(`SELECT status FROM channel_deliveries WHERE id = $1`, [
          deliveryId,
        ])) as { status: string }[];
        return row.status === 'sent';
      },
      10000,
      'the retried delivery to be sent',
    );
    // Only a dead one can be retried; another channel's delivery is not found there.
    await admin().post(`/channels/${ids.broken}/deliveries/${deliveryId}/retry`).expect(404);
    await admin().post(`/channels/${ids.wecomA}/deliveries/${deliveryId}/retry`).expect(404);

    // Out of the way of the next tests.
    for (const id of [ids.hang, ids.broken])
      expect((await admin().patch(`/channels/${id}`, { active: false })).body.active).toBe(false);
  });

  it('a 督办 mentions the unit\u2019s leader in every channel', async () => {
    const [{ last }] = (await t.ds.query('SELECT max(deadline) AS last FROM tasks')) as {
      last: Date;
    }[];
    const before = { wecom: wecom.got.length, ding: ding.got.length, sms: sms.got.length };
    const clock = t.app.get(Clock);
    const spy = jest.spyOn(clock, 'now').mockReturnValue(new Date(last.getTime() + 3_600_000));
    try {
      expect((await t.app.get(EscalationJobs).deadlineScan()).escalated).toBeGreaterThan(0);
      await drainQueues(t);
    } finally {
      spy.mockRestore();
    }
    const wecomSupervise = wecom.got
      .slice(before.wecom)
      .filter((g) => g.query.get('key') === KEY_A && texts([g])[0].includes('督办'));
    expect(wecomSupervise).toHaveLength(1);
    expect(wecomSupervise[0].body).toMatchObject({
      text: { content: expect.stringContaining(task.number), mentioned_mobile_list: [LEADER] },
    });
    const dingSupervise = ding.got.slice(before.ding).filter((g) => texts([g])[0].includes('督办'));
    expect(dingSupervise).toHaveLength(1);
    expect(dingSupervise[0].body).toMatchObject({
      at: { atMobiles: [LEADER] },
      text: { content: expect.stringContaining(`@${LEADER}`) },
    });
    const smsSupervise = sms.got
      .slice(before.sms)
      .filter((g) => String((g.body.TemplateParamSet as string[])[0]).includes('督办'));
    expect(smsSupervise).toHaveLength(1);
    expect(smsSupervise[0].body.PhoneNumberSet).toEqual(['+86' + PHONE, '+86' + LEADER]);
    // Unit B has no overdue task: nothing to its group.
    expect(wecom.got.slice(before.wecom).filter((g) => g.query.get('key') === KEY_B)).toEqual([]);
  });

  it('the daily summary: 明日到期 / 已超期 per unit, once per day', async () => {
    // Unit B gets a task due within days; unit A's is due in 30 days.
    const res = await admin().post('/tasks', {
      categoryId: w.categoryId,
      siteId: w.siteA,
      unitId: w.unitB.unitId,
      description: '占道经营',
    });
    expect(res.status).toBe(201);
    await drainQueues(t);
    const [{ deadline }] = (await t.ds.query('SELECT deadline FROM tasks WHERE id = $1', [
      task.id,
    ])) as { deadline: Date }[];
    // 08:00 Shanghai on the day before unit A's deadline: A's task is due tomorrow, B's overdue.
    const shanghai = new Date(deadline.getTime() + 8 * 3_600_000);
    const at = new Date(
      Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate() - 1, 0),
    );
    const before = wecom.got.length;
    const spy = jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(at);
    try {
      expect(await t.app.get(ChannelJobs).digest()).toEqual({ queued: 4 });
      expect(await t.app.get(ChannelJobs).digest()).toEqual({ queued: 0 });
      await drainQueues(t);
    } finally {
      spy.mockRestore();
    }
    const digest = wecom.got.slice(before).filter((g) => texts([g])[0].includes('每日提醒'));
    expect(digest).toHaveLength(2);
    const textOf = (key: string) => texts(digest.filter((g) => g.query.get('key') === key))[0];
    expect(textOf(KEY_B)).toMatch(
      new RegExp(
        `^【创城督导】城子街道每日提醒（\\d+月\\d+日）：明日到期0件，已超期1件：${res.body.number}。查看：https://cc\\.example\\.gov\\.cn/tasks$`,
      ),
    );
    expect(textOf(KEY_A)).toMatch(
      /^【创城督导】东辛房街道每日提醒（\d+月\d+日）：明日到期1件，已超期0件：/,
    );
    expect(textOf(KEY_A)).toContain(task.number);
  });

  it('no secret reached the logs', () => {
    const all = logged.join('\n');
    for (const s of [KEY_A, KEY_B, TOKEN_A, SEC_A, SMS_KEY]) expect(all).not.toContain(s);
  });
});
