import { CommonErrorCode, DomainError, invalidField } from '../common/errors/domain-error.js';
import { versionConflict, versionRequired } from '../common/http/versioning.js';
import type { TaskStatus } from './task-lifecycle.js';

/** Error codes of the rectification loop (the version codes are the common ones). */
export enum TaskErrorCode {
  TASK_NOT_FOUND = 'TASK_NOT_FOUND',
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  TRANSITION_BLOCKED = 'TRANSITION_BLOCKED',
  AFTER_PHOTO_REQUIRED = 'AFTER_PHOTO_REQUIRED',
  REQUEST_NOT_FOUND = 'REQUEST_NOT_FOUND',
  INVALID_DEADLINE = 'INVALID_DEADLINE',
  OFFICE_ONLY_FIELD = 'OFFICE_ONLY_FIELD',
}

/**
 * The catalogue: every failure the loop reports, made in one place, so a throw names what went
 * wrong and the factory decides the kind (hence the status), the code and the words.
 */
export const taskNotFound = (): DomainError =>
  new DomainError('not_found', TaskErrorCode.TASK_NOT_FOUND, '整改任务不存在');

/** 400: no version in the body nor If-Match. */
export const taskVersionRequired = (): DomainError => versionRequired('任务');

/** 409: someone changed the task since the client read it; nothing was written. */
export const taskVersionConflict = (currentVersion: number): DomainError =>
  versionConflict('任务', currentVersion);

/** 403: the lifecycle table does not let this role do it. */
export const actionForbidden = (message = '无权执行此操作'): DomainError =>
  new DomainError('forbidden', CommonErrorCode.FORBIDDEN, message);

/** 409: the task's state does not allow the action. */
export const illegalTransition = (
  message: string,
  status: TaskStatus,
  action: string,
): DomainError =>
  new DomainError('conflict', TaskErrorCode.ILLEGAL_TRANSITION, message, {
    currentStatus: status,
    action,
  });

/** 409: the state allows it, a guard does not (a request is pending, or none is). */
export const transitionBlocked = (
  message: string,
  status: TaskStatus,
  action: string,
): DomainError =>
  new DomainError('conflict', TaskErrorCode.TRANSITION_BLOCKED, message, {
    currentStatus: status,
    action,
  });

export const afterPhotoRequired = (): DomainError =>
  fieldError(
    'unprocessable',
    TaskErrorCode.AFTER_PHOTO_REQUIRED,
    'afterPhotoIds',
    'arrayMinSize',
    '请上传至少一张整改后照片',
  );

/** 400: an explicit deadline that is not a future instant. */
export const deadlineNotInFuture = (field: string): DomainError =>
  fieldError(
    'invalid',
    TaskErrorCode.INVALID_DEADLINE,
    field,
    'futureDate',
    '整改时限必须晚于当前时间',
  );

/** 400: an extension asked for no more time than the task has. */
export const extensionNotLater = (): DomainError =>
  fieldError(
    'invalid',
    TaskErrorCode.INVALID_DEADLINE,
    'requestedDeadline',
    'afterCurrentDeadline',
    '申请的时限必须晚于当前时限',
  );

export const extensionRequestNotFound = (): DomainError =>
  new DomainError('not_found', TaskErrorCode.REQUEST_NOT_FOUND, '延期申请不存在或已处理');

export const disputeNotFound = (): DomainError =>
  new DomainError('not_found', TaskErrorCode.REQUEST_NOT_FOUND, '申诉不存在或已处理');

/** 403: only the office picks a task's unit or deadline. */
export const officeOnlyField = (field: 'unitId' | 'deadline' | 'source'): DomainError =>
  new DomainError(
    'forbidden',
    TaskErrorCode.OFFICE_ONLY_FIELD,
    `${field}: 只有创城办可以指定责任单位、整改时限或督导检查以外的来源`,
    {
      errors: [{ field, code: 'officeOnly', message: '只有创城办可以指定' }],
    },
  );

export const alreadyWithUnit = (): DomainError =>
  invalidField('unitId', '任务已在该单位', 'differentUnit');

export const invalidDuplicateTarget = (): DomainError =>
  invalidField('duplicateOfId', '被重复的任务不存在、已撤销或就是本任务', 'duplicateTarget');

export const siteOrAddressRequired = (): DomainError =>
  invalidField('address', '请选择点位或填写地址', 'siteOrAddress');

/** A position is a latitude and a longitude, or none (as for sites, imports and observations). */
export const latLngPair = (missing: 'lat' | 'lng'): DomainError =>
  invalidField(missing, '经纬度必须同时提供', 'latLngPair');

export const inspectionNotUsable = (): DomainError =>
  invalidField('inspectionId', '督导检查不存在或已作废', 'inspectionExists');

function fieldError(
  kind: 'invalid' | 'unprocessable',
  code: TaskErrorCode,
  field: string,
  rule: string,
  message: string,
): DomainError {
  return new DomainError(kind, code, `${field}: ${message}`, {
    errors: [{ field, code: rule, message }],
  });
}
