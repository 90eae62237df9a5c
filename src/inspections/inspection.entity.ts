import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { oneOf } from '../database/check-expression.js';
import { User } from '../users/user.entity.js';

export const INSPECTION_KINDS = ['inspection', 'meeting'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];

export interface Requirement {
  heading: string;
  body: string;
}

/**
 * 督导检查 (a visit) or 调度会/推进会 (a meeting): who led it, when, where, who took part, what
 * was required (要求: ordered heading + body). The 快报's 指挥调度 section is written from these.
 */
@Entity('inspections')
@Check('inspections_kind_check', oneOf('kind', INSPECTION_KINDS))
@Check('inspections_lead_persons_check', 'cardinality(lead_persons) > 0')
@Index('ix_inspections_held_on', ['heldOn', 'id'])
@Index('ix_inspections_created_by', ['createdBy'])
@Check(
  'ck_inspections_voided',
  '(voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL)',
)
@Index('ix_inspections_voided_by', ['voidedBy'], { where: 'voided_by IS NOT NULL' })
export class Inspection {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 16 }) kind: InspectionKind;
  /** What was done, e.g. 公园广场创城督导检查 or 社区综合治理工作组创城任务部署会. */
  @Column({ type: 'varchar', length: 200 }) activity: string;
  @Column({ type: 'text', array: true }) leadPersons: string[];
  /** Seniority of the lead person, for ordering in the bulletin (lower first). */
  @Column({ type: 'int', default: 100 }) leadRank: number;
  @Column({ type: 'text', array: true, default: [] }) accompanying: string[];
  /** The day, in Asia/Shanghai. */
  @Column({ type: 'date' }) heldOn: string;
  @Column({ type: 'varchar', length: 200 }) location: string;
  /** What kind of place was looked at, e.g. 公园广场. */
  @Column({ type: 'varchar', length: 100, nullable: true }) target: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) focus: string | null;
  @Column({ type: 'jsonb', default: [] }) requirements: Requirement[];
  /** 本刊, or the unit that reported it. */
  @Column({ type: 'varchar', length: 100, default: '本刊' }) source: string;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'uuid' })
  @ForeignKey(() => User, { name: 'inspections_created_by_fkey' })
  createdBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  /** Voided by the office (logged by mistake): kept, marked in lists, left out of the 快报. */
  @Column({ type: 'timestamptz', nullable: true }) voidedAt: Date | null;
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => User, { name: 'inspections_voided_by_fkey' })
  voidedBy: string | null;
  @Column({ type: 'text', nullable: true }) voidReason: string | null;
}
