import { createHash, createHmac } from 'node:crypto';

/**
 * 钉钉 自定义机器人 加签: `sign = urlEncode(base64(HmacSHA256(key = secret, timestamp + "\n" +
 * secret)))`, the timestamp in milliseconds, both sent as query parameters next to the
 * access_token (open.dingtalk.com, "自定义机器人安全设置 · 加签").
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest();
  return encodeURIComponent(mac.toString('base64'));
}

const sha256hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string): Buffer =>
  createHmac('sha256', key).update(s, 'utf8').digest();

export interface Tc3Request {
  secretId: string;
  secretKey: string;
  /** The service's short name, `sms`. */
  service: string;
  /** The Host header as sent (with the port when it is not the default). */
  host: string;
  /** `SendSms` */
  action: string;
  /** Unix seconds; the credential's date is its UTC day. */
  timestamp: number;
  payload: string;
}

export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * 腾讯云 API 签名方法 v3 (TC3-HMAC-SHA256) of a JSON POST to `/`: the canonical request
 * (method, URI, empty query, the signed headers content-type, host and x-tc-action, and the
 * payload's SHA-256), the string to sign (algorithm, timestamp, credential scope
 * `<date>/<service>/tc3_request`, the canonical request's SHA-256), and the key derived as
 * HMAC("TC3" + SecretKey, date) → service → "tc3_request". Returns the Authorization header.
 */
export function tc3Authorization(r: Tc3Request): string {
  const date = new Date(r.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host;x-tc-action';
  const canonicalHeaders =
    `content-type:${TC3_CONTENT_TYPE}\n` +
    `host:${r.host}\n` +
    `x-tc-action:${r.action.toLowerCase()}\n`;
  const canonicalRequest = [
    'POST',
    '/',
    '',
    canonicalHeaders,
    signedHeaders,
    sha256hex(r.payload),
  ].join('\n');
  const scope = `${date}/${r.service}/tc3_request`;
  const stringToSign = [
    'TC3-HMAC-SHA256',
    String(r.timestamp),
    scope,
    sha256hex(canonicalRequest),
  ].join('\n');
  const kDate = hmac(`TC3${r.secretKey}`, date);
  const kService = hmac(kDate, r.service);
  const kSigning = hmac(kService, 'tc3_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${r.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}
