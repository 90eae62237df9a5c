import type { Role } from '../common/auth/principal.js';

/**
 * The rectification task lifecycle (the closed loop of DESIGN.md) as one table: for each action,
 * the states it may start from, the state it leads to, who may do it, and the guard that says
 * why not. `decideTransition` applies it; it is pure, and the service persists its result and
 * the event in one transaction.
 */
export const TASK_STATUSES = [
  'pending_dispatch', // 待派遣: no route fitted; waits for the office
  'assigned', // 整改中: with a unit, deadline running
  'submitted', // 待复查: the unit reported back; waits for the follow-up check
  'on_hold', // 挂账: parked by the office (engineering, season), out of the on-time denominator
  'closed', // 已销号
  'cancelled', // 已撤销 (also: marked duplicate)
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const OPEN_STATUSES: readonly TaskStatus[] = [
  'pending_dispatch',
  'assigned',
  'submitted',
  'on_hold',
];

export const TASK_ACTIONS = [
  'dispatch', // 派遣
  'reassign', // 改派
  'submit', // 整改反馈
  'check_pass', // 复查通过 → 销号
  'check_fail', // 复查不通过 → 返工
  'request_extension', // 申请延期
  'approve_extension',
  'refuse_extension',
  'dispute', // 申诉: not ours
  'uphold_dispute', // office agrees: back to dispatch
  'reject_dispute', // office disagrees: stays with the unit
  'hold', // 挂账
  'resume',
  'cancel',
  'mark_duplicate',
  'reopen', // 反弹
  'override_deadline',
  'acknowledge', // 签收
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** What the lifecycle needs to know about a task to decide. */
export interface LifecycleTask {
  status: TaskStatus;
  unitId: string | null;
  hasPendingExtension: boolean;
  hasPendingDispute: boolean;
  /**
   * 签收 of the current assignment: not required (the setting is off; absent means that too),
   * awaited from the unit, or signed.
   */
  acknowledgement?: AcknowledgementState;
}

export type AcknowledgementState = 'not_required' | 'awaited' | 'signed';

export interface LifecycleActor {
  role: Role;
  /** Set for unit principals. */
  unitId: string | null;
}

/** Facts decided outside the table (the verification draw) that choose the target state. */
export interface LifecycleContext {
  /** For `submit`: the unit's report closes the task at once (self_close, or not drawn for a spot check). */
  closesOnSubmit?: boolean;
}

export type TransitionDecision =
  | { ok: true; from: TaskStatus; to: TaskStatus }
  | {
      ok: false;
      /** not_visible: the actor may not even see the task (answer 404, not 403). */
      reason: 'not_visible' | 'forbidden' | 'illegal_transition' | 'guard';
      message: string;
    };

interface TransitionRule {
  from: readonly TaskStatus[];
  to: TaskStatus | ((task: LifecycleTask, ctx: LifecycleContext) => TaskStatus);
  roles: readonly Role[];
  /** Returns why the action may not happen now, or null. */
  guard?: (task: LifecycleTask) => string | null;
}

const OFFICE: readonly Role[] = ['admin'];
const CHECKERS: readonly Role[] = ['admin', 'inspector'];
const UNIT: readonly Role[] = ['unit'];
const OPEN = OPEN_STATUSES;

const noPendingExtension = (t: LifecycleTask): string | null =>
  t.hasPendingExtension ? '已有待审批的延期申请' : null;
const pendingExtension = (t: LifecycleTask): string | null =>
  t.hasPendingExtension ? null : '没有待审批的延期申请';
const noPendingDispute = (t: LifecycleTask): string | null =>
  t.hasPendingDispute ? '已有待处理的申诉' : null;
const pendingDispute = (t: LifecycleTask): string | null =>
  t.hasPendingDispute ? null : '没有待处理的申诉';

const awaitingAcknowledgement = (t: LifecycleTask): string | null =>
  t.acknowledgement === 'awaited'
    ? null
    : t.acknowledgement === 'signed'
      ? '任务已签收'
      : '无需签收';

export const TRANSITIONS: Record<TaskAction, TransitionRule> = {
  dispatch: { from: ['pending_dispatch'], to: 'assigned', roles: OFFICE },
  reassign: { from: ['assigned'], to: 'assigned', roles: OFFICE, guard: noPendingExtension },
  submit: {
    from: ['assigned'],
    to: (_t, ctx) => (ctx.closesOnSubmit ? 'closed' : 'submitted'),
    roles: UNIT,
    guard: noPendingDispute,
  },
  check_pass: { from: ['submitted'], to: 'closed', roles: CHECKERS },
  check_fail: { from: ['submitted'], to: 'assigned', roles: CHECKERS },
  request_extension: { from: ['assigned'], to: 'assigned', roles: UNIT, guard: noPendingExtension },
  approve_extension: { from: ['assigned'], to: 'assigned', roles: OFFICE, guard: pendingExtension },
  refuse_extension: { from: ['assigned'], to: 'assigned', roles: OFFICE, guard: pendingExtension },
  dispute: { from: ['assigned'], to: 'assigned', roles: UNIT, guard: noPendingDispute },
  uphold_dispute: {
    from: ['assigned'],
    to: 'pending_dispatch',
    roles: OFFICE,
    guard: pendingDispute,
  },
  reject_dispute: { from: ['assigned'], to: 'assigned', roles: OFFICE, guard: pendingDispute },
  hold: { from: ['assigned'], to: 'on_hold', roles: OFFICE },
  resume: { from: ['on_hold'], to: 'assigned', roles: OFFICE },
  cancel: { from: OPEN, to: 'cancelled', roles: OFFICE },
  mark_duplicate: { from: OPEN, to: 'cancelled', roles: OFFICE },
  reopen: { from: ['closed'], to: 'assigned', roles: CHECKERS },
  override_deadline: { from: ['assigned'], to: 'assigned', roles: OFFICE },
  acknowledge: { from: ['assigned'], to: 'assigned', roles: UNIT, guard: awaitingAcknowledgement },
};

const STATUS_LABEL: Record<TaskStatus, string> = {
  pending_dispatch: '待派遣',
  assigned: '整改中',
  submitted: '待复查',
  on_hold: '挂账',
  closed: '已销号',
  cancelled: '已撤销',
};
export const statusLabel = (s: TaskStatus): string => STATUS_LABEL[s];

/** Whether the actor may see the task at all: a unit sees only its own unit's tasks. */
export function canSee(task: Pick<LifecycleTask, 'unitId'>, actor: LifecycleActor): boolean {
  return actor.role !== 'unit' || (actor.unitId !== null && task.unitId === actor.unitId);
}

/** Decides one action on one task by one actor. Pure: no clock, no database. */
export function decideTransition(
  action: TaskAction,
  task: LifecycleTask,
  actor: LifecycleActor,
  ctx: LifecycleContext = {},
): TransitionDecision {
  if (!canSee(task, actor)) return { ok: false, reason: 'not_visible', message: '整改任务不存在' };
  const rule = TRANSITIONS[action];
  if (!rule.roles.includes(actor.role)) {
    return { ok: false, reason: 'forbidden', message: '当前角色无权执行此操作' };
  }
  if (!rule.from.includes(task.status)) {
    return {
      ok: false,
      reason: 'illegal_transition',
      message: `任务当前状态为「${statusLabel(task.status)}」，不能执行此操作`,
    };
  }
  const blocked = rule.guard?.(task);
  if (blocked) return { ok: false, reason: 'guard', message: blocked };
  const to = typeof rule.to === 'function' ? rule.to(task, ctx) : rule.to;
  return { ok: true, from: task.status, to };
}

/** The actions an actor could take on a task now (for clients to show the right buttons). */
export function availableActions(task: LifecycleTask, actor: LifecycleActor): TaskAction[] {
  return TASK_ACTIONS.filter((a) => decideTransition(a, task, actor).ok);
}
