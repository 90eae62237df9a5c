import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/http/pagination.js';
import { CreateTaskDto } from '../../tasks/dto/create-task.dto.js';
import { RefDto } from '../../tasks/dto/task-output.dto.js';
import { INSPECTION_KINDS, type InspectionKind } from '../inspection.entity.js';
import { IsIdOrCode } from '../../common/http/id-or-code.js';
import { IsDay } from '../../common/time/time.validators.js';
import { IsNonBlankText, NormalisedText } from '../../common/text/plain-text.js';

export class RequirementDto {
  @ApiProperty({ example: '提高站位，强化担当' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(100)
  heading: string;
  @ApiProperty({ example: '坚持讲政治、创首善、争一流的高标准站位……' })
  @NormalisedText()
  @IsString()
  @MaxLength(2000)
  body: string;
}

/** A task raised on the visit, created with it in one request. */
export class InspectionTaskDto extends OmitType(CreateTaskDto, ['inspectionId'] as const) {}

export class CreateInspectionDto {
  @ApiProperty({ enum: INSPECTION_KINDS }) @IsIn(INSPECTION_KINDS) kind: InspectionKind;

  @ApiProperty({ example: '公园广场创城督导检查' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(200)
  activity: string;

  @ApiProperty({ type: [String], example: ['王建华'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @IsNonBlankText({ each: true })
  @MaxLength(50, { each: true })
  leadPersons: string[];

  @ApiPropertyOptional({
    description: 'Seniority for the bulletin order (lower first); default from config',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  leadRank?: number;

  @ApiPropertyOptional({ type: [String], example: ['朱峰', '朱凯'] })
  @IsOptional()
  @NormalisedText()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  accompanying?: string[];

  @ApiProperty({ example: '2026-11-20', description: 'Day of the visit (Asia/Shanghai)' })
  @IsDay()
  heldOn: string;

  @ApiProperty({ example: '永定镇' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(200)
  location: string;
  @ApiPropertyOptional({ example: '公园广场' })
  @IsOptional()
  @NormalisedText()
  @IsString()
  @MaxLength(100)
  target?: string;
  @ApiPropertyOptional({ example: '环境卫生、秩序管理' })
  @IsOptional()
  @NormalisedText()
  @IsString()
  @MaxLength(200)
  focus?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Units whose people took part, by id or code',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsIdOrCode({ each: true })
  participatingUnitIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Sites visited, in order, by id or code',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsIdOrCode({ each: true })
  siteIds?: string[];

  @ApiPropertyOptional({ type: [RequirementDto], description: '要求, in order (一要, 二要 …)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RequirementDto)
  requirements?: RequirementDto[];

  @ApiPropertyOptional({ example: '本刊', default: '本刊' })
  @IsOptional()
  @NormalisedText()
  @IsString()
  @MaxLength(100)
  source?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @NormalisedText()
  @IsString()
  @MaxLength(5000)
  notes?: string;

  @ApiPropertyOptional({
    type: [InspectionTaskDto],
    description: 'Problems found, created with the inspection',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => InspectionTaskDto)
  tasks?: InspectionTaskDto[];
}

export class UpdateInspectionDto extends PartialType(
  OmitType(CreateInspectionDto, ['tasks'] as const),
) {}

export class ListInspectionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: INSPECTION_KINDS })
  @IsOptional()
  @IsIn(INSPECTION_KINDS)
  kind?: InspectionKind;
  @ApiPropertyOptional({ example: '2026-11-16' })
  @IsOptional()
  @IsDay()
  from?: string;
  @ApiPropertyOptional({ example: '2026-11-22', description: 'Inclusive' })
  @IsOptional()
  @IsDay()
  to?: string;
}

export class InspectionTaskCountsDto {
  @ApiProperty() total: number;
  @ApiProperty() closed: number;
  @ApiProperty() open: number;
}

export class InspectionVoidDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ format: 'uuid' }) by: string;
  @ApiProperty() reason: string;
}

export class InspectionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: INSPECTION_KINDS }) kind: InspectionKind;
  @ApiProperty() activity: string;
  @ApiProperty({ type: [String] }) leadPersons: string[];
  @ApiProperty() leadRank: number;
  @ApiProperty({ type: [String] }) accompanying: string[];
  @ApiProperty({ example: '2026-11-20' }) heldOn: string;
  @ApiProperty() location: string;
  @ApiProperty({ nullable: true, type: String }) target: string | null;
  @ApiProperty({ nullable: true, type: String }) focus: string | null;
  @ApiProperty({ type: [RequirementDto] }) requirements: RequirementDto[];
  @ApiProperty() source: string;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ type: [RefDto] }) participatingUnits: RefDto[];
  @ApiProperty({ type: [RefDto] }) sitesVisited: RefDto[];
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({
    type: InspectionTaskCountsDto,
    description: 'Tasks it raised (that the caller may see)',
  })
  taskCounts: InspectionTaskCountsDto;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Tasks created with this request' })
  taskIds: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({
    type: InspectionVoidDto,
    nullable: true,
    description: '作废: set when the office voided it; left out of the 快报',
  })
  voided: InspectionVoidDto | null;
}

export class VoidInspectionDto {
  @ApiProperty({ example: '重复录入', maxLength: 2000 })
  @IsString()
  @IsNonBlankText()
  @MaxLength(2000)
  reason: string;
}

export class InspectionPageDto {
  @ApiProperty({ type: [InspectionDto] }) items: InspectionDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
