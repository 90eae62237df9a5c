import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { VerificationPolicy } from '../catalog/category.entity.js';
import type { TaskStatus } from './task-lifecycle.js';

/**
 * 问题/整改任务: one problem found on a visit, and the responsible unit's job of fixing it.
 * Overdue, the traffic light and the escalation level are derived from `assignedAt`, `deadline`
 * and the clock, never stored.
 */
@Entity('tasks')
export class RectificationTask {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Human number, `ZG-2026-000123`: sequential per year, no gaps. */
  @Column({ type: 'varchar', length: 20 }) number: string;
  @Column({ type: 'uuid', nullable: true }) inspectionId: string | null;
  @Column({ type: 'uuid' }) categoryId: string;
  @Column({ type: 'uuid', nullable: true }) siteId: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) address: string | null;
  @Column({ type: 'double precision', nullable: true }) lat: number | null;
  @Column({ type: 'double precision', nullable: true }) lng: number | null;
  @Column({ type: 'text' }) description: string;
  @Column({ type: 'uuid', nullable: true }) unitId: string | null;
  @Column({ type: 'varchar', length: 20 }) status: TaskStatus;
  /** Start of the current deadline window (dispatch, rework, resume, reopen). */
  @Column({ type: 'timestamptz', nullable: true }) assignedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) deadline: Date | null;
  @Column({ type: 'boolean', default: false }) deadlineOverridden: boolean;
  /** The office's override of the category's verification policy for this task. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  verificationPolicy: VerificationPolicy | null;
  @Column({ type: 'int', default: 0 }) reworkCount: number;
  @Column({ type: 'int', default: 0 }) reopenCount: number;
  @Column({ type: 'int', default: 0 }) extensionCount: number;
  @Column({ type: 'text', nullable: true }) holdReason: string | null;
  @Column({ type: 'date', nullable: true }) holdReviewOn: string | null;
  @Column({ type: 'uuid', nullable: true }) duplicateOfId: string | null;
  @Column({ type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ type: 'boolean', nullable: true }) closedOnTime: boolean | null;
  /** Closed on the unit's word alone (self_close, or not drawn for a spot check). */
  @Column({ type: 'boolean', nullable: true }) closedUnverified: boolean | null;
  @Column({ type: 'timestamptz', nullable: true }) cancelledAt: Date | null;
  @Column({ type: 'uuid' }) createdBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  /** Optimistic concurrency: every transition carries the version the client saw. */
  @Column({ type: 'int', default: 1 }) version: number;
}
