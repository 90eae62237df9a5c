import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal.js';
import { parseInstant } from '../../common/time/iso-time.js';
import {
  decideExtensionRequest,
  insertExtensionRequest,
  pendingExtensionRequest,
} from '../data/task-requests.repository.js';
import type * as A from '../dto/task-actions.dto.js';
import type { TaskDetailDto } from '../dto/task-output.dto.js';
import { extensionNotLater, extensionRequestNotFound } from '../task-errors.js';
import { futureDeadline } from './deadline-input.js';
import { TransitionRunner } from './transition-runner.js';

type Version = number | undefined;

/** 申请延期: the unit asks for more time; the office approves (new deadline) or refuses. */
@Injectable()
export class ExtensionActions {
  constructor(private readonly runner: TransitionRunner) {}

  request(
    p: Principal,
    id: string,
    version: Version,
    dto: A.ExtensionRequestDto,
  ): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: 'request_extension',
      effect: async ({ task }) => {
        const requested = parseInstant(dto.requestedDeadline);
        if (!task.deadline || requested <= task.deadline) throw extensionNotLater();
        return {
          note: dto.reason,
          data: {
            requestedDeadline: requested.toISOString(),
            currentDeadline: task.deadline.toISOString(),
          },
          after: (db, eventId) =>
            insertExtensionRequest(db, {
              taskId: task.id,
              requestedDeadline: requested,
              reason: dto.reason.trim(),
              eventId,
            }),
        };
      },
    });
  }

  /** Approved: the requested deadline or the office's own; it becomes the 考核时限 too. */
  decide(
    p: Principal,
    id: string,
    requestId: string,
    version: Version,
    dto: A.ExtensionDecisionDto,
  ): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: dto.approve ? 'approve_extension' : 'refuse_extension',
      effect: async ({ db, task, now }) => {
        const req = await pendingExtensionRequest(db, task.id, requestId);
        if (!req) throw extensionRequestNotFound();
        const granted = dto.approve
          ? dto.deadline
            ? futureDeadline(dto.deadline, now, 'deadline')
            : req.requested_deadline
          : null;
        const after = (db2: typeof db, eventId: string): Promise<void> =>
          decideExtensionRequest(db2, req.id, {
            approved: dto.approve,
            granted,
            note: dto.note ?? null,
            eventId,
            at: now,
          });
        if (!granted)
          return { note: dto.note, data: { requestId: req.id, approved: false }, after };
        return {
          patch: { deadline: granted },
          increment: 'extension_count',
          note: dto.note,
          // The deadline history: every change of the deadline is an event with from and to.
          data: {
            requestId: req.id,
            approved: true,
            deadlineFrom: task.deadline?.toISOString(),
            deadlineTo: granted.toISOString(),
          },
          after,
        };
      },
    });
  }
}
