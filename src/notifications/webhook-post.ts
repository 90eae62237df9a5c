import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ForbiddenTargetError, type WebhookTargetPolicy } from './webhook-target.js';

/**
 * POSTs a webhook body with node:http rather than fetch, because only node:http lets us hand in
 * the DNS lookup: the policy checks the exact address the socket connects to. Redirects are not
 * followed (a 3xx counts as a failure). Resolves with the status; rejects on a network failure.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  policy: WebhookTargetPolicy,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch (e) {
      return reject(e as Error);
    }
    // A literal address never goes through the lookup: check it here.
    if (!policy.hostAllowed(target.hostname))
      return reject(new ForbiddenTargetError(target.hostname));
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: policy.guardedLookup(),
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', reject);
    req.end(body);
  });
}

const CATEGORIES: [RegExp, string][] = [
  [/^EWEBHOOKFORBIDDEN$/, '目标地址不允许'],
  [/^ECONNREFUSED$/, '连接被拒绝'],
  [/^(ETIMEDOUT|ESOCKETTIMEDOUT|ABORT_ERR|UND_ERR_.*TIMEOUT)$/, '超时'],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME|EAI_NODATA)$/, '域名无法解析'],
  [/^(ECONNRESET|EPIPE|ECONNABORTED)$/, '连接被重置'],
  [/^(EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN)$/, '网络不可达'],
  [/CERT|^ERR_TLS|^ERR_SSL|SELF_SIGNED|UNABLE_TO_VERIFY/, '证书错误'],
];

/**
 * A short category of a failed delivery, for the office's list: never the raw error, which may
 * carry internal addresses and library detail (that goes to the logs).
 */
export function failureCategory(error: unknown): string {
  const e = error as { code?: unknown; name?: string };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return '超时';
  const code = typeof e?.code === 'string' ? e.code : '';
  return CATEGORIES.find(([pattern]) => pattern.test(code))?.[1] ?? '连接失败';
}
