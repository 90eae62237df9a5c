import { DomainError } from '../common/errors/domain-error.js';

/** Error codes of the 快报 and the digest. */
export enum ReportErrorCode {
  BULLETIN_NOT_FOUND = 'BULLETIN_NOT_FOUND',
  /** A published issue is frozen: no edit, regeneration or second publication. */
  BULLETIN_PUBLISHED = 'BULLETIN_PUBLISHED',
  PARAGRAPH_NOT_FOUND = 'PARAGRAPH_NOT_FOUND',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  /** The period cannot be used (empty after the last issue, too long …). */
  INVALID_PERIOD = 'INVALID_PERIOD',
  /** Backstop of the unique issue number; the numbering lock normally prevents it. */
  ISSUE_NUMBER_TAKEN = 'ISSUE_NUMBER_TAKEN',
  DIGEST_NOT_FOUND = 'DIGEST_NOT_FOUND',
  /** A week is stored only once it is over. */
  WEEK_NOT_OVER = 'WEEK_NOT_OVER',
}

export const bulletinNotFound = (): DomainError =>
  new DomainError('not_found', ReportErrorCode.BULLETIN_NOT_FOUND, '快报不存在');

export const bulletinPublished = (issueNumber: number): DomainError =>
  new DomainError(
    'conflict',
    ReportErrorCode.BULLETIN_PUBLISHED,
    `第${issueNumber}期快报已发布，不能再修改`,
    { issueNumber },
  );

export const versionConflict = (currentVersion: number): DomainError =>
  new DomainError('conflict', ReportErrorCode.VERSION_CONFLICT, '快报已被他人更新，请刷新后重试', {
    currentVersion,
  });

export const paragraphNotFound = (key: string): DomainError =>
  new DomainError('not_found', ReportErrorCode.PARAGRAPH_NOT_FOUND, `快报中没有段落 ${key}`, {
    key,
  });

export const invalidPeriod = (message: string): DomainError =>
  new DomainError('unprocessable', ReportErrorCode.INVALID_PERIOD, message);

export const digestNotFound = (weekStart: string): DomainError =>
  new DomainError(
    'not_found',
    ReportErrorCode.DIGEST_NOT_FOUND,
    `${weekStart} 这一周的周报尚未生成`,
    {
      weekStart,
    },
  );
