import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal.js';
import { findTaskRef } from '../data/tasks.repository.js';
import type * as A from '../dto/task-actions.dto.js';
import type { TaskDetailDto } from '../dto/task-output.dto.js';
import { invalidDuplicateTarget } from '../task-errors.js';
import { TransitionRunner } from './transition-runner.js';

type Version = number | undefined;

/** The office takes a task out of the running: 挂账 (parked), 撤销, or 重复 of another task. */
@Injectable()
export class ClosureActions {
  constructor(private readonly runner: TransitionRunner) {}

  /** 挂账: parked for engineering or a season, with a date to look at it again. */
  hold(p: Principal, id: string, version: Version, dto: A.HoldDto): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: 'hold',
      effect: async () => ({
        patch: { hold_reason: dto.reason.trim(), hold_review_on: dto.reviewOn },
        note: dto.reason,
        data: { reviewOn: dto.reviewOn },
      }),
    });
  }

  cancel(p: Principal, id: string, version: Version, dto: A.CancelDto): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: 'cancel',
      effect: async ({ now }) => ({ patch: { cancelled_at: now }, note: dto.reason }),
    });
  }

  /**
   * Both rows are locked first, in id order: marking A a duplicate of B while B is being marked
   * a duplicate of A otherwise deadlocks (each holds its task and waits on the other's foreign
   * key check). The second now waits, sees the first cancelled, and is refused.
   */
  markDuplicate(
    p: Principal,
    id: string,
    version: Version,
    dto: A.DuplicateDto,
  ): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: 'mark_duplicate',
      alsoLock: [dto.duplicateOfId],
      effect: async ({ db, task, now }) => {
        const other = await findTaskRef(db, dto.duplicateOfId);
        if (!other || other.id === task.id || other.status === 'cancelled') {
          throw invalidDuplicateTarget();
        }
        return {
          patch: { cancelled_at: now, duplicate_of_id: other.id },
          note: dto.note,
          data: { duplicateOf: other.number },
        };
      },
    });
  }
}
