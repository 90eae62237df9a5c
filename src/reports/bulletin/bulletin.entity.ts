import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { oneOf } from '../../database/check-expression.js';
import { User } from '../../users/user.entity.js';
import type { BulletinLetterhead, BulletinSection } from './bulletin-model.js';
import type { BulletinShape } from './bulletin-shape.js';

/**
 * `generating`: a long period's text is being written by a queued job (no edit or publication
 * until it is a draft); `draft`: editable; `published`: frozen; `withdrawn`: a draft the office
 * took back while a later issue already existed (its number is not reused; the last draft is
 * deleted instead, freeing its number).
 */
export const BULLETIN_STATUSES = ['generating', 'draft', 'published', 'withdrawn'] as const;
export type BulletinStatus = (typeof BULLETIN_STATUSES)[number];

/**
 * 工作快报, one issue (期). The generated sections are kept as generated; the office's
 * replacements are kept beside them, keyed by paragraph, so both survive editing and
 * regeneration. A published issue is frozen.
 */
@Entity('bulletins')
@Unique('uq_bulletins_issue_number', ['issueNumber'])
@Check('bulletins_issue_number_check', 'issue_number > 0')
@Check('bulletins_status_check', oneOf('status', BULLETIN_STATUSES))
@Check('ck_bulletins_period', 'period_start < period_end')
@Check('ck_bulletins_generated', "jsonb_typeof(generated) = 'array'")
@Check('ck_bulletins_edited', "jsonb_typeof(edited) = 'object'")
@Check(
  'ck_bulletins_published',
  "(status = 'published') = (published_at IS NOT NULL AND published_by IS NOT NULL)",
)
@Check('ck_bulletins_shape', "shape IS NULL OR jsonb_typeof(shape) = 'object'")
@Check('ck_bulletins_letterhead', "jsonb_typeof(letterhead) = 'object'")
@Check(
  'ck_bulletins_withdrawn',
  "(status = 'withdrawn') = (withdrawn_at IS NOT NULL AND withdrawn_by IS NOT NULL AND withdrawal_reason IS NOT NULL)",
)
@Index('ix_bulletins_withdrawn_by', ['withdrawnBy'], { where: 'withdrawn_by IS NOT NULL' })
@Index('ix_bulletins_created_by', ['createdBy'])
@Index('ix_bulletins_published_by', ['publishedBy'], { where: 'published_by IS NOT NULL' })
// (status, issue_number DESC): a descending key TypeORM cannot describe, so it leaves it alone.
@Index('ix_bulletins_status', { synchronize: false })
export class BulletinIssue {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** 期号: the last issue's + 1, or `firstIssueNumber` from config/bulletin.json. */
  @Column({ type: 'int' }) issueNumber: number;
  /** The date printed on the masthead (Shanghai). */
  @Column({ type: 'date' }) issueDate: string;
  /** The period covered, half-open [periodStart, periodEnd). */
  @Column({ type: 'timestamptz' }) periodStart: Date;
  @Column({ type: 'timestamptz' }) periodEnd: Date;
  @Column({ type: 'varchar', length: 10, default: 'draft' }) status: BulletinStatus;
  @Column({ type: 'jsonb', default: [] }) generated: BulletinSection[];
  /** Paragraph key → the office's replacement text. */
  @Column({ type: 'jsonb', default: {} }) edited: Record<string, string>;
  @Column({ type: 'uuid' })
  @ForeignKey(() => User, { name: 'bulletins_created_by_fkey' })
  createdBy: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => User, { name: 'bulletins_published_by_fkey' })
  publishedBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  @Column({ type: 'int', default: 1 }) version: number;
  /** The office's order of sections and paragraphs, its own paragraphs and sections; null: as generated. */
  @Column({ type: 'jsonb', nullable: true }) shape: BulletinShape | null;
  /** A draft: the office's changes over the defaults. Published: the whole letterhead, frozen. */
  @Column({ type: 'jsonb', default: {} }) letterhead: Partial<BulletinLetterhead>;
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => User, { name: 'bulletins_withdrawn_by_fkey' })
  withdrawnBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) withdrawnAt: Date | null;
  @Column({ type: 'text', nullable: true }) withdrawalReason: string | null;
}
