import { DomainError } from '../common/errors/domain-error.js';
import { STATUS_NAMES, type InfoItemStatus } from './info-item-lifecycle.js';

/** Error codes of 信息报送. */
export enum InfoItemErrorCode {
  INFO_ITEM_NOT_FOUND = 'INFO_ITEM_NOT_FOUND',
  /** The item's state does not allow the action (e.g. adopting a returned item). */
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
}

/** Another unit's item is this too: its existence is not disclosed. */
export const infoItemNotFound = (): DomainError =>
  new DomainError('not_found', InfoItemErrorCode.INFO_ITEM_NOT_FOUND, '信息不存在');

export const illegalInfoTransition = (action: string, status: InfoItemStatus): DomainError =>
  new DomainError(
    'conflict',
    InfoItemErrorCode.ILLEGAL_TRANSITION,
    `信息当前为“${STATUS_NAMES[status]}”，不能${ACTION_NAMES[action] ?? action}`,
    { currentStatus: status, action },
  );

const ACTION_NAMES: Record<string, string> = {
  edit: '修改',
  withdraw: '撤回',
  resubmit: '重新报送',
  adopt: '采用',
  return: '退回',
};
