import { DomainError } from '../../common/errors/domain-error.js';

/** Error codes of shaping, withdrawing and numbering an issue (issue 14), beside ReportErrorCode. */
export enum BulletinErrorCode {
  SECTION_NOT_FOUND = 'SECTION_NOT_FOUND',
  /** The order sent is not a rearrangement of the issue's sections and paragraphs as they are. */
  LAYOUT_MISMATCH = 'LAYOUT_MISMATCH',
  /** A withdrawn issue stays as it was withdrawn. */
  BULLETIN_WITHDRAWN = 'BULLETIN_WITHDRAWN',
  /** The next number must come after every published issue. */
  ISSUE_NUMBER_NOT_AFTER_PUBLISHED = 'ISSUE_NUMBER_NOT_AFTER_PUBLISHED',
  /** The next number is held by a stored draft or a withdrawn issue. */
  ISSUE_NUMBER_IN_USE = 'ISSUE_NUMBER_IN_USE',
}

const field = (name: string, code: string, message: string) => ({
  errors: [{ field: name, code, message }],
});

export const sectionNotFound = (key: string, fieldName = 'sectionKey'): DomainError =>
  new DomainError('not_found', BulletinErrorCode.SECTION_NOT_FOUND, `快报中没有栏目 ${key}`, {
    key,
    ...field(fieldName, 'exists', `没有栏目 ${key}`),
  });

export const layoutMismatch = (fieldName: string, message: string): DomainError =>
  new DomainError(
    'unprocessable',
    BulletinErrorCode.LAYOUT_MISMATCH,
    `${fieldName}: ${message}（请重新加载后再调整顺序）`,
    field(fieldName, 'layout', message),
  );

export const bulletinWithdrawn = (issueNumber: number): DomainError =>
  new DomainError(
    'conflict',
    BulletinErrorCode.BULLETIN_WITHDRAWN,
    `第${issueNumber}期快报已撤回，不能再修改`,
    { issueNumber },
  );

export const numberNotAfterPublished = (published: number): DomainError =>
  new DomainError(
    'conflict',
    BulletinErrorCode.ISSUE_NUMBER_NOT_AFTER_PUBLISHED,
    `issueNumber: 第${published}期已发布，下一期期号须大于 ${published}`,
    { published, ...field('issueNumber', 'afterPublished', `须大于已发布的第${published}期`) },
  );

export const numberInUse = (held: number): DomainError =>
  new DomainError(
    'conflict',
    BulletinErrorCode.ISSUE_NUMBER_IN_USE,
    `issueNumber: 期号 ${held} 及以下已有草稿或撤回记录，下一期期号须大于 ${held}`,
    { held, ...field('issueNumber', 'afterStored', `须大于 ${held}（已有草稿或撤回记录）`) },
  );
