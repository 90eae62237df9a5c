import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';

export enum IdempotencyErrorCode {
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
}

/**
 * JSON with every object's keys sorted, recursively: the same request in another key order (a
 * client library that builds objects differently on a retry) is the same request. Array order
 * is meaning (photos, requirements), so it stays.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

export const hashRequest = (body: unknown): string =>
  createHash('sha256').update(canonicalJson(body)).digest('hex');

/**
 * Runs a create once per (scope, key), inside the caller's transaction. The key row is inserted
 * first: a concurrent retry blocks on its unique index until the first commits, then finds the
 * stored response and returns it — so a phone retrying on a bad network never creates twice.
 * The same key with a different body is a 422.
 */
export async function onceForKey<T>(
  em: EntityManager,
  scope: string,
  key: string | undefined,
  requestHash: string,
  work: () => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  if (!key) return { result: await work(), replayed: false };
  const claimed = (await em.query(
    `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING key`,
    [scope, key, requestHash],
  )) as unknown[];
  if (claimed.length === 0) {
    const [stored] = (await em.query(
      `SELECT request_hash, response FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    )) as { request_hash: string; response: T | null }[];
    if (stored.request_hash !== requestHash || stored.response === null) {
      throw new DomainError(
        'unprocessable',
        IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED,
        'Idempotency-Key 已用于另一个请求',
      );
    }
    return { result: stored.response, replayed: true };
  }
  const result = await work();
  await em.query(
    `UPDATE idempotency_keys SET response = $3, status_code = 201 WHERE scope = $1 AND key = $2`,
    [scope, key, JSON.stringify(result)],
  );
  return { result, replayed: false };
}
