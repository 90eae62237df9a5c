import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AttachmentDto } from '../../attachments/dto/attachment.dto.js';
import { VERIFICATION_POLICIES, type VerificationPolicy } from '../../catalog/category.entity.js';
import { RAISED_ESCALATION_LEVELS, type EscalationLevel } from '../deadline/traffic-light.js';
import {
  EVIDENCE_FLAG_REASONS,
  type CaptureSource,
  type EvidenceFlagReason,
} from '../evidence/evidence-rules.js';
import {
  TASK_ACTIONS,
  TASK_STATUSES,
  type TaskAction,
  type TaskStatus,
} from '../task-lifecycle.js';

export class RefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class TaskCategoryRefDto extends RefDto {
  @ApiProperty() code: string;
  @ApiProperty() measureWord: string;
}

/** Derived from the deadline and the clock at response time; only for tasks with a unit working on them. */
export class TaskTimingDto {
  @ApiProperty({ enum: ['green', 'yellow', 'red'], example: 'yellow' }) light:
    'green' | 'yellow' | 'red';
  @ApiProperty({ example: false }) overdue: boolean;
  @ApiProperty({ description: 'Hours past the deadline, 0 if not overdue', example: 0 })
  overdueHours: number;
  @ApiProperty({
    enum: ['none', ...RAISED_ESCALATION_LEVELS],
    description: '提醒, 督办, 通报',
    example: 'reminder',
  })
  escalation: EscalationLevel;
  @ApiProperty({ description: 'Share of the allowed time used', example: 0.85 })
  fractionUsed: number;
}

export class TaskSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ZG-2026-000123' }) number: string;
  @ApiProperty({ enum: TASK_STATUSES, example: 'assigned' }) status: TaskStatus;
  @ApiProperty({
    example: '整改中',
    description: 'The status as the office names it (待派遣, 整改中 …)',
  })
  statusLabel: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) inspectionId: string | null;
  @ApiProperty({ type: TaskCategoryRefDto }) category: TaskCategoryRefDto;
  @ApiProperty({ type: RefDto, nullable: true }) site: RefDto | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: Number }) lat: number | null;
  @ApiProperty({ nullable: true, type: Number }) lng: number | null;
  @ApiProperty() description: string;
  @ApiProperty({ type: RefDto, nullable: true }) unit: RefDto | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) assignedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deadline: string | null;
  @ApiProperty() deadlineOverridden: boolean;
  @ApiProperty({
    enum: VERIFICATION_POLICIES,
    description: 'Effective policy (task override or category)',
  })
  verificationPolicy: VerificationPolicy;
  @ApiProperty() reworkCount: number;
  @ApiProperty() reopenCount: number;
  @ApiProperty() extensionCount: number;
  @ApiProperty({ nullable: true, type: String }) holdReason: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date', example: null }) holdReviewOn:
    string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) duplicateOfId: string | null;
  @ApiProperty({
    description:
      '反弹: logged near a task of its category closed in the recurrence window (see recurrenceOf in the detail)',
  })
  isRecurrence: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) closedOnTime: boolean | null;
  @ApiProperty({ nullable: true, type: Boolean, description: 'Closed without an on-site check' })
  closedUnverified: boolean | null;
  @ApiProperty({
    format: 'date-time',
    description: '发现时间: when the problem was found (as reported), not when the server got it',
  })
  foundAt: string;
  @ApiProperty({
    example: 'inspection',
    description: '来源: a code of GET /sources (督导检查 = inspection, 12345 = hotline …)',
  })
  source: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The import (导入问题清单) that created the task',
  })
  importBatchId: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      '签收时间: when the unit signed for its current assignment (null: not signed, or 签收 not required)',
  })
  acknowledgedAt: string | null;
  @ApiProperty({
    description: '待签收: 签收 is required and the unit has not yet signed for this assigned task',
  })
  awaitingAcknowledgement: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
  @ApiProperty({ type: TaskTimingDto, nullable: true }) timing: TaskTimingDto | null;
}

export class PendingRequestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() reason: string;
  @ApiPropertyOptional({ format: 'date-time' }) requestedDeadline?: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** A photo of the task (整改前 / 整改后 / 复查) with what it and its uploader said about its capture. */
