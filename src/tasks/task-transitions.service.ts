import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service.js';
import type { Category } from '../catalog/category.entity.js';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { CommonErrorCode, DomainError, invalidField } from '../common/errors/domain-error.js';
import { TransactionRunner } from '../database/transaction.js';
import { UnitsService } from '../units/units.service.js';
import { DeadlineService } from './deadline/deadline.service.js';
import type * as A from './dto/task-actions.dto.js';
import type { TaskDetailDto } from './dto/task-output.dto.js';
import { SpotCheckSampler } from './spot-check.sampler.js';
import { TaskEventWriter } from './task-event.writer.js';
import { TaskErrorCode, taskNotFound } from './task-errors.js';
import { decideTransition, type TaskAction, type TaskStatus } from './task-lifecycle.js';
import { TaskReader } from './task-reader.js';
import { TasksService } from './tasks.service.js';
import { parseInstant } from '../common/time/iso-time.js';

/** The task row as locked for a transition. */
interface LockedTask {
  id: string;
  status: TaskStatus;
  unit_id: string | null;
  category_id: string;
  assigned_at: Date | null;
  deadline: Date | null;
  /** 考核时限: see REWORK_ACTIONS. */
  assessed_deadline: Date | null;
  verification_policy: string | null;
  version: number;
  has_pending_extension: boolean;
  has_pending_dispute: boolean;
}

/** What one action changes: columns of the task, the event, and rows of its own. */
interface Effect {
  set?: Record<string, unknown>;
  note?: string | null;
  data?: Record<string, unknown>;
  photos?: { ids: string[]; role: 'before' | 'after' | 'check' };
  /** Rows written after the event, with its id (submissions, checks, requests). */
  after?: (em: EntityManager, eventId: string) => Promise<void>;
}

interface Step {
  action: TaskAction;
  /** Chooses the target for actions whose target depends on a draw (submit). */
  closesOnSubmit?: boolean;
  effect: (task: LockedTask, em: EntityManager, now: Date) => Promise<Effect>;
}

/**
 * 考核时限 (tasks.assessed_deadline) is the deadline the unit is judged by: whether the task is
 * due in a digest period and whether it closed on time. Every action that sets `deadline` sets it
 * too — assignment (create, dispatch, reassign), the office's approved 延期 or override, resuming
 * from 挂账 (the office's decisions: 金华 rules let an approved 延期 move 应结案 timing) — except
 * these: a failed 复查 (返工) and a 反弹 give the unit a new working deadline for the rework, but
 * the unit stays judged by the deadline it had, so failing its work cannot move the task out of
 * its period and late rework stays late.
 */
const REWORK_ACTIONS: readonly TaskAction[] = ['check_fail', 'reopen'];

/** Whether a submission made at `at` meets the 考核时限 (null: the task had no deadline). */
function onTimeAt(t: LockedTask, at: Date): boolean | null {
  const judgedBy = t.assessed_deadline ?? t.deadline;
  return judgedBy ? at <= judgedBy : null;
}

const versionRequired = (): DomainError =>
  new DomainError(
    'invalid',
    TaskErrorCode.VERSION_REQUIRED,
    'version: 请提供任务的 version（或 If-Match 头）',
    {
      errors: [{ field: 'version', code: 'isNotEmpty', message: '请提供任务的 version' }],
    },
  );

/**
 * Applies lifecycle actions. Each is one transaction: lock the row (scoped to what the caller
 * may see), check the version the client saw, let the lifecycle table decide, write the task,
 * the event and the action's own rows. Concurrent actions on one task queue on the row lock;
 * the first wins and the others find a new version: 409, nothing written.
 */
