import { CommonErrorCode, DomainError, invalidField } from '../errors/domain-error.js';

/**
 * Optimistic versioning, one convention for every versioned resource (tasks, 快报): the client
 * sends the `version` it last saw, in the body or as `If-Match: "3"` (the body wins when both
 * are sent). A stale version is 409 VERSION_CONFLICT with the current version and nothing
 * written; none at all is 400 VERSION_REQUIRED naming the field.
 */
export function versionOf(
  bodyVersion: number | undefined,
  ifMatch: string | undefined,
): number | undefined {
  if (bodyVersion !== undefined) return bodyVersion;
  if (ifMatch === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
  if (!m) throw invalidField('If-Match', 'If-Match 须为版本号，如 "3"', 'ifMatch');
  return Number(m[1]);
}

/** `versionOf`, required: 400 VERSION_REQUIRED when neither the body nor If-Match carries one. */
export function requiredVersion(
  bodyVersion: number | undefined,
  ifMatch: string | undefined,
  what: string,
): number {
  const v = versionOf(bodyVersion, ifMatch);
  if (v === undefined) throw versionRequired(what);
  return v;
}

/** 400: no version sent. `what` names the resource as the office does (任务, 快报). */
export const versionRequired = (what: string): DomainError =>
  new DomainError(
    'invalid',
    CommonErrorCode.VERSION_REQUIRED,
    `version: 请提供${what}的 version（或 If-Match 头）`,
    { errors: [{ field: 'version', code: 'isNotEmpty', message: `请提供${what}的 version` }] },
  );

/** 409: someone changed the resource since the client read it. */
export const versionConflict = (what: string, currentVersion: number): DomainError =>
  new DomainError(
    'conflict',
    CommonErrorCode.VERSION_CONFLICT,
    `${what}已被他人更新，请刷新后重试`,
    { currentVersion },
  );
