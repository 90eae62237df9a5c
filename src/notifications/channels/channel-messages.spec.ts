import {
  digestMessage,
  escalationMessage,
  officeEscalationMessage,
  shortDeadline,
  taskEventMessage,
  testMessage,
  type ChannelTask,
} from './channel-messages.js';
import { dingtalkSign, tc3Authorization } from './channel-signing.js';
import { e164 } from './channel-senders.js';
import { mask, tokenOf } from './channels.service.js';

const BASE = 'https://cc.example.gov.cn';
const task = (n: number, deadline: string | null = '2026-12-03T09:00:00Z'): ChannelTask => ({
  id: `id-${n}`,
  number: `ZG-2026-00012${n}`,
  categoryName: '楼道堆物',
  place: 'XX小区',
  deadline: deadline ? new Date(deadline) : null,
});

describe('short deadlines in Asia/Shanghai', () => {
  it.each([
    ['2026-12-03T09:00:00Z', '12月3日17:00'],
    ['2026-12-03T15:59:00Z', '12月3日'],
    ['2026-12-02T16:00:00Z', '12月3日'],
    ['2026-12-31T16:30:00Z', '1月1日00:30'],
  ])('%s → %s', (iso, text) => expect(shortDeadline(new Date(iso))).toBe(text));
});

describe('channel messages', () => {
  it.each([
    [
      'assigned',
      task(3),
      '【创城督导】新任务 ZG-2026-000123 楼道堆物（XX小区），请于12月3日17:00前完成整改。查看：https://cc.example.gov.cn/tasks/id-3',
    ],
    [
      'returned',
      task(3),
      '【创城督导】退回整改 ZG-2026-000123 楼道堆物（XX小区），复核未通过，请于12月3日17:00前重新整改。查看：https://cc.example.gov.cn/tasks/id-3',
    ],
    [
      'deadline',
      task(3, '2026-12-10T15:59:00Z'),
      '【创城督导】时限调整 ZG-2026-000123 楼道堆物（XX小区），整改时限改为12月10日。查看：https://cc.example.gov.cn/tasks/id-3',
    ],
    [
      'assigned',
      task(4, null),
      '【创城督导】新任务 ZG-2026-000124 楼道堆物（XX小区），请尽快完成整改。查看：https://cc.example.gov.cn/tasks/id-4',
    ],
  ] as const)('%s', (event, t, text) => {
    expect(taskEventMessage(event, t, BASE)).toEqual({ text, copyLeader: false });
  });

  it.each([
    [
      'one task at 提醒: named, the leader not copied',
      [{ task: task(3), level: 'reminder' as const }],
      '【创城督导】提醒 ZG-2026-000123 楼道堆物（XX小区）（时限12月3日17:00）即将到期，请抓紧整改。查看：https://cc.example.gov.cn/tasks/id-3',
      false,
    ],
    [
      'one task at 督办: the leader copied',
      [{ task: task(3), level: 'supervise' as const }],
      '【创城督导】督办 ZG-2026-000123 楼道堆物（XX小区）（时限12月3日17:00）已超期，请立即整改。查看：https://cc.example.gov.cn/tasks/id-3',
      true,
    ],
    [
      'seven tasks, the highest level 通报: five numbers and 等',
      [1, 2, 3, 4, 5, 6, 7].map((n) => ({
        task: task(n),
        level: n === 7 ? ('notify' as const) : ('supervise' as const),
      })),
      '【创城督导】通报 7件任务超期较久，将予通报，请立即整改：ZG-2026-000121、ZG-2026-000122、ZG-2026-000123、ZG-2026-000124、ZG-2026-000125等。查看：https://cc.example.gov.cn/tasks',
      true,
    ],
  ])('escalation: %s', (_, items, text, copyLeader) => {
    expect(escalationMessage(items, BASE)).toEqual({ text, copyLeader });
  });

  it('the office: a level with its counts by unit', () => {
    expect(
      officeEscalationMessage(
        'supervise',
        [
          { unitName: '新桥街道', n: 3 },
          { unitName: '城管局', n: 1 },
        ],
        BASE,
      ),
    ).toEqual({
      text: '【创城督导】督办 本次共4件：新桥街道3件、城管局1件。查看：https://cc.example.gov.cn/tasks',
      copyLeader: true,
    });
  });

  it.each([
    [
      '新桥街道',
      [{ number: 'A' }],
      [{ number: 'B' }, { number: 'C' }],
      '【创城督导】新桥街道每日提醒（12月2日）：明日到期1件，已超期2件：B、C、A。查看：https://cc.example.gov.cn/tasks',
    ],
    [
      null,
      [],
      [{ number: 'B' }],
      '【创城督导】每日提醒（12月2日）：明日到期0件，已超期1件：B。查看：https://cc.example.gov.cn/tasks',
    ],
  ])('the daily summary of %s', (unitName, dueTomorrow, overdue, text) => {
    expect(
      digestMessage(
        { day: new Date('2026-12-02T00:00:00Z'), unitName, dueTomorrow, overdue },
        BASE,
      ),
    ).toEqual({ text, copyLeader: false });
  });

  it('the test message names the channel', () => {
    expect(testMessage('整改群', BASE).text).toBe(
      '【创城督导】消息渠道测试：「整改群」已接通。控制台：https://cc.example.gov.cn',
    );
  });
});

describe('signatures', () => {
  it('钉钉 加签: urlEncode(base64(HmacSHA256(secret, timestamp + "\\n" + secret)))', () => {
    // Computed by hand with Python's hmac/base64/urllib.parse.quote_plus.
    expect(dingtalkSign('SEC0123456789abcdef', 1764576000000)).toBe(
      'lRMtZMTlfT9mOF7iYCyOtZz2Vk%2BPjl0aVvnX5oJ2xnk%3D',
    );
  });

  it('腾讯云 TC3-HMAC-SHA256 of a SendSms request', () => {
    // Computed by hand with an independent Python implementation of the documented steps.
    const payload =
      '{"PhoneNumberSet":["+8613800000001"],"SmsSdkAppId":"1400000001","SignName":"创城督导","TemplateId":"100001","TemplateParamSet":["测试"]}';
    expect(
      tc3Authorization({
        secretId: 'AKIDtest0000',
        secretKey: 'testSecretKey0000',
        service: 'sms',
        host: 'sms.tencentcloudapi.com',
        action: 'SendSms',
        timestamp: 1764576000,
        payload,
      }),
    ).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDtest0000/2025-12-01/sms/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=858b396b24d95ed2b7f7340db943754766d32d556198894ceb2c6a1729543281',
    );
  });
});

describe('channel settings', () => {
  it.each([
    ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123', 'abc-123'],
    ['dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=tok9', 'tok9'],
    ['wecom', '  bare-key ', 'bare-key'],
  ] as const)('%s token of %s', (kind, input, key) => expect(tokenOf(kind, input)).toBe(key));

  it('a URL without its key is refused, naming the field', () => {
    expect(() => tokenOf('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send')).toThrow(
      /token/,
    );
  });

  it.each([
    ['abcdef0123456789', '****6789'],
    ['short', '****'],
    [null, null],
  ])('mask(%s) = %s', (s, m) => expect(mask(s)).toBe(m));

  it.each([
    ['13800000001', '+8613800000001'],
    ['+85291234567', '+85291234567'],
  ])('e164(%s) = %s', (p, e) => expect(e164(p)).toBe(e));
});
