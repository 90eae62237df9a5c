import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { oneOf } from '../database/check-expression.js';
import type { DeadlineRule } from '../tasks/deadline/deadline.js';

export const VERIFICATION_POLICIES = ['on_site', 'spot_check', 'self_close'] as const;
/**
 * How a unit's submission is verified: every one checked on site (default); a random share
 * spot-checked (抽查) and the rest closed on submission; or closed on submission.
 */
export type VerificationPolicy = (typeof VERIFICATION_POLICIES)[number];

/** 问题类别, e.g. 楼道堆物 (市容环境, 处, 3 工作日). */
@Entity('categories')
@Unique('uq_categories_code', ['code'])
@Unique('uq_categories_name', ['name'])
@Check('categories_verification_policy_check', oneOf('verification_policy', VERIFICATION_POLICIES))
@Check('categories_spot_check_ratio_check', 'spot_check_ratio BETWEEN 0 AND 1')
@Check('ck_categories_quick_phrases', 'cardinality(quick_phrases) <= 20')
@Check('ck_categories_duplicate_radius_m', 'duplicate_radius_m BETWEEN 5 AND 1000')
@Check('ck_categories_recurrence_radius_m', 'recurrence_radius_m BETWEEN 0 AND 1000')
@Index('ix_categories_group_name', ['groupName'])
export class Category {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 16 }) code: string;
  @Column({ type: 'varchar', length: 50 }) name: string;
  /** Shorter name used in bulletin text, e.g. 停车秩序 for 机动车乱停放. */
  @Column({ type: 'varchar', length: 50, nullable: true }) bulletinName: string | null;
  @Column({ type: 'varchar', length: 50 }) groupName: string;
  /** 量词 used when counting this category in text: 处, 起, 条, 家 … */
  @Column({ type: 'varchar', length: 4 }) measureWord: string;
  @Column({ type: 'jsonb' }) deadlineRule: DeadlineRule;
  @Column({ type: 'varchar', length: 16, default: 'on_site' })
  verificationPolicy: VerificationPolicy;
  /** Share of submissions checked on site under `spot_check` (0–1). */
  @Column({ type: 'real', nullable: true }) spotCheckRatio: number | null;
  @Column({ type: 'boolean', default: true }) requiresAfterPhoto: boolean;
  /** Closest item of the national 数字城管 event classification, for reference. */
  @Column({ type: 'varchar', length: 50, nullable: true }) szcgItem: string | null;
  @Column({ type: 'int', default: 100 }) sortOrder: number;
  /** 常用语: phrases the phone offers for a problem's description. */
  @Column({ type: 'text', array: true, default: [] }) quickPhrases: string[];
  /** Open tasks of this category within this many metres are shown as possible duplicates. */
  @Column({ type: 'int', default: 50 }) duplicateRadiusM: number;
  /**
   * A new problem of this category within this many metres of one closed in the recurrence
   * window is a 反弹 of it; 0 turns recurrence off for the category.
   */
  @Column({ type: 'int', default: 50 }) recurrenceRadiusM: number;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
