import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery, toBool } from '../../common/http/pagination.js';
import { VERIFICATION_POLICIES, type VerificationPolicy } from '../category.entity.js';
import { IsNonBlankText } from '../../common/text/plain-text.js';

export const MAX_QUICK_PHRASES = 20;

export const DEADLINE_KINDS = ['immediate', 'work_hours', 'work_days'] as const;

/** 整改时限: 立行立改 (24 h), N 工作时, or N 工作日. */
export class DeadlineRuleDto {
  @ApiProperty({ enum: DEADLINE_KINDS, example: 'work_days' })
  @IsIn(DEADLINE_KINDS)
  kind: (typeof DEADLINE_KINDS)[number];

  @ApiPropertyOptional({ description: 'For work_hours', minimum: 1, maximum: 500 })
  @ValidateIf((o: DeadlineRuleDto) => o.kind === 'work_hours')
  @IsInt()
  @Min(1)
  @Max(500)
  hours?: number;

  @ApiPropertyOptional({ description: 'For work_days', minimum: 1, maximum: 120, example: 3 })
  @ValidateIf((o: DeadlineRuleDto) => o.kind === 'work_days')
  @IsInt()
  @Min(1)
  @Max(120)
  days?: number;
}

export class CreateCategoryDto {
  @ApiProperty({ example: 'HJ07' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,16}$/, { message: 'code must be 1-16 of A-Z a-z 0-9 _ -' })
  code: string;

  @ApiProperty({ example: '楼道堆物' }) @IsString() @IsNonBlankText() @MaxLength(50) name: string;

  @ApiPropertyOptional({ example: '楼道堆物', description: 'Name used in bulletin text' })
  @IsOptional()
  @IsString()
  @IsNonBlankText()
  @MaxLength(50)
  bulletinName?: string;

  @ApiProperty({ example: '市容环境' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(50)
  groupName: string;

  @ApiProperty({ example: '处', description: '量词' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(4)
  measureWord: string;

  @ApiProperty({ type: DeadlineRuleDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DeadlineRuleDto)
  deadlineRule: DeadlineRuleDto;

  @ApiPropertyOptional({ enum: VERIFICATION_POLICIES, default: 'on_site' })
  @IsOptional()
  @IsIn(VERIFICATION_POLICIES)
  verificationPolicy?: VerificationPolicy;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description: 'Share checked on site under spot_check',
  })
  @ValidateIf(
    (o: CreateCategoryDto) =>
      o.verificationPolicy === 'spot_check' || o.spotCheckRatio !== undefined,
  )
  @IsNumber()
  @Min(0)
  @Max(1)
  spotCheckRatio?: number;

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() requiresAfterPhoto?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) szcgItem?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100000) sortOrder?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_QUICK_PHRASES,
    description: '常用语 the phone offers for the description: each 1–60 characters, at most 20',
    example: ['楼道内堆放杂物，影响通行', '消防通道堆放纸箱'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_QUICK_PHRASES)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNonBlankText({ each: true })
  @MaxLength(60, { each: true })
  quickPhrases?: string[];

  @ApiPropertyOptional({
    minimum: 5,
    maximum: 1000,
    default: 50,
    description: 'Open tasks of this category within this many metres are possible duplicates',
  })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(1000)
  duplicateRadiusM?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1000,
    default: 50,
    description:
      '反弹: a new problem of this category within this many metres of one closed in the recurrence window (RECURRENCE_WINDOW_DAYS) is linked to it as a recurrence; 0 = off',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  recurrenceRadiusM?: number;
}

export class UpdateCategoryDto extends PartialType(CreateCategoryDto) {}

export class ListCategoriesQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) groupName?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) q?: string;
}

export class CategoryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) bulletinName: string | null;
  @ApiProperty() groupName: string;
  @ApiProperty() measureWord: string;
  @ApiProperty({ type: DeadlineRuleDto }) deadlineRule: DeadlineRuleDto;
  @ApiProperty({ example: '3个工作日', description: '整改时限 as the office writes it' })
  deadlineLabel: string;
  @ApiProperty({ enum: VERIFICATION_POLICIES }) verificationPolicy: VerificationPolicy;
  @ApiProperty({ nullable: true, type: Number }) spotCheckRatio: number | null;
  @ApiProperty() requiresAfterPhoto: boolean;
  @ApiProperty({ nullable: true, type: String }) szcgItem: string | null;
  @ApiProperty() sortOrder: number;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: [String], description: "常用语, in the office's order" })
  quickPhrases: string[];
  @ApiProperty({ example: 50, description: 'Duplicate-hint radius in metres' })
  duplicateRadiusM: number;
  @ApiProperty({ example: 50, description: '反弹 radius in metres (0 = recurrence off)' })
  recurrenceRadiusM: number;
}

export class CategoryPageDto {
  @ApiProperty({ type: [CategoryDto] }) items: CategoryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
