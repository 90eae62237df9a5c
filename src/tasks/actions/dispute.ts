import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal.js';
import { decideDispute, insertDispute, pendingDispute } from '../data/task-requests.repository.js';
import type * as A from '../dto/task-actions.dto.js';
import type { TaskDetailDto } from '../dto/task-output.dto.js';
import { disputeNotFound } from '../task-errors.js';
import { TransitionRunner } from './transition-runner.js';

type Version = number | undefined;

/** 申诉: the unit says the task is not its own; the office upholds (back to dispatch) or rejects. */
@Injectable()
export class DisputeActions {
  constructor(private readonly runner: TransitionRunner) {}

  dispute(p: Principal, id: string, version: Version, dto: A.DisputeDto): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: 'dispute',
      effect: async ({ task }) => ({
        note: dto.reason,
        after: (db, eventId) =>
          insertDispute(db, {
            taskId: task.id,
            // A unit disputes only a task assigned to it (the lifecycle table: from `assigned`).
            unitId: task.unit_id as string,
            reason: dto.reason.trim(),
            eventId,
          }),
      }),
    });
  }

  decide(
    p: Principal,
    id: string,
    disputeId: string,
    version: Version,
    dto: A.DisputeDecisionDto,
  ): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: dto.uphold ? 'uphold_dispute' : 'reject_dispute',
      effect: async ({ db, task, now }) => {
        const d = await pendingDispute(db, task.id, disputeId);
        if (!d) throw disputeNotFound();
        return {
          patch: dto.uphold
            ? { unit_id: null, assigned_at: null, deadline: null, deadline_overridden: false }
            : {},
          note: dto.note,
          data: { disputeId: d.id, upheld: dto.uphold, unitId: task.unit_id },
          after: (db2, eventId) =>
            decideDispute(db2, d.id, {
              upheld: dto.uphold,
              note: dto.note ?? null,
              eventId,
              at: now,
            }),
        };
      },
    });
  }
}