@Injectable()
export class TaskTransitionsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly reader: TaskReader,
    private readonly events: TaskEventWriter,
    private readonly deadlines: DeadlineService,
    private readonly units: UnitsService,
    private readonly attachments: AttachmentsService,
    private readonly tasks: TasksService,
    @Inject(SpotCheckSampler) private readonly sampler: SpotCheckSampler,
    private readonly clock: Clock,
  ) {}

  dispatch(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.DispatchDto,
  ): Promise<TaskDetailDto> {
    return this.run(p, id, version, {
      action: 'dispatch',
      effect: (t, em, now) => this.assignTo(t, em, now, dto),
    });
  }

  reassign(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.ReassignDto,
  ): Promise<TaskDetailDto> {
    return this.run(p, id, version, {
      action: 'reassign',
      effect: async (t, em, now) => {
        const effect = await this.assignTo(t, em, now, dto);
        if (effect.set?.unit_id === t.unit_id)
          throw invalidField('unitId', '任务已在该单位', 'differentUnit');
        return effect;
      },
    });
  }

  async submit(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.SubmissionDto,
  ): Promise<TaskDetailDto> {
    const photoIds = dto.afterPhotoIds ?? [];
    return this.tx.withTransaction(async (em) => {
      const locked = await this.lock(em, p, id);
      const category = await this.category(em, locked.category_id);
      const policy = locked.verification_policy ?? category.verificationPolicy;
      const closesOnSubmit =
        policy === 'self_close' ||
        (policy === 'spot_check' && !this.sampler.drawn(category.spotCheckRatio ?? 1));
      return this.apply(em, p, locked, version, {
        action: 'submit',
        closesOnSubmit,
        effect: async (t, em2, now) => {
          if (category.requiresAfterPhoto && photoIds.length === 0) {
            throw new DomainError(
              'unprocessable',
              TaskErrorCode.AFTER_PHOTO_REQUIRED,
              'afterPhotoIds: 请上传至少一张整改后照片',
              {
                errors: [
                  {
                    field: 'afterPhotoIds',
                    code: 'arrayMinSize',
                    message: '请上传至少一张整改后照片',
                  },
                ],
              },
            );
          }
          await this.attachments.assertUsable(em2, photoIds, p, 'afterPhotoIds');
          const [{ round }] = (await em2.query(
            'SELECT coalesce(max(round), 0) + 1 AS round FROM task_submissions WHERE task_id = $1',
            [t.id],
          )) as { round: number }[];
          const onTime = onTimeAt(t, now);
          return {
            set: closesOnSubmit
              ? { closed_at: now, closed_on_time: onTime, closed_unverified: true }
              : {},
            note: dto.description,
            data: { round, policy, closedWithoutCheck: closesOnSubmit },
            photos: { ids: photoIds, role: 'after' },
            after: async (em3, eventId) => {
              await em3.query(
                'INSERT INTO task_submissions (task_id, round, description, event_id, created_at) VALUES ($1, $2, $3, $4, $5)',
                [t.id, round, dto.description.trim(), eventId, now],
              );
            },
          };
        },
      });
    });
  }

  check(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.CheckDto,
  ): Promise<TaskDetailDto> {
    const pass = dto.result === 'pass';
    return this.run(p, id, version, {
      action: pass ? 'check_pass' : 'check_fail',
      effect: async (t, em, now) => {
        await this.attachments.assertUsable(em, dto.photoIds ?? [], p, 'photoIds');
        const [submission] = (await em.query(
          'SELECT id, created_at FROM task_submissions WHERE task_id = $1 ORDER BY round DESC LIMIT 1',
          [t.id],
        )) as { id: string; created_at: Date }[];
        const record = async (em2: EntityManager, eventId: string): Promise<void> => {
          await em2.query(
            'INSERT INTO task_checks (task_id, submission_id, result, note, event_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
            [t.id, submission.id, dto.result, dto.note ?? null, eventId, now],
          );
        };
        const photos = { ids: dto.photoIds ?? [], role: 'check' as const };
        if (pass) {
          // The accepted submission against the 考核时限, not the rework deadline.
          const onTime = onTimeAt(t, submission.created_at);
          return {
            set: { closed_at: now, closed_on_time: onTime, closed_unverified: false },
            note: dto.note,
            data: { result: 'pass', submittedAt: submission.created_at.toISOString() },
            photos,
            after: record,
          };
        }
        const deadline = await this.newDeadline(em, t, now, dto.deadline, 'deadline');
        return {
          set: {
            assigned_at: now,
            deadline,
            deadline_overridden: !!dto.deadline,
            rework_count: () => 'rework_count + 1',
          },
          note: dto.note,
          data: { result: 'fail', deadline: deadline.toISOString() },
          photos,
          after: record,
        };
      },
    });
  }

  requestExtension(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.ExtensionRequestDto,
  ): Promise<TaskDetailDto> {
    return this.run(p, id, version, {
      action: 'request_extension',
      effect: async (t) => {
        const requested = parseInstant(dto.requestedDeadline);
        if (!t.deadline || requested <= t.deadline) {
          throw new DomainError(
            'invalid',
            TaskErrorCode.INVALID_DEADLINE,
            'requestedDeadline: 申请的时限必须晚于当前时限',
            {
              errors: [
                {
                  field: 'requestedDeadline',
                  code: 'afterCurrentDeadline',
                  message: '申请的时限必须晚于当前时限',
                },
              ],
            },
          );
        }
        return {
          note: dto.reason,
          data: {
            requestedDeadline: requested.toISOString(),
            currentDeadline: t.deadline.toISOString(),
          },
          after: async (em, eventId) => {
            await em.query(
              `INSERT INTO extension_requests (task_id, requested_deadline, reason, status, request_event_id) VALUES ($1, $2, $3, 'pending', $4)`,
              [t.id, requested, dto.reason.trim(), eventId],
            );
          },
        };
      },
    });
  }

  decideExtension(
    p: Principal,
    id: string,
    requestId: string,
    version: number | undefined,
    dto: A.ExtensionDecisionDto,
  ): Promise<TaskDetailDto> {
    return this.run(p, id, version, {
      action: dto.approve ? 'approve_extension' : 'refuse_extension',
      effect: async (t, em, now) => {
        const [req] = (await em.query(
          `SELECT id, requested_deadline FROM extension_requests WHERE id = $1 AND task_id = $2 AND status = 'pending'`,
          [requestId, t.id],
        )) as { id: string; requested_deadline: Date }[];
        if (!req)
          throw new DomainError(
            'not_found',
            TaskErrorCode.REQUEST_NOT_FOUND,
            '延期申请不存在或已处理',
          );
        const granted = dto.approve
          ? dto.deadline
            ? this.tasks.futureDeadline(dto.deadline, now, 'deadline')
            : req.requested_deadline
          : null;
        const decide = async (em2: EntityManager, eventId: string): Promise<void> => {
          await em2.query(
            `UPDATE extension_requests SET status = $2, granted_deadline = $3, decision_note = $4, decision_event_id = $5, decided_at = $6 WHERE id = $1`,
            [req.id, dto.approve ? 'approved' : 'refused', granted, dto.note ?? null, eventId, now],
          );
        };
        if (!granted)
          return { note: dto.note, data: { requestId: req.id, approved: false }, after: decide };
        return {
          set: { deadline: granted, extension_count: () => 'extension_count + 1' },
          note: dto.note,
          // The deadline history: every change of the deadline is an event with from and to.
          data: {
            requestId: req.id,
            approved: true,
            deadlineFrom: t.deadline?.toISOString(),
            deadlineTo: granted.toISOString(),
          },
          after: decide,
        };
      },
    });
  }

  dispute(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.DisputeDto,
  ): Promise<TaskDetailDto> {
    return this.run(p, id, version, {
      action: 'dispute',
      effect: async (t) => ({
        note: dto.reason,
        after: async (em, eventId) => {
          await em.query(
            `INSERT INTO task_disputes (task_id, unit_id, reason, status, request_event_id) VALUES ($1, $2, $3, 'pending', $4)`,
            [t.id, t.unit_id, dto.reason.trim(), eventId],
          );
        },
      }),
    });
  }

  decideDispute(
    p: Principal,
    id: string,
    disputeId: string,
    version: number | undefined,
    dto: A.DisputeDecisionDto,
  ): Promise<TaskDetailDto> {
    return this.run(p, id, version, {
      action: dto.uphold ? 'uphold_dispute' : 'reject_dispute',
      effect: async (t, em, now) => {
        const [d] = (await em.query(
          `SELECT id FROM task_disputes WHERE id = $1 AND task_id = $2 AND status = 'pending'`,
          [disputeId, t.id],
        )) as { id: string }[];
        if (!d)
          throw new DomainError('not_found', TaskErrorCode.REQUEST_NOT_FOUND, '申诉不存在或已处理');
        const decide = async (em2: EntityManager, eventId: string): Promise<void> => {
          await em2.query(
            `UPDATE task_disputes SET status = $2, decision_note = $3, decision_event_id = $4, decided_at = $5 WHERE id = $1`,
            [d.id, dto.uphold ? 'upheld' : 'rejected', dto.note ?? null, eventId, now],
          );
        };
        return {
          set: dto.uphold
            ? { unit_id: null, assigned_at: null, deadline: null, deadline_overridden: false }
            : {},
          note: dto.note,
          data: { disputeId: d.id, upheld: dto.uphold, unitId: t.unit_id },
          after: decide,
        };
      },
    });
  }

  hold(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.HoldDto,
  ): Promise<TaskDetailDto> {
    return this.run(p, id, version, {
      action: 'hold',
      effect: async () => ({
        set: { hold_reason: dto.reason.trim(), hold_review_on: dto.reviewOn },
        note: dto.reason,
        data: { reviewOn: dto.reviewOn },
      }),
    });
  }

  resume(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.ResumeDto,
  ): Promise<TaskDetailDto> {
    return this.run(p, id, version, {
      action: 'resume',
      effect: async (t, em, now) => {
        const deadline = await this.newDeadline(em, t, now, dto.deadline, 'deadline');
        return {
          set: {
            assigned_at: now,
            deadline,
            deadline_overridden: !!dto.deadline,
            hold_reason: null,
            hold_review_on: null,
          },
          note: dto.note,
          data: { deadline: deadline.toISOString() },
        };
      },
    });
  }

  cancel(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.CancelDto,
  ): Promise<TaskDetailDto> {
    return this.run(p, id, version, {
      action: 'cancel',
      effect: async (_t, _em, now) => ({ set: { cancelled_at: now }, note: dto.reason }),
    });
  }

  markDuplicate(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.DuplicateDto,
  ): Promise<TaskDetailDto> {
    // Both rows are locked first, in id order: marking A a duplicate of B while B is being marked
    // a duplicate of A otherwise deadlocks (each holds its task and waits on the other's foreign
    // key check). The second now waits, sees the first cancelled, and is refused.
    return this.run(
      p,
      id,
      version,
      {
        action: 'mark_duplicate',
        effect: async (t, em, now) => {
          const [other] = (await em.query('SELECT id, number, status FROM tasks WHERE id = $1', [
            dto.duplicateOfId,
          ])) as {
            id: string;
            number: string;
            status: TaskStatus;
          }[];
          if (!other || other.id === t.id || other.status === 'cancelled') {
            throw invalidField(
              'duplicateOfId',
              '被重复的任务不存在、已撤销或就是本任务',
              'duplicateTarget',
            );
          }
          return {
            set: { cancelled_at: now, duplicate_of_id: other.id },
            note: dto.note,
            data: { duplicateOf: other.number },
          };
        },
      },
      [dto.duplicateOfId],
    );
  }

  reopen(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.ReopenDto,
  ): Promise<TaskDetailDto> {
    return this.run(p, id, version, {
      action: 'reopen',
      effect: async (t, em, now) => {
        await this.attachments.assertUsable(em, dto.photoIds ?? [], p, 'photoIds');
        const deadline = await this.newDeadline(em, t, now, dto.deadline, 'deadline');
        return {
          set: {
            assigned_at: now,
            deadline,
            deadline_overridden: !!dto.deadline,
            closed_at: null,
            closed_on_time: null,
            closed_unverified: null,
            reopen_count: () => 'reopen_count + 1',
          },
          note: dto.reason,
          data: { deadline: deadline.toISOString() },
          photos: { ids: dto.photoIds ?? [], role: 'before' },
        };
      },
    });
  }

  overrideDeadline(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.DeadlineOverrideDto,
  ): Promise<TaskDetailDto> {
    return this.run(p, id, version, {
      action: 'override_deadline',
      effect: async (t, _em, now) => {
        const deadline = this.tasks.futureDeadline(dto.deadline, now, 'deadline');
        return {
          set: { deadline, deadline_overridden: true },
          note: dto.reason,
          data: { deadlineFrom: t.deadline?.toISOString(), deadlineTo: deadline.toISOString() },
        };
      },
    });
  }

  /** Office setting outside the lifecycle: the verification policy of one task. */
  async updateSettings(
    p: Principal,
    id: string,
    version: number | undefined,
    dto: A.TaskSettingsDto,
  ): Promise<TaskDetailDto> {
    if (p.role !== 'admin')
      throw new DomainError('forbidden', CommonErrorCode.FORBIDDEN, '无权执行此操作');
    if (version === undefined) throw versionRequired();
    return this.tx.withTransaction(async (em) => {
      const t = await this.lock(em, p, id);
      if (t.version !== version) throw this.versionConflict(t.version);
      if (dto.verificationPolicy !== undefined) {
        await em.query(
          'UPDATE tasks SET verification_policy = $2, version = version + 1, updated_at = $3 WHERE id = $1',
          [id, dto.verificationPolicy, this.clock.now()],
        );
        await this.events.record(em, {
          taskId: id,
          action: 'set_verification_policy',
          from: t.status,
          to: t.status,
          actor: p,
          data: { verificationPolicy: dto.verificationPolicy },
        });
      }
      return this.reader.detail(p, id, em);
    });
  }

  private async assignTo(
    t: LockedTask,
    em: EntityManager,
    now: Date,
    dto: A.DispatchDto,
  ): Promise<Effect> {
    const unit = await this.units.lockActiveForWork(em, dto.unitId, 'unitId');
    const deadline = dto.deadline
      ? this.tasks.futureDeadline(dto.deadline, now, 'deadline')
      : this.deadlines.deadlineFrom(now, (await this.category(em, t.category_id)).deadlineRule);
    return {
      set: { unit_id: unit.id, assigned_at: now, deadline, deadline_overridden: !!dto.deadline },
      note: dto.note,
      data: {
        unitFrom: t.unit_id,
        unitTo: unit.id,
        unitName: unit.name,
        deadline: deadline.toISOString(),
      },
    };
  }

  private async newDeadline(
    em: EntityManager,
    t: LockedTask,
    now: Date,
    given: string | undefined,
    field: string,
  ): Promise<Date> {
    if (given) return this.tasks.futureDeadline(given, now, field);
    return this.deadlines.deadlineFrom(now, (await this.category(em, t.category_id)).deadlineRule);
  }

  private async category(em: EntityManager, id: string): Promise<Category> {
    const [c] = (await em.query(
      `SELECT deadline_rule AS "deadlineRule", verification_policy AS "verificationPolicy", spot_check_ratio AS "spotCheckRatio",
              requires_after_photo AS "requiresAfterPhoto" FROM categories WHERE id = $1`,
      [id],
    )) as Category[];
    return c;
  }

  private run(
    p: Principal,
    id: string,
    version: number | undefined,
    step: Step,
    alsoLock: string[] = [],
  ): Promise<TaskDetailDto> {
    return this.tx.withTransaction(async (em) => {
      if (alsoLock.length) {
        // Rows are locked in the order returned, so every transaction takes them in id order.
        await em.query('SELECT id FROM tasks WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [
          [id, ...alsoLock],
        ]);
      }
      return this.apply(em, p, await this.lock(em, p, id), version, step);
    });
  }

  /** Locks the task row, scoped: another unit's task is not found, not forbidden. */
  private async lock(em: EntityManager, p: Principal, id: string): Promise<LockedTask> {
    const scope = p.role === 'unit' ? 'AND t.unit_id = $2' : '';
    const [t] = (await em.query(
      `SELECT t.id, t.status, t.unit_id, t.category_id, t.assigned_at, t.deadline, t.assessed_deadline, t.verification_policy, t.version,
              EXISTS (SELECT 1 FROM extension_requests x WHERE x.task_id = t.id AND x.status = 'pending') AS has_pending_extension,
              EXISTS (SELECT 1 FROM task_disputes d WHERE d.task_id = t.id AND d.status = 'pending') AS has_pending_dispute
         FROM tasks t WHERE t.id = $1 ${scope} FOR UPDATE OF t`,
      p.role === 'unit' ? [id, p.unitId] : [id],
    )) as LockedTask[];
    if (!t) throw taskNotFound();
    return t;
  }

  /**
   * Extension requests and disputes are about a unit working on an assigned task. When the task
   * leaves `assigned` (submitted, parked, cancelled …) or changes unit, what is still pending
   * lapses, recorded against this event, so nothing is left that no action could decide.
   */
  private async lapsePendingRequests(
    em: EntityManager,
    t: LockedTask,
    to: TaskStatus,
    set: Record<string, unknown>,
    eventId: string,
    now: Date,
  ): Promise<void> {
    const unitChanged = 'unit_id' in set && set.unit_id !== t.unit_id;
    if (to === 'assigned' && !unitChanged) return;
    const note = '任务状态已变化，申请自动失效';
    await em.query(
      `UPDATE extension_requests SET status = 'refused', decision_note = $2, decision_event_id = $3, decided_at = $4
        WHERE task_id = $1 AND status = 'pending'`,
      [t.id, note, eventId, now],
    );
    await em.query(
      `UPDATE task_disputes SET status = 'rejected', decision_note = $2, decision_event_id = $3, decided_at = $4
        WHERE task_id = $1 AND status = 'pending'`,
      [t.id, note, eventId, now],
    );
  }

  private versionConflict(current: number): DomainError {
    return new DomainError(
      'conflict',
      TaskErrorCode.VERSION_CONFLICT,
      '任务已被他人更新，请刷新后重试',
      { currentVersion: current },
    );
  }

  private async apply(
    em: EntityManager,
    p: Principal,
    t: LockedTask,
    version: number | undefined,
    step: Step,
  ): Promise<TaskDetailDto> {
    const lifecycleTask = {
      status: t.status,
      unitId: t.unit_id,
      hasPendingExtension: t.has_pending_extension,
      hasPendingDispute: t.has_pending_dispute,
    };
    const decision = decideTransition(step.action, lifecycleTask, p, {
      closesOnSubmit: step.closesOnSubmit,
    });
    if (!decision.ok && decision.reason === 'not_visible') throw taskNotFound();
    if (!decision.ok && decision.reason === 'forbidden') {
      throw new DomainError('forbidden', CommonErrorCode.FORBIDDEN, decision.message);
    }
    if (version === undefined) throw versionRequired();
    if (t.version !== version) throw this.versionConflict(t.version);
    if (!decision.ok) {
      const code =
        decision.reason === 'guard'
          ? TaskErrorCode.TRANSITION_BLOCKED
          : TaskErrorCode.ILLEGAL_TRANSITION;
      throw new DomainError('conflict', code, decision.message, {
        status: t.status,
        action: step.action,
      });
    }
    const now = this.clock.now();
    const effect = await step.effect(t, em, now);
    const set: Record<string, unknown> = { ...effect.set, status: decision.to };
    if ('deadline' in set && !REWORK_ACTIONS.includes(step.action)) {
      set.assessed_deadline = set.deadline;
    }
    const assignments: string[] = [];
    const params: unknown[] = [t.id];
    for (const [column, value] of Object.entries(set)) {
      if (typeof value === 'function') assignments.push(`${column} = ${(value as () => string)()}`);
      else {
        params.push(value);
        assignments.push(`${column} = $${params.length}`);
      }
    }
    params.push(now);
    await em.query(
      `UPDATE tasks SET ${assignments.join(', ')}, version = version + 1, updated_at = $${params.length} WHERE id = $1`,
      params,
    );
    const eventId = await this.events.record(em, {
      taskId: t.id,
      action: step.action,
      from: t.status,
      to: decision.to,
      actor: p,
      note: effect.note ?? null,
      // The unit the event concerns, as it is after the event: notifications go to that unit
      // even if the task has moved on by the time the worker handles the event.
      data: { unitId: 'unit_id' in set ? set.unit_id : t.unit_id, ...effect.data },
      photos: effect.photos,
    });
    await effect.after?.(em, eventId);
    await this.lapsePendingRequests(em, t, decision.to, set, eventId, now);
    return this.reader.detail(p, t.id, em);
  }
}
