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

/** 督导检查 (inspection), 会议 (meeting: 调度会, 推进会, 部署会 …), 调研 (survey). */
export const INSPECTION_KINDS = ['inspection', 'meeting', 'survey'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];

/** A requirement; an empty heading is a plain one ('一是各单位要…', or 'X要求：各单位要…'). */
export interface Requirement {
  heading: string;
  body: string;
}

/**
 * How requirements are numbered: 一要…二要… (yao, the default and what rows written before
 * issue 14 use), 一是…二是… (shi), 1. 2. (digits), or a single unnumbered one (none).
 */
export const REQUIREMENT_NUMBERINGS = ['yao', 'shi', 'digits', 'none'] as const;
export type RequirementNumbering = (typeof REQUIREMENT_NUMBERINGS)[number];

/** A person as the text names them: title then name, e.g. 区委常委、宣传部部长 + 王建华; either may be ''. */
export interface TitledPerson {
  title: string;
  name: string;
}

/** The verbs a remark is introduced with: 'X指出，…' / 'X强调，…' / 'X表示，…'. */
export const REMARK_VERBS = ['指出', '强调', '表示'] as const;
export type RemarkVerb = (typeof REMARK_VERBS)[number];

export interface Remark {
  speaker: string;
  verb: RemarkVerb;
  text: string;
}

/**
 * 督导检查 or 调研 (a visit) or 调度会/推进会 (a meeting): who led it, when, where, who took part, what
 * was required (要求: ordered heading + body). The 快报's 指挥调度 section is written from these.
 */
@Entity('inspections')
@Check('inspections_kind_check', oneOf('kind', INSPECTION_KINDS))
@Check(
  'ck_inspections_requirement_numbering',
  oneOf('requirement_numbering', REQUIREMENT_NUMBERINGS),
)
@Check(
  'ck_inspections_house_style_lists',
  `jsonb_typeof(leaders) = 'array' AND jsonb_typeof(escorts) = 'array' AND jsonb_typeof(remarks) = 'array' AND cardinality(participant_groups) <= 20`,
)
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
  /** Who the requirements are attributed to ('X要求：'); null writes 会议要求 / 要求. */
  @Column({ type: 'varchar', length: 100, nullable: true }) requirementsBy: string | null;
  @Column({ type: 'varchar', length: 8, default: 'yao' })
  requirementNumbering: RequirementNumbering;
  /** The body that convened a meeting (召开), e.g. 区创城办; then the leaders 出席. */
  @Column({ type: 'varchar', length: 100, nullable: true }) convener: string | null;
  /** A meeting's purpose, e.g. 传达全市创城工作推进会精神. */
  @Column({ type: 'varchar', length: 500, nullable: true }) purpose: string | null;
  /** Leaders with their titles: they 出席 a convened meeting and lead a visit. */
  @Column({ type: 'jsonb', default: [] }) leaders: TitledPerson[];
  /** Officials of the visited unit who 陪同. */
  @Column({ type: 'jsonb', default: [] }) escorts: TitledPerson[];
  /** Participants that are not units, e.g. 各镇街主要领导. */
  @Column({ type: 'text', array: true, default: [] }) participantGroups: string[];
  /** Remarks in order: 'X指出，…' / 'X强调，…'. */
  @Column({ type: 'jsonb', default: [] }) remarks: Remark[];
  /** What a visit looked at, e.g. 各项指标落实情况, 停车秩序、环境卫生. */
  @Column({ type: 'varchar', length: 200, nullable: true }) lookedAt: string | null;
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
