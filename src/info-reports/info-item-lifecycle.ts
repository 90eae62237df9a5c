import type { Role } from '../common/auth/principal.js';

/**
 * 信息报送 states: pending 待审 → adopted 已采用 → published 已刊发; pending → returned 已退回 →
 * (resubmit) pending; pending/returned → withdrawn 已撤回 (by the unit). The office may also
 * return an adopted item that is not yet published (it changed its mind, or the text needs the
 * unit's work). `publish` is done by publishing the 快报, never through the items' API.
 */
export const INFO_ITEM_STATUSES = [
  'pending',
  'adopted',
  'returned',
  'published',
  'withdrawn',
] as const;
export type InfoItemStatus = (typeof INFO_ITEM_STATUSES)[number];

export type InfoItemAction = 'edit' | 'withdraw' | 'resubmit' | 'adopt' | 'return' | 'publish';

interface Transition {
  from: readonly InfoItemStatus[];
  /** The state after; `edit` keeps the state it found. */
  to: InfoItemStatus | 'same';
  by: readonly (Role | 'system')[];
}

/** Who may do what from where: one table, read by `transitionOf`. */
export const INFO_ITEM_TRANSITIONS: Record<InfoItemAction, Transition> = {
  // A unit edits what the office has not taken yet; the office edits what it has (before print).
  edit: { from: ['pending', 'returned', 'adopted'], to: 'same', by: ['unit', 'admin'] },
  withdraw: { from: ['pending', 'returned'], to: 'withdrawn', by: ['unit'] },
  resubmit: { from: ['returned'], to: 'pending', by: ['unit'] },
  adopt: { from: ['pending'], to: 'adopted', by: ['admin'] },
  return: { from: ['pending', 'adopted'], to: 'returned', by: ['admin'] },
  publish: { from: ['adopted'], to: 'published', by: ['system'] },
};

/** Which states each role may edit in (the `edit` row, narrowed per role). */
const EDITABLE_BY: Record<'unit' | 'admin', readonly InfoItemStatus[]> = {
  unit: ['pending', 'returned'],
  admin: ['pending', 'adopted'],
};

export const STATUS_NAMES: Record<InfoItemStatus, string> = {
  pending: '待审',
  adopted: '已采用',
  returned: '已退回',
  published: '已刊发',
  withdrawn: '已撤回',
};

export type TransitionResult =
  { ok: true; to: InfoItemStatus } | { ok: false; reason: 'role' | 'state' };

/** The state `action` leads to from `from` for `role`, or why not. Pure. */
export function transitionOf(
  action: InfoItemAction,
  from: InfoItemStatus,
  role: Role | 'system',
): TransitionResult {
  const t = INFO_ITEM_TRANSITIONS[action];
  if (!t.by.includes(role)) return { ok: false, reason: 'role' };
  const allowed =
    action === 'edit' && (role === 'unit' || role === 'admin') ? EDITABLE_BY[role] : t.from;
  if (!allowed.includes(from)) return { ok: false, reason: 'state' };
  return { ok: true, to: t.to === 'same' ? from : t.to };
}
