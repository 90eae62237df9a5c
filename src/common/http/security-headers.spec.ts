import { helmetHeaders } from './security-headers.js';

describe('helmetHeaders', () => {
  it("reads helmet's headers for the options once, CSP left out as the API has it", () => {
    expect(helmetHeaders({ contentSecurityPolicy: false })).toEqual({
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'SAMEORIGIN',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    });
  });

  it('follows the options it is given', () => {
    const headers = helmetHeaders({ contentSecurityPolicy: false, frameguard: { action: 'deny' } });
    expect(headers['x-frame-options']).toBe('DENY');
    expect(helmetHeaders({})['content-security-policy']).toContain("default-src 'self'");
  });

  it('refuses options helmet refuses, at start-up', () => {
    expect(() => helmetHeaders({ referrerPolicy: { policy: 'nonsense' as never } })).toThrow();
  });
});
