import { Inject, Injectable } from '@nestjs/common';
import { AttachmentsService } from '../../attachments/attachments.service.js';
import { CategoriesService } from '../../catalog/categories.service.js';
import type { Principal } from '../../common/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import {
  insertCheck,
  insertSubmission,
  latestSubmission,
  nextSubmissionRound,
} from '../data/task-work.repository.js';
import type { CategoryRules } from '../data/tasks.repository.js';
import { DeadlineService } from '../deadline/deadline.service.js';
import { judgeAfterPhotos } from '../evidence/evidence-rules.js';
import type * as A from '../dto/task-actions.dto.js';
import type { TaskDetailDto } from '../dto/task-output.dto.js';
import { SpotCheckSampler } from '../spot-check.sampler.js';
import { afterPhotoRequired } from '../task-errors.js';
import { workingDeadline } from './deadline-input.js';
import { AcknowledgementPolicy } from '../acknowledgement/acknowledgement-policy.js';
import { signedBy, signingData } from './acknowledgement.js';
import { onTimeAt } from './task-step.js';
import { TransitionRunner } from './transition-runner.js';

type Version = number | undefined;

/** 整改反馈 and 复查: the unit reports its fix; an inspector or the office checks it. */
@Injectable()
export class SubmissionActions {
  constructor(
    private readonly runner: TransitionRunner,
    private readonly deadlines: DeadlineService,
    private readonly attachments: AttachmentsService,
    @Inject(SpotCheckSampler) private readonly sampler: SpotCheckSampler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly acknowledgement: AcknowledgementPolicy,
    private readonly categories: CategoriesService,
  ) {}

  /**
   * The unit's report with after-photos. It closes the task at once where the category needs
   * no check (免复查) or the spot check does not draw it; then "on time" is decided here, from
   * this submission. Its photos are judged (照片存疑: taken before the assignment, too far from
   * the task, no capture time; evidence-rules.ts): the flags go on the submission and its event,
   * and never stop it.
   */
  submit(p: Principal, id: string, version: Version, dto: A.SubmissionDto): Promise<TaskDetailDto> {
    const photoIds = dto.afterPhotoIds ?? [];
    let category: CategoryRules;
    let policy: CategoryRules['verification_policy'];
    let closesOnSubmit = false;
    return this.runner.run(p, id, version, {
      action: 'submit',
      context: async ({ em, task }) => {
        const c = await this.categories.rulesOf(task.category_id, em);
        category = {
          deadline_rule: c.deadlineRule,
          verification_policy: c.verificationPolicy,
          spot_check_ratio: c.spotCheckRatio,
          requires_after_photo: c.requiresAfterPhoto,
        };
        policy = task.verification_policy ?? category.verification_policy;
        closesOnSubmit =
          policy === 'self_close' ||
          (policy === 'spot_check' && !this.sampler.drawn(category.spot_check_ratio ?? 1));
        return { closesOnSubmit };
      },
      effect: async ({ db, em, task, now }) => {
        if (category.requires_after_photo && photoIds.length === 0) throw afterPhotoRequired();
        const photos = await this.attachments.assertUsable(em, photoIds, p, 'afterPhotoIds');
        const evidenceFlags = judgeAfterPhotos(
          photos.map((a) => ({
            attachmentId: a.id,
            exif: { capturedAt: a.exifCapturedAt, lat: a.exifLat, lng: a.exifLng },
            declared: { capturedAt: a.declaredCapturedAt, lat: a.declaredLat, lng: a.declaredLng },
          })),
          { assignedAt: task.assigned_at, lat: task.lat, lng: task.lng },
          this.config.evidence.maxDistanceM,
        );
        const round = await nextSubmissionRound(db, task.id);
        // Reporting the work signs for it: a unit that never pressed 签收 did take the task.
        const signs = this.acknowledgement.stateOf(task.acknowledged_at) === 'awaited';
        return {
          patch: {
            ...(closesOnSubmit
              ? { closed_at: now, closed_on_time: onTimeAt(task, now), closed_unverified: true }
              : {}),
            ...(signs ? signedBy(p, now) : {}),
          },
          note: dto.description,
          data: {
            round,
            policy,
            closedWithoutCheck: closesOnSubmit,
            evidenceFlags,
            ...(signs ? { acknowledged: signingData(task, now) } : {}),
          },
          photos: { ids: photoIds, role: 'after' },
          after: (db2, eventId) =>
            insertSubmission(db2, {
              taskId: task.id,
              round,
              description: dto.description.trim(),
              eventId,
              at: now,
              evidenceFlags,
            }),
        };
      },
    });
  }

  /**
   * 复查 of the latest submission. Pass closes it (销号), on time when that submission met the
   * 考核时限 — the unit's work is judged, not the checker's speed; fail returns it for 返工.
   */
  check(p: Principal, id: string, version: Version, dto: A.CheckDto): Promise<TaskDetailDto> {
    const pass = dto.result === 'pass';
    return this.runner.run(p, id, version, {
      action: pass ? 'check_pass' : 'check_fail',
      effect: async ({ db, em, task, now }) => {
        await this.attachments.assertUsable(em, dto.photoIds ?? [], p, 'photoIds');
        const submission = await latestSubmission(db, task.id);
        if (!submission) throw new Error(`task ${task.id} is submitted without a submission`);
        const common = {
          note: dto.note,
          photos: { ids: dto.photoIds ?? [], role: 'check' as const },
          after: (db2: typeof db, eventId: string) =>
            insertCheck(db2, {
              taskId: task.id,
              submissionId: submission.id,
              result: dto.result,
              note: dto.note ?? null,
              eventId,
              at: now,
            }),
        };
        if (pass) {
          return {
            ...common,
            patch: {
              closed_at: now,
              closed_on_time: onTimeAt(task, submission.created_at),
              closed_unverified: false,
            },
            data: { result: 'pass', submittedAt: submission.created_at.toISOString() },
          };
        }
        const deadline = await workingDeadline(
          this.categories,
          em,
          this.deadlines,
          task.category_id,
          now,
          dto.deadline,
        );
        return {
          ...common,
          patch: { assigned_at: now, deadline, deadline_overridden: !!dto.deadline },
          increment: 'rework_count',
          data: { result: 'fail', deadline: deadline.toISOString() },
        };
      },
    });
  }
}
