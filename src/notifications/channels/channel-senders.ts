import type { AppConfig } from '../../config/app-config.js';
import { failureCategory } from '../webhook-post.js';
import type { ChannelMessage } from './channel-messages.js';
import { dingtalkSign, TC3_CONTENT_TYPE, tc3Authorization } from './channel-signing.js';

export type ChannelKind = 'wecom' | 'dingtalk' | 'sms';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['wecom', 'dingtalk', 'sms'];

/** Where one message goes: the channel's settings, secrets included (never leaves the server). */
export interface ChannelTarget {
  kind: ChannelKind;
  /** 企业微信 robot key / 钉钉 access_token. */
  token: string | null;
  /** 钉钉 加签 secret (SEC…). */
  secret: string | null;
  phones: string[];
  leaderPhones: string[];
}

/**
 * A send that did not go through. `message` is what the office sees: a category or the
 * provider's own error code and text, never a URL (it carries the key) or a secret.
 */
export class ChannelSendError extends Error {}

/** One SMS gateway: sends one text to some phones, or throws ChannelSendError. */
export interface SmsGateway {
  send(phones: string[], text: string, signal: AbortSignal): Promise<void>;
}

type ChannelsConfig = AppConfig['channels'];

async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'error' });
  } catch (e) {
    throw new ChannelSendError(failureCategory((e as { cause?: unknown }).cause ?? e));
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new ChannelSendError(`HTTP ${res.status}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ChannelSendError('答复不是 JSON');
  }
}

/** 企业微信 and 钉钉 both answer `{ errcode: 0, errmsg: "ok" }`; anything else is a failure. */
function checkErrcode(answer: unknown): void {
  const a = answer as { errcode?: unknown; errmsg?: unknown };
  if (a?.errcode === 0) return;
  throw new ChannelSendError(
    `errcode ${String(a?.errcode ?? '?')}: ${String(a?.errmsg ?? '').slice(0, 120)}`,
  );
}

/** Phones as 腾讯云 wants them: E.164, a mainland mobile number gets +86. */
export const e164 = (phone: string): string =>
  phone.startsWith('+') ? phone : /^1\d{10}$/.test(phone) ? `+86${phone}` : `+${phone}`;

/**
 * 腾讯云短信 SendSms (API version 2021-01-11), signed with TC3-HMAC-SHA256. The template carries
 * the whole text as its one parameter `{1}`. An answer with `Response.Error`, or a number whose
 * SendStatus code is not `Ok`, is a failure.
 */
export class TencentSms implements SmsGateway {
  constructor(
    private readonly c: ChannelsConfig['sms'],
    private readonly now: () => Date,
  ) {}

  async send(phones: string[], text: string, signal: AbortSignal): Promise<void> {
    const { secretId, secretKey, sdkAppId, signName, templateId } = this.c;
    if (!secretId || !secretKey || !sdkAppId || !signName || !templateId)
      throw new ChannelSendError('短信服务未配置');
    const payload = JSON.stringify({
      PhoneNumberSet: phones.map(e164),
      SmsSdkAppId: sdkAppId,
      SignName: signName,
      TemplateId: templateId,
      TemplateParamSet: [text],
    });
    const url = new URL(this.c.endpoint);
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const answer = (await post(
      url.href,
      {
        authorization: tc3Authorization({
          secretId,
          secretKey,
          service: 'sms',
          host: url.host,
          action: 'SendSms',
          timestamp,
          payload,
        }),
        'content-type': TC3_CONTENT_TYPE,
        host: url.host,
        'x-tc-action': 'SendSms',
        'x-tc-timestamp': String(timestamp),
        'x-tc-version': '2021-01-11',
        'x-tc-region': this.c.region,
      },
      payload,
      signal,
    )) as {
      Response?: {
        Error?: { Code?: string; Message?: string };
        SendStatusSet?: { Code?: string; PhoneNumber?: string }[];
      };
    };
    const r = answer?.Response;
    if (!r) throw new ChannelSendError('答复缺少 Response');
    if (r.Error)
      throw new ChannelSendError(`${r.Error.Code}: ${String(r.Error.Message).slice(0, 120)}`);
    const bad = (r.SendStatusSet ?? []).filter((s) => s.Code !== 'Ok');
    if (bad.length) throw new ChannelSendError(`${bad.length}个号码发送失败：${bad[0].Code}`);
  }
}

/** Sends one message to one channel, within `timeoutMs`; throws ChannelSendError. */
export async function sendToChannel(
  target: ChannelTarget,
  message: ChannelMessage,
  c: ChannelsConfig,
  sms: SmsGateway,
  now: Date,
  timeoutMs: number,
): Promise<void> {
  const signal = AbortSignal.timeout(timeoutMs);
  const leaders = message.copyLeader ? target.leaderPhones : [];
  const json = { 'content-type': 'application/json' };
  if (target.kind === 'wecom') {
    if (!target.token) throw new ChannelSendError('未设置机器人 key');
    const body = JSON.stringify({
      msgtype: 'text',
      text: {
        content: message.text,
        ...(leaders.length && { mentioned_mobile_list: leaders }),
      },
    });
    const url = `${c.wecomBaseUrl}/cgi-bin/webhook/send?key=${encodeURIComponent(target.token)}`;
    checkErrcode(await post(url, json, body, signal));
    return;
  }
  if (target.kind === 'dingtalk') {
    if (!target.token) throw new ChannelSendError('未设置 access_token');
    // 钉钉 shows an @ only when the number also appears in the text.
    const content = leaders.length
      ? `${message.text} ${leaders.map((p) => `@${p}`).join(' ')}`
      : message.text;
    const body = JSON.stringify({
      msgtype: 'text',
      text: { content },
      at: { atMobiles: leaders, isAtAll: false },
    });
    let url = `${c.dingtalkBaseUrl}/robot/send?access_token=${encodeURIComponent(target.token)}`;
    if (target.secret) {
      const ts = now.getTime();
      url += `&timestamp=${ts}&sign=${dingtalkSign(target.secret, ts)}`;
    }
    checkErrcode(await post(url, json, body, signal));
    return;
  }
  const phones = [...new Set([...target.phones, ...leaders])];
  if (!phones.length) throw new ChannelSendError('未设置接收号码');
  await sms.send(phones, message.text, signal);
}
