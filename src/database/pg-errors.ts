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
