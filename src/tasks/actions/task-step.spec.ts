import { TASK_STATUSES, type TaskStatus } from '../task-lifecycle.js';
import { lapsesPendingRequests, onTimeAt, REWORK_ACTIONS } from './task-step.js';

describe('lapsesPendingRequests', () => {
  it('keeps requests only while the task stays assigned to the same unit', () => {
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES) {
        for (const unitChanged of [false, true]) {
          const keeps = from === 'assigned' && to === 'assigned' && !unitChanged;
          expect([from, to, unitChanged, lapsesPendingRequests(from, to, unitChanged)]).toEqual([
            from,
            to,
            unitChanged,
            !keeps,
          ]);
        }
      }
    }
  });

  it.each<[string, TaskStatus, TaskStatus, boolean]>([
    ['hold', 'assigned', 'on_hold', false],
    ['cancel', 'assigned', 'cancelled', false],
    ['reassign', 'assigned', 'assigned', true],
    ['reopen', 'closed', 'assigned', false],
    ['resume', 'on_hold', 'assigned', false],
    ['submit', 'assigned', 'submitted', false],
    ['uphold_dispute', 'assigned', 'pending_dispatch', true],
  ])('lapse on %s', (_action, from, to, unitChanged) => {
    expect(lapsesPendingRequests(from, to, unitChanged)).toBe(true);
  });

  it.each<[string]>([
    ['request_extension'],
    ['approve_extension'],
    ['refuse_extension'],
    ['dispute'],
    ['reject_dispute'],
    ['override_deadline'],
  ])('survive %s', () => {
    expect(lapsesPendingRequests('assigned', 'assigned', false)).toBe(false);
  });
});

describe('onTimeAt', () => {
  const deadline = new Date('2026-03-05T09:00:00Z');
  const later = new Date('2026-03-10T09:00:00Z');

  it('judges by the 考核时限 when the task has one, at the boundary inclusive', () => {
    const task = { assessed_deadline: deadline, deadline: later };
    expect(onTimeAt(task, deadline)).toBe(true);
    expect(onTimeAt(task, new Date(deadline.getTime() + 1))).toBe(false);
    expect(onTimeAt(task, new Date(deadline.getTime() - 1))).toBe(true);
  });

  it('falls back to the working deadline, and has no answer without one', () => {
    expect(onTimeAt({ assessed_deadline: null, deadline }, later)).toBe(false);
    expect(onTimeAt({ assessed_deadline: null, deadline: null }, later)).toBeNull();
  });
});

describe('REWORK_ACTIONS', () => {
  it('are the actions whose new deadline does not move the 考核时限', () => {
    expect([...REWORK_ACTIONS].sort()).toEqual(['check_fail', 'reopen']);
  });
});
