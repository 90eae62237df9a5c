import type { LookupAddress } from 'node:dns';
import { failureCategory } from './webhook-post.js';
import { allowListProblems, WebhookTargetPolicy } from './webhook-target.js';

describe('WebhookTargetPolicy', () => {
  const none = new WebhookTargetPolicy([]);

  it.each([
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['169.254.169.254', false],
    ['10.0.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['::', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['fe80::1', false],
    ['fd12:3456::1', false],
    ['8.8.8.8', true],
    ['114.114.114.114', true],
    ['2400:3200::1', true],
    ['not-an-address', false],
  ])('address %s allowed: %s', (address, allowed) => {
    expect(none.addressAllowed(address)).toBe(allowed);
  });

  it('judges URL hosts without DNS: literal addresses and localhost names', () => {
    expect(none.hostAllowed('[::1]')).toBe(false);
    expect(none.hostAllowed('LOCALHOST')).toBe(false);
    expect(none.hostAllowed('app.localhost')).toBe(false);
    expect(none.hostAllowed('grid.example.gov.cn')).toBe(true);
  });

  it('lets listed names, addresses and networks through, nothing else', () => {
    const p = new WebhookTargetPolicy(['grid.intranet', '10.8.0.0/16', '127.0.0.1', 'fd00::/8']);
    expect(p.hostAllowed('grid.intranet')).toBe(true);
    expect(p.hostAllowed('GRID.INTRANET.')).toBe(true);
    expect(p.addressAllowed('10.8.200.1')).toBe(true);
    expect(p.addressAllowed('10.9.0.1')).toBe(false);
    expect(p.addressAllowed('127.0.0.1')).toBe(true);
    expect(p.addressAllowed('127.0.0.2')).toBe(false);
    expect(p.addressAllowed('fd00::5')).toBe(true);
    expect(p.addressAllowed('169.254.169.254')).toBe(false);
  });

  it('refuses, in the lookup the connection uses, a name resolving to a forbidden address', async () => {
    const lookup = none.guardedLookup();
    const outcome = await new Promise<{ err: NodeJS.ErrnoException | null }>((resolve) =>
      lookup('localhost', { all: true }, (err) => resolve({ err })),
    );
    expect(outcome.err).toMatchObject({ code: 'EWEBHOOKFORBIDDEN' });
    const allowed = new WebhookTargetPolicy(['localhost']).guardedLookup();
    const ok = await new Promise<{ err: unknown; addresses: LookupAddress[] }>((resolve) =>
      allowed('localhost', { all: true }, (err, addresses) =>
        resolve({ err, addresses: addresses as unknown as LookupAddress[] }),
      ),
    );
    expect(ok.err).toBeNull();
    expect(ok.addresses.length).toBeGreaterThan(0);
  });

  it('validates WEBHOOK_ALLOWED_HOSTS', () => {
    expect(allowListProblems('')).toEqual([]);
    expect(allowListProblems(' grid.intranet , 10.8.0.0/16, 127.0.0.1, ::1, fd00::/8 ')).toEqual(
      [],
    );
    expect(allowListProblems('10.0.0.0/33')).toHaveLength(1);
    expect(allowListProblems('http://x.cn/')).toHaveLength(1);
    expect(allowListProblems('a b')).toHaveLength(1);
    expect(allowListProblems('10.0.0.0/8/1')).toHaveLength(1);
  });
});

describe('failureCategory', () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.1:80' }, '连接被拒绝'],
    [{ code: 'ETIMEDOUT' }, '超时'],
    [{ name: 'AbortError' }, '超时'],
    [{ name: 'TimeoutError' }, '超时'],
    [{ code: 'ENOTFOUND' }, '域名无法解析'],
    [{ code: 'ECONNRESET' }, '连接被重置'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, '证书错误'],
    [{ code: 'EWEBHOOKFORBIDDEN' }, '目标地址不允许'],
    [new Error('something odd at 10.0.0.1'), '连接失败'],
  ])('%j → %s', (error, category) => {
    expect(failureCategory(error)).toBe(category);
  });
});
