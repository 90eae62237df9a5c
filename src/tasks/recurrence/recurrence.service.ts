import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { Db } from '../../database/kysely.js';
import { TransitionRunner } from '../actions/transition-runner.js';
import { findRecurrence, type RecurrenceProbe } from './recurrence-rule.js';
import { closedTasksNear, type RecurrenceCandidateRow } from './recurrence.repository.js';

/** The event on the earlier task that a new problem came back at its place (反弹). */
export const RECUR_ACTION = 'recur';

const DAY_MS = 86_400_000;

export interface FoundRecurrence {
  task: RecurrenceCandidateRow;
  distanceM: number | null;
}

/**
 * 反弹 at creation: finds the closed task a new problem repeats (recurrence-rule.ts), and once
 * the new task is written, tells the earlier task's trail. Called only from
 * `TasksService.createInTransaction`, the one path every task is created by (POST /tasks,
 * POST /inspections, the phone's sync), inside its transaction.
 */
@Injectable()
export class RecurrenceService {
  constructor(
    private readonly runner: TransitionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get windowDays(): number {
    return this.config.recurrence.windowDays;
  }

  /** The closed task the new problem repeats, or null (radius 0, nothing near, none in time). */
  async find(db: Db, probe: RecurrenceProbe, radiusM: number): Promise<FoundRecurrence | null> {
    if (radiusM <= 0) return null;
    const candidates = await closedTasksNear(db, {
      categoryId: probe.categoryId,
      siteId: probe.siteId,
      point: probe.position,
      radiusM,
      closedSince: new Date(probe.foundAt.getTime() - this.windowDays * DAY_MS),
      closedBy: probe.foundAt,
    });
    return findRecurrence(probe, candidates, { radiusM, windowDays: this.windowDays });
  }

  /**
   * An event `recur` on the earlier task: it stays closed (from = to = closed) and its version is
   * not bumped — nothing a client acts on changed, as with `observe` — but its trail, which its
   * unit and the office read, says the problem came back and links the new task. The new task's
   * number is given at COMMIT (a deferred trigger), so the event names the task by id; the
   * detail's `recurrences` gives the numbers. Nobody is notified (the routing table has no row
   * for it): the office sees it in the digest, the unit in the trail.
   */
  async recordOnEarlier(
    db: Db,
    actor: Principal,
    found: FoundRecurrence,
    newTaskId: string,
  ): Promise<void> {
    await this.runner.record(db, {
      taskId: found.task.id,
      action: RECUR_ACTION,
      from: 'closed',
      to: 'closed',
      actor,
      note: '同类问题在原址附近再次出现（反弹）',
      data: {
        unitId: found.task.unitId,
        recurrenceTaskId: newTaskId,
        distanceM: found.distanceM === null ? null : Math.round(found.distanceM * 10) / 10,
      },
    });
  }
}
