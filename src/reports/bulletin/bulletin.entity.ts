import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { BulletinSection } from './bulletin-model.js';

export const BULLETIN_STATUSES = ['draft', 'published'] as const;
export type BulletinStatus = (typeof BULLETIN_STATUSES)[number];

/**
 * 工作快报, one issue (期). The generated sections are kept as generated; the office's
 * replacements are kept beside them, keyed by paragraph, so both survive editing and
 * regeneration. A published issue is frozen.
 */
@Entity('bulletins')
export class BulletinIssue {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** 期号: the last issue's + 1, or `firstIssueNumber` from config/bulletin.json. */
  @Column({ type: 'int' }) issueNumber: number;
  /** The date printed on the masthead (Shanghai). */
  @Column({ type: 'date' }) issueDate: string;
  /** The period covered, half-open [periodStart, periodEnd). */
  @Column({ type: 'timestamptz' }) periodStart: Date;
  @Column({ type: 'timestamptz' }) periodEnd: Date;
  @Column({ type: 'varchar', length: 10 }) status: BulletinStatus;
  @Column({ type: 'jsonb' }) generated: BulletinSection[];
  /** Paragraph key → the office's replacement text. */
  @Column({ type: 'jsonb' }) edited: Record<string, string>;
  @Column({ type: 'uuid' }) createdBy: string;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
  @Column({ type: 'uuid', nullable: true }) publishedBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  @Column({ type: 'int' }) version: number;
}
