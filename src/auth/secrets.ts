import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex: enough for high-entropy random secrets (API keys, refresh tokens), unlike passwords. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** API keys look like `cck_<prefix>_<secret>`; the prefix finds the row, the whole key is hashed. */
export const API_KEY_PATTERN = /^cck_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function newApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12);
  return { key: `cck_${prefix}_${randomToken(32)}`, prefix };
}
