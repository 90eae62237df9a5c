import type { EntityManager } from 'typeorm';
import type { Principal } from '../../common/auth/principal.js';
import type { Db } from '../../database/kysely.js';
import type { LockedTask, TaskCounter, TaskPatch } from '../data/tasks.repository.js';
import type { TaskEventInput } from '../data/task-events.repository.js';
import type { LifecycleContext, TaskAction, TransitionDecision } from '../task-lifecycle.js';

/** Where an action runs: the locked task, inside the runner's transaction. */
export interface StepContext {
  task: LockedTask;
  principal: Principal;
  now: Date;
  db: Db;
  /** The same transaction, for services that still take a TypeORM manager (units, attachments). */
  em: EntityManager;
}

/** What one action changes: the task's columns, the event, and rows of its own. */
export interface Effect {
  patch?: TaskPatch;
  /** A counter that goes up by one (rework, reopen, extension). */
  increment?: TaskCounter;
  note?: string | null;
  /** The event's data; the runner adds the unit the event concerns. */
  data?: Record<string, unknown>;
  photos?: TaskEventInput['photos'];
  /** Rows written after the event, with its id (submissions, checks, requests). */
  after?: (db: Db, eventId: string) => Promise<void>;
}

interface StepBase {
  /** Other task rows to lock with this one (in id order: see `lockTasksInIdOrder`). */
  alsoLock?: string[];
  /** The change; null: nothing to change (no event, no new version). */
  effect: (ctx: StepContext) => Promise<Effect | null>;
}

/** A lifecycle action: the table (task-lifecycle.ts) decides whether and where it goes. */
export interface LifecycleStep extends StepBase {
  action: TaskAction;
  /** Facts that choose the target state, read after the lock (the verification draw of submit). */
  context?: (ctx: Omit<StepContext, 'now'>) => Promise<LifecycleContext>;
}

/** A change of the office's settings of one task: outside the table, the status stays. */
export interface SettingStep extends StepBase {
  action: 'set_verification_policy';
  decide: (ctx: Omit<StepContext, 'now'>) => TransitionDecision;
}

/** One action as the runner takes it: its name and what it changes. */
export type TaskStep = LifecycleStep | SettingStep;

/**
 * 考核时限 (tasks.assessed_deadline) is the deadline the unit is judged by: whether the task is
 * due in a digest period and whether it closed on time. Every action that sets `deadline` sets it
 * too — assignment (create, dispatch, reassign), the office's approved 延期 or override, resuming
 * from 挂账 — except these: a failed 复查 (返工) and a 反弹 give the unit a new working deadline
 * for the rework, but the unit stays judged by the deadline it had, so failing its work cannot
 * move the task out of its period and late rework stays late.
 */
export const REWORK_ACTIONS: readonly TaskStep['action'][] = ['check_fail', 'reopen'];

/**
 * Whether the task's pending 延期 and 申诉 lapse with this step. They are about a unit working on
 * an assigned task: they survive only while the task stays `assigned` with the same unit
 * (requests, decisions, deadline overrides); leaving `assigned` (submit, hold, cancel …),
 * coming back to it (resume, reopen, rework) or changing unit (reassign) ends them.
 */
export function lapsesPendingRequests(
  from: LockedTask['status'],
  to: LockedTask['status'],
  unitChanged: boolean,
): boolean {
  return !(from === 'assigned' && to === 'assigned' && !unitChanged);
}

/** Whether work done at `at` meets the 考核时限 (null: the task had no deadline). */
export function onTimeAt(
  task: Pick<LockedTask, 'assessed_deadline' | 'deadline'>,
  at: Date,
): boolean | null {
  const judgedBy = task.assessed_deadline ?? task.deadline;
  return judgedBy ? at <= judgedBy : null;
}
