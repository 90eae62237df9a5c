import { QueryFailedError } from 'typeorm';
import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';

interface PgError {
  code?: string;
  constraint?: string;
}

const pgErrorOf = (e: unknown): PgError | undefined =>
  e instanceof QueryFailedError ? (e.driverError as PgError) : undefined;

export const isUniqueViolation = (e: unknown, constraint?: string): boolean => {
  const pg = pgErrorOf(e);
  return pg?.code === '23505' && (!constraint || pg.constraint === constraint);
};

/**
 * Turns a unique-constraint violation into a 409 naming the field, so that a duplicate code or
 * name answers the caller instead of a 500. Other errors pass through unchanged.
 */
export function rethrowUnique(
  e: unknown,
  fields: Record<string, { field: string; message: string }>,
): never {
  const pg = pgErrorOf(e);
  const hit = pg?.code === '23505' && pg.constraint ? fields[pg.constraint] : undefined;
  if (hit) {
    throw new DomainError('conflict', CommonErrorCode.CONFLICT, `${hit.field}: ${hit.message}`, {
      errors: [{ field: hit.field, code: 'unique', message: hit.message }],
    });
  }
  throw e;
}

/**
 * The database connection was lost or could not be had (server restart, killed backend, network,
 * pool exhausted): SQLSTATE classes 08 (connection exception) and 57P (operator intervention),
 * and node-postgres's own connection errors. Retrying later can succeed: a 503, not a 500.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown; driverError?: { code?: unknown } };
  const code = typeof err?.driverError?.code === 'string' ? err.driverError.code : err?.code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || code.startsWith('57P')) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  }
  // TypeORM releases a transaction's query runner when its connection dies; the transaction's
  // next statement then fails with one of these instead of the connection error.
  const name = (e as { name?: unknown })?.name;
  if (
    name === 'QueryRunnerAlreadyReleasedError' ||
    name === 'QueryRunnerProviderAlreadyReleasedError'
  )
    return true;
  const message = typeof err?.message === 'string' ? err.message : '';
  return /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed/i.test(
    message,
  );
}
