import { Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../../common/auth/principal.js';
import { Clock } from '../../common/clock.js';
import { dbOf, type Db } from '../../database/kysely.js';
import { TransactionRunner } from '../../database/transaction.js';
import { OutboxTopic } from '../../jobs/outbox.js';
import {
  recordTaskEvent,
  type TaskChange,
  type TaskEventInput,
} from '../data/task-events.repository.js';
import { lapsePendingDispute, lapsePendingExtension } from '../data/task-requests.repository.js';
import { lockTask, lockTasksInIdOrder, type LockedTask } from '../data/tasks.repository.js';
import { AcknowledgementPolicy } from '../acknowledgement/acknowledgement-policy.js';
import type { TaskDetailDto } from '../dto/task-output.dto.js';
import {
  actionForbidden,
  illegalTransition,
  taskNotFound,
  taskVersionConflict,
  taskVersionRequired,
  transitionBlocked,
} from '../task-errors.js';
import { decideTransition } from '../task-lifecycle.js';
import { TaskReader } from '../task-reader.js';
import { lapsesPendingRequests, REWORK_ACTIONS, type TaskStep } from './task-step.js';

/** The steps that file a 延期 or 申诉 (left pending for the office). */
const FILES_REQUEST: readonly TaskStep['action'][] = ['request_extension', 'dispute'];

/**
 * Runs every change of a task (the model: Vendure's `transitionToState` around its order state
 * machine). One transaction: lock the row, scoped to what the principal may see; let the
 * lifecycle table decide; check the version the client saw; apply the action's effect as one
 * typed patch; append the event and its outbox row; let pending requests lapse; read the task
 * back. Concurrent actions on one task queue on the row lock: the first wins, the others find a
 * new version and get 409 with nothing written.
 */
@Injectable()
export class TransitionRunner {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly reader: TaskReader,
    private readonly clock: Clock,
    // Absent (unit tests built by hand): 签收 is not required.
    @Optional() private readonly acknowledgement?: AcknowledgementPolicy,
  ) {}

  run(
    p: Principal,
    id: string,
    version: number | undefined,
    step: TaskStep,
  ): Promise<TaskDetailDto> {
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      if (step.alsoLock?.length) await lockTasksInIdOrder(db, [id, ...step.alsoLock]);
      const task = await lockTask(db, id, p.role === 'unit' ? p.unitId : null);
      if (!task) throw taskNotFound();
      const nonePending = await this.apply(db, em, p, task, version, step);
      return this.reader.detailIn(db, p, task.id, { nonePending });
    });
  }

  /**
   * Appends one event of the audit trail with its photos, and the outbox row that tells the
   * workers of it: the one place a task's event leaves for notifications and webhooks.
   */
  record(db: Db, e: TaskEventInput, change?: TaskChange): Promise<string> {
    // One statement: the task's change, the event, its outbox row and photos (recordTaskEvent).
    return recordTaskEvent(db, e, OutboxTopic.TASK_EVENT, change);
  }

  /**
   * Decides and writes the step. Answers whether the task is known to have no pending 延期 or
   * 申诉 afterwards (the read-back then need not look): nothing was pending at the lock, or what
   * was lapsed — unless the step itself files one.
   */
  private async apply(
    db: Db,
    em: EntityManager,
    p: Principal,
    task: LockedTask,
    version: number | undefined,
    step: TaskStep,
  ): Promise<boolean> {
    const base = { task, principal: p, db, em };
    const decision =
      step.action === 'set_verification_policy'
        ? step.decide(base)
        : decideTransition(
            step.action,
            {
              status: task.status,
              unitId: task.unit_id,
              hasPendingExtension: task.has_pending_extension,
              hasPendingDispute: task.has_pending_dispute,
              acknowledgement: this.acknowledgement?.stateOf(task.acknowledged_at),
            },
            p,
            (await step.context?.(base)) ?? {},
          );
    if (!decision.ok && decision.reason === 'not_visible') throw taskNotFound();
    if (!decision.ok && decision.reason === 'forbidden') throw actionForbidden(decision.message);
    if (version === undefined) throw taskVersionRequired();
    if (task.version !== version) throw taskVersionConflict(task.version);
    if (!decision.ok) {
      throw decision.reason === 'guard'
        ? transitionBlocked(decision.message, task.status, step.action)
        : illegalTransition(decision.message, task.status, step.action);
    }
    const now = this.clock.now();
    const effect = await step.effect({ ...base, now });
    const noneAtLock = !task.has_pending_extension && !task.has_pending_dispute;
    if (!effect) return noneAtLock;
    const patch = { ...effect.patch };
    if (patch.deadline !== undefined && !REWORK_ACTIONS.includes(step.action)) {
      patch.assessed_deadline = patch.deadline;
    }
    const unitId = patch.unit_id !== undefined ? patch.unit_id : task.unit_id;
    const eventId = await this.record(
      db,
      {
        taskId: task.id,
        action: step.action,
        from: task.status,
        to: decision.to,
        actor: p,
        note: effect.note ?? null,
        // The unit the event concerns, as it is after the event: notifications go to that unit
        // even if the task has moved on by the time the worker handles the event.
        data: { unitId, ...effect.data },
        photos: effect.photos,
      },
      { patch, status: decision.to, increment: effect.increment, now },
    );
    await effect.after?.(db, eventId);
    const lapses = lapsesPendingRequests(task.status, decision.to, unitId !== task.unit_id);
    if (lapses) {
      // The lock read whether anything is pending: nothing pending, nothing to write.
      if (task.has_pending_extension) await lapsePendingExtension(db, task.id, eventId, now);
      if (task.has_pending_dispute) await lapsePendingDispute(db, task.id, eventId, now);
    }
    return !FILES_REQUEST.includes(step.action) && (lapses || noneAtLock);
  }
}
