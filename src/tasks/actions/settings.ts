import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal.js';
import type * as A from '../dto/task-actions.dto.js';
import type { TaskDetailDto } from '../dto/task-output.dto.js';
import { actionForbidden } from '../task-errors.js';
import { TransitionRunner } from './transition-runner.js';

/** `PATCH /tasks/:id`: the office's settings of one task, outside the lifecycle. */
@Injectable()
export class SettingsActions {
  constructor(private readonly runner: TransitionRunner) {}

  /** The verification policy of one task (null: the category's again). The status stays. */
  update(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.TaskSettingsDto,
  ): Promise<TaskDetailDto> {
    // Before the lock: a role that may change no task's settings is told so for every task.
    if (p.role !== 'admin') throw actionForbidden();
    return this.runner.run(p, id, version, {
      action: 'set_verification_policy',
      decide: ({ task }) => ({ ok: true, from: task.status, to: task.status }),
      effect: async () =>
        dto.verificationPolicy === undefined
          ? null
          : {
              patch: { verification_policy: dto.verificationPolicy },
              data: { verificationPolicy: dto.verificationPolicy },
            },
    });
  }
}
