import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal.js';
import type { LockedTask, TaskPatch } from '../data/tasks.repository.js';
import type { TaskDetailDto } from '../dto/task-output.dto.js';
import { unitAssignedAt } from '../acknowledgement/acknowledgement-policy.js';
import { TransitionRunner } from './transition-runner.js';

type Version = number | undefined;

/**
 * 签收: the unit signs for the task it was given (only where 签收 is required; the lifecycle's
 * guard says 无需签收 / 任务已签收 otherwise). The status stays 整改中; the event keeps how long
 * the unit took, in hours from the moment the task came to it.
 */
@Injectable()
export class AcknowledgementActions {
  constructor(private readonly runner: TransitionRunner) {}

  acknowledge(p: Principal, id: string, version: Version): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: 'acknowledge',
      effect: async ({ task, now }) => ({
        patch: signedBy(p, now),
        data: signingData(task, now),
      }),
    });
  }
}

/** The columns that record a signature of the current assignment. */
export const signedBy = (p: Principal, now: Date): TaskPatch => ({
  acknowledged_at: now,
  acknowledged_by_kind: p.kind,
  acknowledged_by_id: p.id,
});

/** What the event says of a signature: when the unit got the task, and how long it took. */
export const signingData = (task: LockedTask, now: Date): Record<string, unknown> => {
  const from = unitAssignedAt(task);
  return {
    unitAssignedAt: from.toISOString(),
    hoursToSign: Math.round(((now.getTime() - from.getTime()) / 3_600_000) * 10) / 10,
  };
};

/**
 * The patch that starts a new assignment to a unit (派遣, 改派): the unit's 签收 is awaited
 * again and may be escalated again.
 */
export const freshAcknowledgement = (now: Date): TaskPatch => ({
  acknowledged_at: null,
  acknowledged_by_kind: null,
  acknowledged_by_id: null,
  acknowledgement_escalated_at: null,
  unit_assigned_at: now,
});
