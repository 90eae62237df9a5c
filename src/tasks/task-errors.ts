import { DomainError } from '../common/errors/domain-error.js';

/** Error codes of the rectification loop. */
export enum TaskErrorCode {
  TASK_NOT_FOUND = 'TASK_NOT_FOUND',
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  TRANSITION_BLOCKED = 'TRANSITION_BLOCKED',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  VERSION_REQUIRED = 'VERSION_REQUIRED',
  AFTER_PHOTO_REQUIRED = 'AFTER_PHOTO_REQUIRED',
  REQUEST_NOT_FOUND = 'REQUEST_NOT_FOUND',
  INVALID_DEADLINE = 'INVALID_DEADLINE',
  OFFICE_ONLY_FIELD = 'OFFICE_ONLY_FIELD',
}

export const taskNotFound = (): DomainError =>
  new DomainError('not_found', TaskErrorCode.TASK_NOT_FOUND, '整改任务不存在');
