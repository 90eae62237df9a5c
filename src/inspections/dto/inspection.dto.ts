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
import {
  INSPECTION_KINDS,
  REMARK_VERBS,
  REQUIREMENT_NUMBERINGS,
  type InspectionKind,
  type RemarkVerb,
  type RequirementNumbering,
} from '../inspection.entity.js';
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

/**
 * A requirement as entered: the heading may be left out for a plain one ('一是各单位要…', or a
 * single unnumbered 'X要求：各单位要…'); heading or body must be given.
 */
export class RequirementInputDto {
  @ApiPropertyOptional({ example: '提高站位，强化担当' })
  @IsOptional()
  @NormalisedText()
  @IsString()
  @MaxLength(100)
  heading?: string;
  @ApiProperty({ example: '坚持讲政治、创首善、争一流的高标准站位……' })
  @NormalisedText()
  @IsString()
  @MaxLength(2000)
  body: string;
}

/** A person as the 快报 names them: title then name (区委常委、宣传部部长 + 王建华). */
export class TitledPersonDto {
  @ApiPropertyOptional({ example: '区委常委、宣传部部长' })
  @IsOptional()
  @NormalisedText()
  @IsString()
  @MaxLength(100)
  title?: string;
  @ApiPropertyOptional({ example: '王建华' })
  @IsOptional()
  @NormalisedText()
  @IsString()
  @MaxLength(50)
  name?: string;
}

/** 'X指出，…' / 'X强调，…'. */
export class RemarkDto {
  @ApiProperty({ example: '王建华' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(100)
  speaker: string;
  @ApiProperty({ enum: REMARK_VERBS, example: '强调' })
  @IsIn(REMARK_VERBS)
  verb: RemarkVerb;
  @ApiProperty({ example: '要以更高标准、更实举措推进创城工作' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(2000)
  text: string;
}

/** A visited site, by id or code, with the alias the 快报 adds in brackets. */
export class VisitedSiteInputDto {
  @ApiProperty({ example: 'SMY-01', description: 'Site id or code' })
  @IsIdOrCode()
  siteId: string;
  @ApiPropertyOptional({
    example: '石门营广场',
    description: '别名：写作“石门营文化公园（石门营广场）”',
  })
  @IsOptional()
  @NormalisedText()
  @IsString()
  @MaxLength(100)
  alias?: string;
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

  @ApiPropertyOptional({
    type: [String],
    example: ['王建华'],
    description: "Required unless `leaders` name someone; defaults to the leaders' names",
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @IsNonBlankText({ each: true })
  @MaxLength(50, { each: true })
  leadPersons?: string[];

  @ApiPropertyOptional({
    type: [TitledPersonDto],
    description: '领导（职务 + 姓名）：会议中“出席会议”，调研、检查中带队',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => TitledPersonDto)
  leaders?: TitledPersonDto[];

  @ApiPropertyOptional({ example: '区创城办', description: '召开单位：会议由其召开，领导出席' })
  @IsOptional()
  @NormalisedText()
  @IsString()
  @MaxLength(100)
  convener?: string;

  @ApiPropertyOptional({ example: '传达全市创城工作推进会精神', description: '会议主旨' })
  @IsOptional()
  @NormalisedText()
  @IsString()
  @MaxLength(500)
  purpose?: string;

  @ApiPropertyOptional({ type: [TitledPersonDto], description: '陪同：被检查、调研单位的负责同志' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => TitledPersonDto)
  escorts?: TitledPersonDto[];

  @ApiPropertyOptional({
    type: [String],
    example: ['各镇街主要领导'],
    description: '参加的群体（不是单位），如“各镇街主要领导”',
  })
  @IsOptional()
  @NormalisedText()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNonBlankText({ each: true })
  @MaxLength(100, { each: true })
  participantGroups?: string[];

  @ApiPropertyOptional({ type: [RemarkDto], description: '讲话：X指出，…／X强调，…（按顺序）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RemarkDto)
  remarks?: RemarkDto[];

  @ApiPropertyOptional({
    example: '王建华',
    description: '提出要求的人：“X要求：”；不填写作“会议要求：”／“要求：”',
  })
  @IsOptional()
  @NormalisedText()
  @IsString()
  @MaxLength(100)
  requirementsBy?: string;

  @ApiPropertyOptional({
    enum: REQUIREMENT_NUMBERINGS,
    description:
      '要求的编号：yao 一要…二要…；shi 一是…二是…；digits 1. 2.；none 不编号（只能一条）',
  })
  @IsOptional()
  @IsIn(REQUIREMENT_NUMBERINGS)
  requirementNumbering?: RequirementNumbering;

  @ApiPropertyOptional({
    example: '各项指标落实情况',
    description: '查看内容：“先后到A、B和C查看…”',
  })
  @IsOptional()
  @NormalisedText()
  @IsString()
  @MaxLength(200)
  lookedAt?: string;

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

  @ApiPropertyOptional({
    type: [VisitedSiteInputDto],
    description: 'Sites visited, in order, each with an optional alias; instead of siteIds',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => VisitedSiteInputDto)
  visitedSites?: VisitedSiteInputDto[];

  @ApiPropertyOptional({
    type: [RequirementInputDto],
    description: '要求, in order (一要, 二要 …)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RequirementInputDto)
  requirements?: RequirementInputDto[];

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

/** The form as it stands, for the paragraph the 快报 would write from it. */
export class PreviewParagraphDto extends OmitType(CreateInspectionDto, ['tasks'] as const) {}

export class ParagraphSpanDto {
  @ApiProperty() text: string;
  @ApiProperty() bold: boolean;
}

export class ParagraphPreviewDto {
  @ApiProperty({ description: 'The paragraph text; `**…**` marks bold spans' })
  text: string;
  @ApiProperty({
    type: [ParagraphSpanDto],
    description: 'The text split into plain and bold spans',
  })
  spans: ParagraphSpanDto[];
}

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

export class VisitedSiteDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) alias: string | null;
}

export class TitledPersonOutDto {
  @ApiProperty() title: string;
  @ApiProperty() name: string;
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
  @ApiProperty({ type: [VisitedSiteDto], description: 'The sites visited with their aliases' })
  visitedSites: VisitedSiteDto[];
  @ApiProperty({ type: [TitledPersonOutDto] }) leaders: TitledPersonOutDto[];
  @ApiProperty({ nullable: true, type: String }) convener: string | null;
  @ApiProperty({ nullable: true, type: String }) purpose: string | null;
  @ApiProperty({ type: [TitledPersonOutDto] }) escorts: TitledPersonOutDto[];
  @ApiProperty({ type: [String] }) participantGroups: string[];
  @ApiProperty({ type: [RemarkDto] }) remarks: RemarkDto[];
  @ApiProperty({ nullable: true, type: String }) requirementsBy: string | null;
  @ApiProperty({ enum: REQUIREMENT_NUMBERINGS }) requirementNumbering: RequirementNumbering;
  @ApiProperty({ nullable: true, type: String }) lookedAt: string | null;
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
