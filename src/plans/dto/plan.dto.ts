import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { toBool, toInt } from '../../common/http/pagination.js';
import { IsDay } from '../../common/time/time.validators.js';
import { PLAN_PERIOD_KINDS, type PlanPeriodKind } from '../inspection-plan.entity.js';

/** At most this many 点位 in one plan. */
export const MAX_PLAN_SITES = 500;

export class CreatePlanDto {
  @ApiProperty({ format: 'uuid', description: 'The inspector (a user with role inspector)' })
  @IsUUID()
  inspectorId: string;

  @ApiProperty({
    enum: PLAN_PERIOD_KINDS,
    description: 'week: Monday–Sunday; month: a calendar month',
  })
  @IsIn(PLAN_PERIOD_KINDS)
  periodKind: PlanPeriodKind;

  @ApiProperty({
    example: '2026-11-23',
    description: 'First day (Asia/Shanghai): a Monday for a week, the 1st for a month',
  })
  @IsDay()
  periodStart: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'The 点位 to visit (active sites)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PLAN_SITES)
  @IsUUID('all', { each: true })
  siteIds: string[];

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string | null;
}

/** Replaces the whole plan, its sites in one transaction. */
export class UpdatePlanDto extends CreatePlanDto {
  @ApiPropertyOptional({
    description: 'The plan `version` the client last saw; required unless sent as `If-Match`',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListPlansQuery {
  @ApiPropertyOptional({
    example: '2026-11-01',
    description: 'Plans whose period ends on or after',
  })
  @IsOptional()
  @IsDay()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-11-30',
    description: 'Plans whose period starts on or before',
  })
  @IsOptional()
  @IsDay()
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Office only: one inspector' })
  @IsOptional()
  @IsUUID()
  inspectorId?: string;

  @ApiPropertyOptional({
    description: "The caller's own plans (an inspector always gets only their own)",
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 200 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class PlanSiteDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) code: string | null;
  @ApiProperty() name: string;
  @ApiProperty() kind: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) unitId: string | null;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
  @ApiProperty({
    description: "Visited by the plan's inspector in the plan's period, up to today",
  })
  visited: boolean;
}

export class PlanDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) inspectorId: string;
  @ApiProperty() inspectorName: string;
  @ApiProperty({ enum: PLAN_PERIOD_KINDS }) periodKind: PlanPeriodKind;
  @ApiProperty({ example: '2026-11-23' }) periodStart: string;
  @ApiProperty({ example: '2026-11-29', description: 'Last day, inclusive' }) periodEnd: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: [PlanSiteDto] }) sites: PlanSiteDto[];
  @ApiProperty({ description: 'Sites planned' }) planned: number;
  @ApiProperty({ description: 'Of them, visited so far' }) visited: number;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class PlanListDto {
  @ApiProperty({ type: [PlanDto] }) items: PlanDto[];
}

export class CoverageQuery {
  @ApiPropertyOptional({ example: '2026-11-23', description: 'First day; default this week' })
  @IsOptional()
  @IsDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-29', description: 'Last day, inclusive' })
  @IsOptional()
  @IsDay()
  to?: string;
}

export class CoverageFiguresDto {
  @ApiProperty({ description: '(plan, site) pairs planned' }) planned: number;
  @ApiProperty({ description: 'Of them, visited' }) visited: number;
  @ApiProperty({ nullable: true, type: Number, description: 'visited ÷ planned, 0–1' })
  rate: number | null;
}

export class InspectorCoverageDto extends CoverageFiguresDto {
  @ApiProperty({ format: 'uuid' }) inspectorId: string;
  @ApiProperty() inspectorName: string;
}

export class SiteKindCoverageDto extends CoverageFiguresDto {
  @ApiProperty() kind: string;
}

export class UnitCoverageDto extends CoverageFiguresDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) unitId: string | null;
  @ApiProperty() unitName: string;
}

export class PlanCoverageDto {
  @ApiProperty({ example: '2026-11-23' }) from: string;
  @ApiProperty({ example: '2026-11-29' }) to: string;
  @ApiProperty({ description: 'Plans whose period overlaps the days' }) plans: number;
  @ApiProperty({ type: CoverageFiguresDto }) overall: CoverageFiguresDto;
  @ApiProperty({ type: [InspectorCoverageDto] }) byInspector: InspectorCoverageDto[];
  @ApiProperty({ type: [SiteKindCoverageDto] }) bySiteKind: SiteKindCoverageDto[];
  @ApiProperty({ type: [UnitCoverageDto] }) byUnit: UnitCoverageDto[];
}

export class UnvisitedSitesQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3650,
    description: 'Not visited for this many days; default PLAN_UNVISITED_DAYS (30)',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  days?: number;
}

export class UnvisitedSiteDto {
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty({ nullable: true, type: String }) code: string | null;
  @ApiProperty() name: string;
  @ApiProperty() kind: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) unitId: string | null;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-10-12' })
  lastVisitedOn: string | null;
  @ApiProperty({ nullable: true, type: Number }) daysSince: number | null;
}

export class UnvisitedSitesDto {
  @ApiProperty() days: number;
  @ApiProperty({ example: '2026-11-25', description: 'Today, Asia/Shanghai' }) today: string;
  @ApiProperty({ type: [UnvisitedSiteDto] }) items: UnvisitedSiteDto[];
}
