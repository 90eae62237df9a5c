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
import { oneOf } from '../database/check-expression.js';
import { User } from '../users/user.entity.js';

export const PLAN_PERIOD_KINDS = ['week', 'month'] as const;
export type PlanPeriodKind = (typeof PLAN_PERIOD_KINDS)[number];

/** A week is Monday to Sunday, a month a calendar month, both in Shanghai days. */
export const PLAN_PERIOD_CHECK = `(period_kind = 'week' AND extract(isodow FROM period_start) = 1
            AND period_end = period_start + 6)
          OR (period_kind = 'month' AND extract(day FROM period_start) = 1
            AND period_end = (period_start + interval '1 month' - interval '1 day')::date)`;

/**
 * 督导计划: the 点位 the office asks one inspector to visit in a week or a month. Its sites are
 * rows of `inspection_plan_sites` (no entity, as `inspection_sites`), read and written through
 * src/plans/plans.repository.ts.
 */
@Entity('inspection_plans')
@Check('ck_inspection_plans_period_kind', oneOf('period_kind', PLAN_PERIOD_KINDS))
@Check('ck_inspection_plans_period', PLAN_PERIOD_CHECK)
@Unique('uq_inspection_plans_inspector_period', ['inspectorId', 'periodKind', 'periodStart'])
@Index('ix_inspection_plans_period', ['periodStart', 'periodEnd'])
@Index('ix_inspection_plans_created_by', ['createdBy'])
export class InspectionPlan {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' })
  @ForeignKey(() => User, { name: 'inspection_plans_inspector_id_fkey' })
  inspectorId: string;
  @Column({ type: 'varchar', length: 8 }) periodKind: PlanPeriodKind;
  /** First and last day, inclusive, Asia/Shanghai. */
  @Column({ type: 'date' }) periodStart: string;
  @Column({ type: 'date' }) periodEnd: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) note: string | null;
  @Column({ type: 'uuid' })
  @ForeignKey(() => User, { name: 'inspection_plans_created_by_fkey' })
  createdBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  /** Optimistic concurrency: an edit carries the version the office saw. */
  @Column({ type: 'int', default: 1 }) version: number;
}
