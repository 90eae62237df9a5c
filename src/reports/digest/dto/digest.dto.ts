import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PlanCoverageDto } from '../../../plans/dto/plan.dto.js';
import { IsDay } from '../../../common/time/time.validators.js';
import { DIGEST_PERIODS, type DigestPeriodName } from '../digest-period.js';

export const DIGEST_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type DigestFormat = (typeof DIGEST_FORMATS)[number];

export class DigestFormatQuery {
  @ApiPropertyOptional({ enum: DIGEST_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(DIGEST_FORMATS)
  format?: DigestFormat;
}

// Each day is checked here (one parser for every date); their order and range by the service.
export class DigestQuery extends DigestFormatQuery {
  @ApiPropertyOptional({
    enum: DIGEST_PERIODS,
    description:
      'Instead of from/to: last-week (the default: the last full Monday–Sunday week) or ' +
      'this-week (Monday 00:00 Asia/Shanghai up to now)',
  })
  @IsOptional()
  @IsIn(DIGEST_PERIODS)
  period?: DigestPeriodName;

  @ApiPropertyOptional({
    example: '2026-11-16',
    description:
      'First day (Asia/Shanghai), inclusive. Default: Monday of the last full week. ' +
      'A day that has not begun is a 400',
  })
  @IsOptional()
  @IsDay()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-11-22',
    description:
      'Last day (Asia/Shanghai), inclusive. Default: six days after `from`. A day not over yet ' +
      'is counted up to now (clampedToNow)',
  })
  @IsOptional()
  @IsDay()
  to?: string;
}

export class DigestFiguresDto {
  @ApiProperty({ description: '收到: assignment window began in the period' }) received: number;
  @ApiProperty({ description: '结案: closed in the period' }) closed: number;
  @ApiProperty({ description: '按期结案: of closed, accepted submission by the 考核时限' })
  closedOnTime: number;
  @ApiProperty({
    description: "未经复查销号: of closed, closed on the unit's submission without a 复查",
  })
  closedUnverified: number;
  @ApiProperty({
    description: '照片存疑销号: of closed, the accepted submission had after-photos in doubt',
  })
  closedFlagged: number;
  @ApiProperty({ description: '超期未结: open and overdue at the period end (挂账 excluded)' })
  openOverdue: number;
  @ApiProperty({ description: '督办: overdue by more than superviseAfterHours at the end' })
  supervised: number;
  @ApiProperty({ description: '通报: overdue by more than notifyAfterHours (also in 督办)' })
  notified: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Median hours 立案 → 销号' })
  medianHoursToClose: number | null;
  @ApiProperty({
    description: '应结案: 考核时限 in the period (the assigned deadline, moved by the office only)',
  })
  due: number;
  @ApiProperty({ description: '缓办: of due, 挂账' }) dueOnHold: number;
  @ApiProperty({ description: 'Of due, closed by the period end' }) dueClosed: number;
  @ApiProperty({ description: 'Of dueClosed, on time' }) dueClosedOnTime: number;
  @ApiPropertyOptional({
    description:
      '来源-weighted: sum of the weights (config/sources.json) of the due tasks (less 挂账) not ' +
      'closed on time by the period end; volume − dueClosedOnTime when every weight is 1. ' +
      'Absent in weeks stored before',
  })
  dueMissedWeighted?: number;
  @ApiPropertyOptional({
    description:
      '来源-weighted: sum of the weights of the due tasks (less 挂账) not closed by the period ' +
      'end; volume − dueClosed when every weight is 1. Absent in weeks stored before',
  })
  dueUnclosedWeighted?: number;
  @ApiProperty({ description: '在办: with the unit at some time in the period' }) inHand: number;
  @ApiProperty({ description: '复查 in the period' }) checks: number;
  @ApiProperty({ description: 'Of checks, failed' }) failedChecks: number;
  @ApiProperty({ description: 'Extensions approved in the period' }) extensionsGranted: number;
  @ApiProperty({
    description:
      '反弹: tasks logged in the period as a recurrence of an earlier closed task; for a unit, ' +
      'those of the tasks it closed (the unit whose fix did not last)',
  })
  recurrences: number;
  @ApiProperty({
    description:
      '重复点位: places (a 点位, else a grid cell of the category radius, else the address) with ' +
      'three or more problems of one category logged in the period; for a unit, those where it ' +
      'holds one of them. Shown, not scored',
  })
  repeatLocations: number;
  @ApiProperty({ description: '应结案 = due − dueOnHold' }) volume: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: '按期结案率 = dueClosedOnTime ÷ volume',
  })
  onTimeClosureRate: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '结案率 = dueClosed ÷ volume' })
  closureRate: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '返工率 = failedChecks ÷ checks' })
  reworkRate: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '延期率 = extensionsGranted ÷ inHand' })
  extensionRate: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: '未经复查销号占比 = closedUnverified ÷ closed (not part of 综合指标值)',
  })
  unverifiedShare: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      '综合指标值 = 按期结案率×60 + 结案率×30 + (1 − 返工率)×10; without 复查 ' +
      '(按期结案率×60 + 结案率×30) ÷ 90 × 100; null when nothing is due. For a unit, less the ' +
      '反弹 deduction when configured (recurrenceDeduction)',
  })
  compositeIndex: number | null;
  @ApiProperty({
    description:
      'Points the 反弹 deduction took off 综合指标值: min(max, pointsPerRecurrence × recurrences), ' +
      'not below 0; 0 when off (the default) and for categories and totals',
  })
  recurrenceDeduction: number;
}

