import { invalidField } from '../errors/domain-error.js';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

/** The `Idempotency-Key` header, if any, checked for shape. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw invalidField(
      'Idempotency-Key',
      'Idempotency-Key must be 8-100 of A-Z a-z 0-9 _ . : -',
      'idempotencyKey',
    );
  }
  return header;
}
