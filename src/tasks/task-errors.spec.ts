import type { DomainError } from '../common/errors/domain-error.js';
import * as E from './task-errors.js';

/**
 * The catalogue as the client sees it: kind (hence the status), code, message and the field
 * problems. The e2e tests meet most of these through the API; here each is pinned once.
 */
const shown = (e: DomainError) => ({
  name: e.name,
  kind: e.kind,
  code: e.code,
  message: e.message,
  details: e.details,
});

describe('the task error catalogue', () => {
  it.each<[string, DomainError, ReturnType<typeof shown>]>([
    [
      'taskNotFound',
      E.taskNotFound(),
      {
        name: 'DomainError',
        kind: 'not_found',
        code: 'TASK_NOT_FOUND',
        message: '整改任务不存在',
        details: undefined,
      },
    ],
    [
      'actionForbidden (default words)',
      E.actionForbidden(),
      {
        name: 'DomainError',
        kind: 'forbidden',
        code: 'FORBIDDEN',
        message: '无权执行此操作',
        details: undefined,
      },
    ],
    [
      'actionForbidden (own words)',
      E.actionForbidden('只有创城办可以撤销'),
      {
        name: 'DomainError',
        kind: 'forbidden',
        code: 'FORBIDDEN',
        message: '只有创城办可以撤销',
        details: undefined,
      },
    ],
    [
      'illegalTransition',
      E.illegalTransition('已销号的任务不能挂账', 'closed', 'hold'),
      {
        name: 'DomainError',
        kind: 'conflict',
        code: 'ILLEGAL_TRANSITION',
        message: '已销号的任务不能挂账',
        details: { currentStatus: 'closed', action: 'hold' },
      },
    ],
    [
      'transitionBlocked',
      E.transitionBlocked('有待审批的延期申请', 'assigned', 'reassign'),
      {
        name: 'DomainError',
        kind: 'conflict',
        code: 'TRANSITION_BLOCKED',
        message: '有待审批的延期申请',
        details: { currentStatus: 'assigned', action: 'reassign' },
      },
    ],
    [
      'afterPhotoRequired',
      E.afterPhotoRequired(),
      {
        name: 'DomainError',
        kind: 'unprocessable',
        code: 'AFTER_PHOTO_REQUIRED',
        message: 'afterPhotoIds: 请上传至少一张整改后照片',
        details: {
          errors: [
            { field: 'afterPhotoIds', code: 'arrayMinSize', message: '请上传至少一张整改后照片' },
          ],
        },
      },
    ],
    [
      'deadlineNotInFuture',
      E.deadlineNotInFuture('newDeadline'),
      {
        name: 'DomainError',
        kind: 'invalid',
        code: 'INVALID_DEADLINE',
        message: 'newDeadline: 整改时限必须晚于当前时间',
        details: {
          errors: [
            { field: 'newDeadline', code: 'futureDate', message: '整改时限必须晚于当前时间' },
          ],
        },
      },
    ],
    [
      'extensionNotLater',
      E.extensionNotLater(),
      {
        name: 'DomainError',
        kind: 'invalid',
        code: 'INVALID_DEADLINE',
        message: 'requestedDeadline: 申请的时限必须晚于当前时限',
        details: {
          errors: [
            {
              field: 'requestedDeadline',
              code: 'afterCurrentDeadline',
              message: '申请的时限必须晚于当前时限',
            },
          ],
        },
      },
    ],
    [
      'extensionRequestNotFound',
      E.extensionRequestNotFound(),
      {
        name: 'DomainError',
        kind: 'not_found',
        code: 'REQUEST_NOT_FOUND',
        message: '延期申请不存在或已处理',
        details: undefined,
      },
    ],
    [
      'disputeNotFound',
      E.disputeNotFound(),
      {
        name: 'DomainError',
        kind: 'not_found',
        code: 'REQUEST_NOT_FOUND',
        message: '申诉不存在或已处理',
        details: undefined,
      },
    ],
    [
      'officeOnlyField',
      E.officeOnlyField('deadline'),
      {
        name: 'DomainError',
        kind: 'forbidden',
        code: 'OFFICE_ONLY_FIELD',
        message: 'deadline: 只有创城办可以指定责任单位、整改时限或督导检查以外的来源',
        details: {
          errors: [{ field: 'deadline', code: 'officeOnly', message: '只有创城办可以指定' }],
        },
      },
    ],
    [
      'alreadyWithUnit',
      E.alreadyWithUnit(),
      {
        name: 'DomainError',
        kind: 'invalid',
        code: 'VALIDATION_FAILED',
        message: 'unitId: 任务已在该单位',
        details: {
          errors: [{ field: 'unitId', code: 'differentUnit', message: '任务已在该单位' }],
        },
      },
    ],
    [
      'invalidDuplicateTarget',
      E.invalidDuplicateTarget(),
      {
        name: 'DomainError',
        kind: 'invalid',
        code: 'VALIDATION_FAILED',
        message: 'duplicateOfId: 被重复的任务不存在、已撤销或就是本任务',
        details: {
          errors: [
            {
              field: 'duplicateOfId',
              code: 'duplicateTarget',
              message: '被重复的任务不存在、已撤销或就是本任务',
            },
          ],
        },
      },
    ],
    [
      'siteOrAddressRequired',
      E.siteOrAddressRequired(),
      {
        name: 'DomainError',
        kind: 'invalid',
        code: 'VALIDATION_FAILED',
        message: 'address: 请选择点位或填写地址',
        details: {
          errors: [{ field: 'address', code: 'siteOrAddress', message: '请选择点位或填写地址' }],
        },
      },
    ],
    [
      'latLngPair',
      E.latLngPair('lng'),
      {
        name: 'DomainError',
        kind: 'invalid',
        code: 'VALIDATION_FAILED',
        message: 'lng: 经纬度必须同时提供',
        details: {
          errors: [{ field: 'lng', code: 'latLngPair', message: '经纬度必须同时提供' }],
        },
      },
    ],
    [
      'inspectionNotUsable',
      E.inspectionNotUsable(),
      {
        name: 'DomainError',
        kind: 'invalid',
        code: 'VALIDATION_FAILED',
        message: 'inspectionId: 督导检查不存在或已作废',
        details: {
          errors: [
            { field: 'inspectionId', code: 'inspectionExists', message: '督导检查不存在或已作废' },
          ],
        },
      },
    ],
  ])('%s', (_name, error, expected) => {
    expect(shown(error)).toEqual(expected);
  });

  it('versions: 400 without one, 409 naming the current one', () => {
    expect(E.taskVersionRequired()).toMatchObject({ kind: 'invalid', code: 'VERSION_REQUIRED' });
    expect(E.taskVersionRequired().message).toContain('任务');
    const conflict = E.taskVersionConflict(7);
    expect(conflict).toMatchObject({ kind: 'conflict', code: 'VERSION_CONFLICT' });
    expect(conflict.message).toContain('任务');
    expect(JSON.stringify(conflict.details)).toContain('7');
  });

  it('keeps the codes the clients match on', () => {
    expect(Object.values(E.TaskErrorCode)).toEqual([
      'TASK_NOT_FOUND',
      'ILLEGAL_TRANSITION',
      'TRANSITION_BLOCKED',
      'AFTER_PHOTO_REQUIRED',
      'REQUEST_NOT_FOUND',
      'INVALID_DEADLINE',
      'OFFICE_ONLY_FIELD',
    ]);
  });
});
