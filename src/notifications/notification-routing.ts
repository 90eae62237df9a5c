import type { TaskAction, TaskStatus } from '../tasks/task-lifecycle.js';
import type { TaskNotificationKind } from './notification-text.js';

/**
 * Who hears of each task event, and as what. One row per lifecycle action (plus `create`), so a
 * renamed or added action does not compile until someone decides who hears of it.
 *
 * - `unit`: the unit the event concerned — recorded with the event (`data.unitId`), not the
 *   task's unit when the worker runs — gets an inbox notification for each of its users and a
 *   webhook delivery.
 * - `previousUnit`: the unit the task left (`data.unitFrom`, reassign), the same way.
 * - `inspector`: the user who raised the task, when that user is an inspector (inbox only).
 * - `office`: one shared office notification (`audience = 'office'`): any clerk sees it, one
 *   marking it read marks it for all.
 *
 * A route returns null where nobody is told: e.g. a task created without a unit waits in the
 * office's `pending_dispatch` list, and a unit is not told of what it did itself.
 */
export interface EventRoute {
  unit?: TaskNotificationKind;
  previousUnit?: TaskNotificationKind;
  inspector?: TaskNotificationKind;
  office?: TaskNotificationKind;
}

export interface RoutedEvent {
  toStatus: TaskStatus;
}

/** Every action that records an event someone may hear of: the lifecycle's, and `create`. */
export type RoutedAction = TaskAction | 'create';

export type Router = (e: RoutedEvent) => EventRoute;

/**
 * A routing table: one row per routed action, no more, no fewer. Keyed by the lifecycle's own
 * `TaskAction` type, so a renamed action (an unknown key and a missing one) or an added action
 * (a missing key) does not compile.
 */
export type RoutingTable = Record<RoutedAction, Router>;

export const NOTIFICATION_ROUTES = {
  create: (e) => (e.toStatus === 'assigned' ? { unit: 'assigned' } : {}),
  dispatch: () => ({ unit: 'assigned' }),
  reassign: () => ({ unit: 'assigned', previousUnit: 'reassigned_away' }),
  // Closed at once (self_close, or not drawn for a spot check): nothing awaits anyone.
  submit: (e) => (e.toStatus === 'submitted' ? { inspector: 'awaiting_check' } : {}),
  check_pass: () => ({ unit: 'closed' }),
  check_fail: () => ({ unit: 'returned' }),
  // Office work any clerk can take: one shared row (and the task list's pending-request filter).
  request_extension: () => ({ office: 'extension_requested' }),
  approve_extension: () => ({ unit: 'extension_approved' }),
  refuse_extension: () => ({ unit: 'extension_refused' }),
  dispute: () => ({ office: 'disputed' }),
  uphold_dispute: () => ({ unit: 'dispute_upheld' }),
  reject_dispute: () => ({ unit: 'dispute_rejected' }),
  hold: () => ({ unit: 'held' }),
  resume: () => ({ unit: 'resumed' }),
  cancel: () => ({ unit: 'cancelled' }),
  mark_duplicate: () => ({ unit: 'duplicate' }),
  reopen: () => ({ unit: 'reopened' }),
  override_deadline: () => ({ unit: 'deadline_changed' }),
  // 签收 is the unit's own doing; the office sees it in the list (acknowledged=false) and digest.
  acknowledge: () => ({}),
} as const satisfies RoutingTable;

/** Whether a recorded event's action (a string in `task_events`) is one the table routes. */
export const isRoutedAction = (action: string): action is RoutedAction =>
  Object.hasOwn(NOTIFICATION_ROUTES, action);

/** The route of a recorded event; events outside the lifecycle (settings) tell nobody. */
export function routeOf(action: string, e: RoutedEvent): EventRoute {
  if (!isRoutedAction(action)) return {};
  const route: Router = NOTIFICATION_ROUTES[action];
  return route(e);
}
