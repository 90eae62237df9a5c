import { Injectable } from '@nestjs/common';
import { AttachmentsService } from '../../attachments/attachments.service.js';
import { CategoriesService } from '../../catalog/categories.service.js';
import type { Principal } from '../../common/auth/principal.js';
import { UnitsService } from '../../units/units.service.js';
import { DeadlineService } from '../deadline/deadline.service.js';
import type * as A from '../dto/task-actions.dto.js';
import type { TaskDetailDto } from '../dto/task-output.dto.js';
import { alreadyWithUnit } from '../task-errors.js';
import { freshAcknowledgement } from './acknowledgement.js';
import { futureDeadline, workingDeadline } from './deadline-input.js';
import type { Effect, StepContext } from './task-step.js';
import { TransitionRunner } from './transition-runner.js';

type Version = number | undefined;

/** Who works on a task and by when: 派遣, 改派, 恢复 (from 挂账), 反弹, the office's deadline. */
@Injectable()
export class AssignmentActions {
  constructor(
    private readonly runner: TransitionRunner,
    private readonly units: UnitsService,
    private readonly deadlines: DeadlineService,
    private readonly attachments: AttachmentsService,
    private readonly categories: CategoriesService,
  ) {}

  /** 派遣: a pending task goes to a unit, with the category's 时限 or the office's deadline. */
  dispatch(p: Principal, id: string, version: Version, dto: A.DispatchDto): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: 'dispatch',
      effect: (ctx) => this.assignTo(ctx, dto),
    });
  }

  /** 改派: to another unit, with a fresh deadline. */
  reassign(p: Principal, id: string, version: Version, dto: A.ReassignDto): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: 'reassign',
      effect: async (ctx) => {
        const effect = await this.assignTo(ctx, dto);
        if (effect.patch?.unit_id === ctx.task.unit_id) throw alreadyWithUnit();
        return effect;
      },
    });
  }

  /** Takes a parked task up again, with a fresh deadline. */
  resume(p: Principal, id: string, version: Version, dto: A.ResumeDto): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: 'resume',
      effect: async (ctx) => {
        const fresh = await this.freshAssignment(ctx, dto.deadline);
        return {
          patch: { ...fresh.patch, hold_reason: null, hold_review_on: null },
          note: dto.note,
          data: fresh.data,
        };
      },
    });
  }

  /** 反弹: a closed problem is back; the same unit reworks it (judged by its old 考核时限). */
  reopen(p: Principal, id: string, version: Version, dto: A.ReopenDto): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: 'reopen',
      effect: async (ctx) => {
        await this.attachments.assertUsable(ctx.em, dto.photoIds ?? [], p, 'photoIds');
        const fresh = await this.freshAssignment(ctx, dto.deadline);
        return {
          patch: { ...fresh.patch, closed_at: null, closed_on_time: null, closed_unverified: null },
          increment: 'reopen_count',
          note: dto.reason,
          data: fresh.data,
          photos: { ids: dto.photoIds ?? [], role: 'before' },
        };
      },
    });
  }

  /** The office sets the deadline; the old and the new one are kept in the history. */
  overrideDeadline(
    p: Principal,
    id: string,
    version: Version,
    dto: A.DeadlineOverrideDto,
  ): Promise<TaskDetailDto> {
    return this.runner.run(p, id, version, {
      action: 'override_deadline',
      effect: async ({ task, now }) => {
        const deadline = futureDeadline(dto.deadline, now, 'deadline');
        return {
          patch: { deadline, deadline_overridden: true },
          note: dto.reason,
          data: { deadlineFrom: task.deadline?.toISOString(), deadlineTo: deadline.toISOString() },
        };
      },
    });
  }

  private async assignTo(ctx: StepContext, dto: A.DispatchDto): Promise<Effect> {
    const unit = await this.units.lockActiveForWork(ctx.em, dto.unitId, 'unitId');
    const fresh = await this.freshAssignment(ctx, dto.deadline);
    return {
      // A new assignment to a unit: its 签收 is awaited again (返工, 反弹, 恢复 keep the unit's).
      patch: { ...fresh.patch, ...freshAcknowledgement(ctx.now), unit_id: unit.id },
      note: dto.note,
      data: { unitFrom: ctx.task.unit_id, unitTo: unit.id, unitName: unit.name, ...fresh.data },
    };
  }

  /**
   * The unit's clock starts again now: 派遣, 改派, 恢复 and 反弹 set `assigned_at` and a deadline,
   * the office's when given (kept as overridden), else the category's 时限 in working days.
   */
  private async freshAssignment({ em, task, now }: StepContext, override: string | undefined) {
    const deadline = await workingDeadline(
      this.categories,
      em,
      this.deadlines,
      task.category_id,
      now,
      override,
    );
    return {
      patch: { assigned_at: now, deadline, deadline_overridden: !!override },
      data: { deadline: deadline.toISOString() },
    };
  }
}
