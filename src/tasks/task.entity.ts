import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import {
  Category,
  VERIFICATION_POLICIES,
  type VerificationPolicy,
} from '../catalog/category.entity.js';
import { Site } from '../catalog/site.entity.js';
import { oneOf } from '../database/check-expression.js';
import { ImportBatch } from '../imports/import-batch.entity.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Unit } from '../units/unit.entity.js';
import { User } from '../users/user.entity.js';
import { TASK_STATUSES, type TaskStatus } from './task-lifecycle.js';

/**
 * 问题/整改任务: one problem found on a visit, and the responsible unit's job of fixing it.
 * Overdue, the traffic light and the escalation level are derived from `assignedAt`, `deadline`
 * and the clock, never stored.
 */
@Entity('tasks')
@Unique('uq_tasks_number', ['number'])
@Check('tasks_lat_check', 'lat BETWEEN -90 AND 90')
@Check('tasks_lng_check', 'lng BETWEEN -180 AND 180')
@Check('tasks_status_check', oneOf('status', TASK_STATUSES))
@Check('tasks_verification_policy_check', oneOf('verification_policy', VERIFICATION_POLICIES))
@Check('ck_tasks_where', 'site_id IS NOT NULL OR address IS NOT NULL')
@Check(
  'ck_tasks_assigned',
  "status IN ('pending_dispatch', 'cancelled') OR (unit_id IS NOT NULL AND deadline IS NOT NULL AND assigned_at IS NOT NULL)",
)
@Check('ck_tasks_closed', "(status = 'closed') = (closed_at IS NOT NULL)")
@Check('ck_tasks_not_self_duplicate', 'duplicate_of_id <> id')
@Check(
  'ck_tasks_acknowledged_by',
  "(acknowledged_at IS NULL AND acknowledged_by_kind IS NULL AND acknowledged_by_id IS NULL) OR (acknowledged_at IS NOT NULL AND acknowledged_by_kind IN ('user', 'api_key') AND acknowledged_by_id IS NOT NULL)",
)
@Index('ix_tasks_status_deadline', ['status', 'deadline', 'id'])
@Index('ix_tasks_unit_status_deadline', ['unitId', 'status', 'deadline', 'id'])
@Index('ix_tasks_deadline', ['deadline', 'id'])
@Index('ix_tasks_assessed_deadline', ['assessedDeadline', 'id'])
@Index('ix_tasks_closed_at', ['closedAt', 'id'], { where: 'closed_at IS NOT NULL' })
@Index('ix_tasks_site_id', ['siteId'])
@Index('ix_tasks_inspection_id', ['inspectionId'])
@Index('ix_tasks_duplicate_of_id', ['duplicateOfId'], { where: 'duplicate_of_id IS NOT NULL' })
@Index('ix_tasks_created_by', ['createdBy'])
@Index('ix_tasks_recurrence_of', ['recurrenceOfId'], { where: 'recurrence_of_id IS NOT NULL' })
@Index('ix_tasks_import_batch_id', ['importBatchId'], { where: 'import_batch_id IS NOT NULL' })
// "Open tasks of this category near here" (duplicate hint): category, then a latitude band.
@Index('ix_tasks_open_category_position', ['categoryId', 'lat', 'lng'], {
  where: "status IN ('pending_dispatch', 'assigned', 'submitted', 'on_hold') AND lat IS NOT NULL",
})
// "Closed tasks of this category near here" (反弹): by position, and by site for tasks without one.
@Index('ix_tasks_closed_category_position', ['categoryId', 'lat', 'lng'], {
  where: "status = 'closed' AND lat IS NOT NULL",
})
@Index('ix_tasks_closed_category_site', ['categoryId', 'siteId'], {
  where: "status = 'closed' AND site_id IS NOT NULL",
})
// Descending keys (keyset orders of the list) and the trigram expression index: TypeORM cannot
// describe them, so it leaves them alone; their definitions are in the migration.
@Index('ix_tasks_created', { synchronize: false })
@Index('ix_tasks_unit_created', { synchronize: false })
@Index('ix_tasks_category_id', { synchronize: false })
@Index('ix_tasks_text', { synchronize: false })
// The map's bounding-box index: GiST over point(lng, lat), partial (migration 1764300000000).
@Index('ix_tasks_position', { synchronize: false })
@Index('ix_tasks_site_unpositioned', { synchronize: false })
// 待签收: unit and when the unit got the task (an expression), for the unsigned assigned tasks.
@Index('ix_tasks_unsigned', { synchronize: false })
export class RectificationTask {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Human number, `ZG-2026-000123`: sequential per year, no gaps. */
  @Column({ type: 'varchar', length: 20 }) number: string;
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => Inspection, { name: 'tasks_inspection_id_fkey' })
  inspectionId: string | null;
  @Column({ type: 'uuid' })
  @ForeignKey(() => Category, { name: 'tasks_category_id_fkey' })
  categoryId: string;
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => Site, { name: 'tasks_site_id_fkey' })
  siteId: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) address: string | null;
  @Column({ type: 'double precision', nullable: true }) lat: number | null;
  @Column({ type: 'double precision', nullable: true }) lng: number | null;
  @Column({ type: 'text' }) description: string;
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => Unit, { name: 'tasks_unit_id_fkey' })
  unitId: string | null;
  @Column({ type: 'varchar', length: 20 }) status: TaskStatus;
  /** Start of the current deadline window (dispatch, rework, resume, reopen). */
  @Column({ type: 'timestamptz', nullable: true }) assignedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) deadline: Date | null;
  /**
   * 考核时限: the deadline the unit is judged by (digest, closed_on_time). Set with `deadline` on
   * assignment and by the office (approved 延期, override, resume from 挂账); 返工 and 反弹 move
   * `deadline` only, so the first round's lateness stays.
   */
  @Column({ type: 'timestamptz', nullable: true }) assessedDeadline: Date | null;
  @Column({ type: 'boolean', default: false }) deadlineOverridden: boolean;
  /** The office's override of the category's verification policy for this task. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  verificationPolicy: VerificationPolicy | null;
  @Column({ type: 'int', default: 0 }) reworkCount: number;
  @Column({ type: 'int', default: 0 }) reopenCount: number;
  @Column({ type: 'int', default: 0 }) extensionCount: number;
  @Column({ type: 'text', nullable: true }) holdReason: string | null;
  @Column({ type: 'date', nullable: true }) holdReviewOn: string | null;
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => RectificationTask, { name: 'tasks_duplicate_of_id_fkey' })
  duplicateOfId: string | null;
  /**
   * 反弹: the closed task of the same category near which this problem was logged within the
   * recurrence window (src/tasks/recurrence/), set once at creation.
   */
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => RectificationTask, { name: 'fk_tasks_recurrence_of' })
  recurrenceOfId: string | null;
  @Column({ type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ type: 'boolean', nullable: true }) closedOnTime: boolean | null;
  /** Closed on the unit's word alone (self_close, or not drawn for a spot check). */
  @Column({ type: 'boolean', nullable: true }) closedUnverified: boolean | null;
  @Column({ type: 'timestamptz', nullable: true }) cancelledAt: Date | null;
  @Column({ type: 'uuid' })
  @ForeignKey(() => User, { name: 'tasks_created_by_fkey' })
  createdBy: string;
  /** When the problem was found (the phone's time, checked), distinct from `createdAt`. */
  @Column({ type: 'timestamptz', default: () => 'now()' }) foundAt: Date;
  /** 来源: a code from config/sources.json (督导检查 = 'inspection', 暗访, 12345 …). */
  @Column({ type: 'varchar', length: 32, default: 'inspection' }) source: string;
  /** The import (导入问题清单) that created the task, if one did. */
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => ImportBatch, { name: 'tasks_import_batch_id_fkey' })
  importBatchId: string | null;
  /** 签收: when the current unit signed for the task, and who (a user or the unit's API key). */
  @Column({ type: 'timestamptz', nullable: true }) acknowledgedAt: Date | null;
  @Column({ type: 'varchar', length: 8, nullable: true }) acknowledgedByKind:
    'user' | 'api_key' | null;
  @Column({ type: 'uuid', nullable: true }) acknowledgedById: string | null;
  /** When the task came to its current unit (派遣, 改派); null: with it since its creation. */
  @Column({ type: 'timestamptz', nullable: true }) unitAssignedAt: Date | null;
  /** The deadline scan escalated it as 超时未签收 (once per assignment). */
  @Column({ type: 'timestamptz', nullable: true }) acknowledgementEscalatedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  /** Optimistic concurrency: every transition carries the version the client saw. */
  @Column({ type: 'int', default: 1 }) version: number;
}
