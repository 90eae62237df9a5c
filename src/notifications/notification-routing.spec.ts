import { TASK_ACTIONS, type TaskStatus } from '../tasks/task-lifecycle.js';
import {
  isRoutedAction,
  NOTIFICATION_ROUTES,
  routeOf,
  type EventRoute,
  type RoutedAction,
  type RoutingTable,
} from './notification-routing.js';

/** Who hears of each action as the README's table says, for an event leaving the task `to`. */
const EXPECTED: [RoutedAction, TaskStatus, EventRoute][] = [
  ['create', 'assigned', { unit: 'assigned' }],
  ['create', 'pending_dispatch', {}],
  ['dispatch', 'assigned', { unit: 'assigned' }],
  ['reassign', 'assigned', { unit: 'assigned', previousUnit: 'reassigned_away' }],
  ['submit', 'submitted', { inspector: 'awaiting_check' }],
  ['submit', 'closed', {}],
  ['check_pass', 'closed', { unit: 'closed' }],
  ['check_fail', 'assigned', { unit: 'returned' }],
  ['request_extension', 'assigned', { office: 'extension_requested' }],
  ['approve_extension', 'assigned', { unit: 'extension_approved' }],
  ['refuse_extension', 'assigned', { unit: 'extension_refused' }],
  ['dispute', 'assigned', { office: 'disputed' }],
  ['uphold_dispute', 'pending_dispatch', { unit: 'dispute_upheld' }],
  ['reject_dispute', 'assigned', { unit: 'dispute_rejected' }],
  ['hold', 'on_hold', { unit: 'held' }],
  ['resume', 'assigned', { unit: 'resumed' }],
  ['cancel', 'cancelled', { unit: 'cancelled' }],
  ['mark_duplicate', 'cancelled', { unit: 'duplicate' }],
  ['reopen', 'assigned', { unit: 'reopened' }],
  ['override_deadline', 'assigned', { unit: 'deadline_changed' }],
  // 签收: the unit's own doing; the office sees it in the list and the digest.
  ['acknowledge', 'assigned', {}],
];

describe('notification routing: one row per lifecycle action', () => {
  it.each(EXPECTED)('%s → %s tells %j', (action, toStatus, route) => {
    expect(routeOf(action, { toStatus })).toEqual(route);
  });

  it('has a row for every action of the lifecycle and for create, and no other', () => {
    expect(Object.keys(NOTIFICATION_ROUTES).sort()).toEqual([...TASK_ACTIONS, 'create'].sort());
    expect(new Set(EXPECTED.map(([a]) => a)).size).toBe(TASK_ACTIONS.length + 1);
  });

  it('routes nothing for events outside the lifecycle', () => {
    expect(isRoutedAction('set_verification_policy')).toBe(false);
    expect(routeOf('set_verification_policy', { toStatus: 'assigned' })).toEqual({});
    // Inherited keys are not actions.
    expect(routeOf('toString', { toStatus: 'assigned' })).toEqual({});
  });
});

/**
 * Compile-time checks (`npm run typecheck` compiles this file): a table that misses an action,
 * or names one the lifecycle does not have (a rename), does not compile.
 */
export function typeChecks(): void {
  const { dispatch: _dropped, ...missingOne } = NOTIFICATION_ROUTES;
  // @ts-expect-error: `dispatch` has no row
  const missing: RoutingTable = missingOne;
  const renamed = {
    ...missingOne,
    // @ts-expect-error: not an action of the lifecycle (a renamed `dispatch`)
    dispatch_task: () => ({}),
  } satisfies RoutingTable;
  void missing;
  void renamed;
}