export class TaskPhotoDto extends AttachmentDto {
  @ApiProperty({ enum: ['before', 'after', 'check'] }) role: 'before' | 'after' | 'check';
}

/** 照片存疑: one doubt about one after-photo (informs, never blocks). */
export class EvidenceFlagDto {
  @ApiProperty({ format: 'uuid' }) attachmentId: string;
  @ApiProperty({
    enum: EVIDENCE_FLAG_REASONS,
    description:
      'taken_before_assignment 拍摄早于派遣, too_far 拍摄地点过远, no_capture_data 无拍摄信息',
  })
  reason: EvidenceFlagReason;
  @ApiProperty({
    enum: ['exif', 'declared'],
    nullable: true,
    type: String,
    description: 'Which source the judged fact came from: the photo (EXIF) or the client',
  })
  source: CaptureSource | null;
  @ApiProperty({ example: '拍摄地点距任务位置约 1200 米（照片EXIF），超过 300 米' }) detail: string;
  @ApiPropertyOptional({ format: 'date-time' }) capturedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) assignedAt?: string;
  @ApiPropertyOptional({ example: 1200 }) distanceM?: number;
  @ApiPropertyOptional({ example: 300 }) maxDistanceM?: number;
}

/**
 * 反弹: the closed task this one repeats. A caller who may not see that task (a unit, when the
 * earlier task was another unit's) gets its number and the distance only: `id` and `closedAt`
 * are null.
 */
export class RecurrenceOfDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) id: string | null;
  @ApiProperty({ example: 'ZG-2026-000101' }) number: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 12.5,
    description: 'Metres between the two; null when matched by the same 点位 without positions',
  })
  distanceM: number | null;
}

/** 反弹: a later task that repeats this one. Another unit's: number and time only. */
export class RecurrenceRefDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) id: string | null;
  @ApiProperty({ example: 'ZG-2026-000140' }) number: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ enum: TASK_STATUSES, nullable: true, type: String }) status: TaskStatus | null;
}

export class TaskDetailDto extends TaskSummaryDto {
  @ApiProperty({ type: [String], format: 'uuid' }) beforePhotoIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) afterPhotoIds: string[];
  @ApiProperty({
    type: [TaskPhotoDto],
    description: 'Every photo of the task (before, after, check) with its capture facts',
  })
  photos: TaskPhotoDto[];
  @ApiProperty({
    type: [EvidenceFlagDto],
    description:
      '照片存疑 of the submission awaiting 复查 or accepted at closure (empty otherwise, and when none)',
  })
  evidenceFlags: EvidenceFlagDto[];
  @ApiProperty({ type: PendingRequestDto, nullable: true })
  pendingExtension: PendingRequestDto | null;
  @ApiProperty({ type: PendingRequestDto, nullable: true })
  pendingDispute: PendingRequestDto | null;
  @ApiProperty({
    type: RecurrenceOfDto,
    nullable: true,
    description: '反弹: the closed task this problem came back after',
  })
  recurrenceOf: RecurrenceOfDto | null;
  @ApiProperty({
    type: [RecurrenceRefDto],
    description: '反弹: later problems logged as recurrences of this task, oldest first',
  })
  recurrences: RecurrenceRefDto[];
  @ApiProperty({ enum: TASK_ACTIONS, isArray: true, description: 'What the caller may do now' })
  actions: TaskAction[];
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskSummaryDto] }) items: TaskSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class TaskEventDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'dispatch' }) action: string;
  @ApiProperty({ enum: TASK_STATUSES, nullable: true, example: 'pending_dispatch' })
  fromStatus: TaskStatus | null;
  @ApiProperty({ enum: TASK_STATUSES, example: 'assigned' }) toStatus: TaskStatus;
  @ApiProperty({ enum: ['user', 'api_key', 'system'] }) actorKind: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty() actorName: string;
  @ApiProperty({ nullable: true, type: String }) actorRole: string | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty({ type: [String], format: 'uuid' }) attachmentIds: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class TaskEventListDto {
  @ApiProperty({ type: [TaskEventDto] }) items: TaskEventDto[];
}