/** 签收 of a unit in the period (only where 签收 is required). */
export class UnitSigningDto {
  @ApiProperty({
    description:
      'Tasks that came to the unit in the period, not cancelled, signed or past their 签收时限',
  })
  assigned: number;
  @ApiProperty({ description: 'Of those, signed within ACK_LIMIT_HOURS' }) signedInTime: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 0.9,
    description: '签收率: signedInTime ÷ assigned, 0–1; null when nothing was assigned',
  })
  signingRate: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 2.5,
    description: 'Median hours from getting the task to signing it (signed tasks); null: none',
  })
  medianHoursToSign: number | null;
}

/** What one 来源 brought in the period, for a unit or the whole district. */
export class SourceFiguresDto {
  @ApiProperty({ example: 'hotline' }) source: string;
  @ApiProperty({ example: '12345' }) sourceName: string;
  @ApiProperty({
    example: 1,
    description: 'Weight in 综合指标值 (config/sources.json; 1 if unset)',
  })
  weight: number;
  @ApiProperty({ description: '新增: created in the period, not cancelled' }) raised: number;
  @ApiProperty({ description: '结案: closed in the period' }) closed: number;
  @ApiProperty({ description: '按期结案: of closed, on time' }) closedOnTime: number;
  @ApiProperty({ description: '超期未结: open and overdue at the period end (挂账 excluded)' })
  openOverdue: number;
}

export class UnitDigestRowDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ nullable: true, type: Number, example: 1 }) rank: number | null;
  @ApiProperty({
    nullable: true,
    enum: ['green', 'yellow', 'red'],
    example: 'green',
    description: 'null when unranked, or when fewer units are ranked than minRankedForCards',
  })
  card: string | null;
  @ApiProperty({ nullable: true, enum: ['below_min_volume', 'no_index'], example: null })
  unrankedReason: string | null;
  @ApiProperty({ type: DigestFiguresDto }) figures: DigestFiguresDto;
  @ApiPropertyOptional({
    type: UnitSigningDto,
    description: '签收率 and median time to sign; absent when 签收 is not required (ACK_REQUIRED)',
  })
  acknowledgement?: UnitSigningDto;
  @ApiPropertyOptional({
    example: 2,
    description:
      '信息报送: items the office adopted in the period (absent in older stored digests)',
  })
  infoAdopted?: number;
  @ApiPropertyOptional({
    type: [SourceFiguresDto],
    description: "The unit's figures per 来源 with any figure; absent in weeks stored before",
  })
  bySource?: SourceFiguresDto[];
}

export class CategoryDigestRowDto {
  @ApiProperty({ format: 'uuid' }) categoryId: string;
  @ApiProperty() categoryName: string;
  @ApiProperty() groupName: string;
  @ApiProperty({ type: DigestFiguresDto }) figures: DigestFiguresDto;
}

/** config/digest.json `recurrenceDeduction` (off by default). */
export class RecurrenceDeductionDto {
  @ApiProperty({ example: false }) enabled: boolean;
  @ApiProperty({ example: 1 }) pointsPerRecurrence: number;
  @ApiProperty({ example: 10 }) max: number;
}

export class DigestRulesDto {
  @ApiProperty() minVolume: number;
  @ApiProperty() greenShare: number;
  @ApiProperty() redShare: number;
  @ApiProperty({ description: 'Fewer ranked units than this: ranks, but no cards' })
  minRankedForCards: number;
  @ApiProperty({ description: 'Fewer ranked units than this: no red card' })
  minRankedForRed: number;
  @ApiProperty() superviseAfterHours: number;
  @ApiProperty() notifyAfterHours: number;
  @ApiProperty({ type: RecurrenceDeductionDto }) recurrenceDeduction: RecurrenceDeductionDto;
}

export class DigestDto {
  @ApiProperty({ example: '2026-11-16' }) from: string;
  @ApiProperty({ example: '2026-11-22' }) to: string;
  @ApiProperty({ format: 'date-time' }) periodStart: string;
  @ApiProperty({
    format: 'date-time',
    description: 'Exclusive: the end of `to`, or now when `to` is not over (clampedToNow)',
  })
  periodEnd: string;
  @ApiProperty({ description: 'The period reaches past now and is counted up to periodEnd' })
  clampedToNow: boolean;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: DigestRulesDto }) rules: DigestRulesDto;
  @ApiProperty({ type: [UnitDigestRowDto] }) units: UnitDigestRowDto[];
  @ApiProperty({ type: [CategoryDigestRowDto] }) categories: CategoryDigestRowDto[];
  @ApiProperty({ type: DigestFiguresDto }) totals: DigestFiguresDto;
  @ApiProperty({
    type: PlanCoverageDto,
    description: '督导覆盖率 of the plans overlapping the period (as GET /plans/coverage)',
  })
  coverage: PlanCoverageDto;
  @ApiPropertyOptional({
    type: [SourceFiguresDto],
    description:
      'District-wide per 来源, every configured source in config/sources.json order (新增 ' +
      'includes tasks waiting for dispatch); absent in weeks stored before',
  })
  sources?: SourceFiguresDto[];
}
