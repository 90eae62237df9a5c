/**
 * The kinds of failure a service may report. The exception filter maps each kind to one HTTP
 * status; services never know about HTTP.
 */
export type ErrorKind =
  | 'invalid' // 400/422: the request cannot be accepted as sent
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409: state or version does not allow it
  | 'gone' // 410
  | 'too_large' // 413
  | 'unsupported_media' // 415
  | 'unprocessable' // 422: well-formed but breaks a rule
  | 'rate_limited' // 429
  | 'unavailable'; // 503

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `requirements.0.heading`. */
  field: string;
  /** Machine-readable rule that failed, e.g. `isNotEmpty`. */
  code: string;
  message: string;
}

/**
 * Thrown by services for every expected failure. `code` is a stable machine-readable string from
 * the feature's own code enum (TASK_NOT_FOUND, ILLEGAL_TRANSITION …); clients switch on it.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: { errors?: FieldProblem[]; [key: string]: unknown },
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Codes shared by every feature (request shape, auth, generic lookups). */
export enum CommonErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_JSON = 'MALFORMED_JSON',
  INVALID_VALUE = 'INVALID_VALUE',
  BAD_REQUEST = 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** Too many keys in total or too deeply nested (see common/http/body-shape.ts). */
  BODY_TOO_COMPLEX = 'BODY_TOO_COMPLEX',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  ROUTE_NOT_FOUND = 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  VERSION_REQUIRED = 'VERSION_REQUIRED',
  RATE_LIMITED = 'RATE_LIMITED',
  TOO_MANY_CONCURRENT = 'TOO_MANY_CONCURRENT',
  NOT_READY = 'NOT_READY',
  SHUTTING_DOWN = 'SHUTTING_DOWN',
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  COMMITTED_READ_FAILED = 'COMMITTED_READ_FAILED',
  INTERNAL = 'INTERNAL',
}

export const invalidField = (field: string, message: string, code = 'invalid'): DomainError =>
  new DomainError('invalid', CommonErrorCode.VALIDATION_FAILED, `${field}: ${message}`, {
    errors: [{ field, code, message }],
  });
