import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { dbOf } from './kysely.js';

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
  const db = dbOf(em);
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ scope, key, request_hash: requestHash })
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .execute();
  if (claimed.length === 0) {
    const stored = await db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'response'])
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (stored.request_hash !== requestHash || stored.response === null) {
      throw new DomainError(
        'unprocessable',
        IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED,
        'Idempotency-Key 已用于另一个请求',
      );
    }
    // Written below from a T, by the same scope's work.
    return { result: stored.response as T, replayed: true };
  }
  const result = await work();
  await db
    .updateTable('idempotency_keys')
    .set({ response: JSON.stringify(result), status_code: 201 })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute();
  return { result, replayed: false };
}
