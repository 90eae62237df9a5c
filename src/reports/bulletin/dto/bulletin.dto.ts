import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
import { PageQuery } from '../../../common/http/pagination.js';
import { IsDay, IsInstant } from '../../../common/time/time.validators.js';
import { BULLETIN_STATUSES, type BulletinStatus } from '../bulletin.entity.js';
import { IsNonBlankText } from '../../../common/text/plain-text.js';

// The forms are checked here (one parser for every date); their order and the period's length by
// the service, which also answers with a 400 naming the field.
export class CreateBulletinDto {
  @ApiPropertyOptional({
    example: '2026-11-16',
    description:
      "Start of the period: a day (its 00:00 Asia/Shanghai) or an ISO 8601 instant with offset. Default: the last issue's periodEnd; for the first issue, 00:00 six days before periodEnd's day",
  })
  @IsOptional()
  @IsInstant()
  periodStart?: string;

  @ApiPropertyOptional({
    example: '2026-11-22',
    description:
      'End of the period, exclusive: a day (inclusive, i.e. the next day 00:00 Asia/Shanghai) or an ISO 8601 instant with offset. Default: now',
  })
  @IsOptional()
  @IsInstant()
  periodEnd?: string;

  @ApiPropertyOptional({ example: '2026-11-23', description: 'Masthead date; default today' })
  @IsOptional()
  @IsDay()
  issueDate?: string;
}

export class VersionDto {
  @ApiPropertyOptional({
    description:
      'The issue `version` the client last saw (optimistic locking); required unless sent as `If-Match` (neither: 400 VERSION_REQUIRED)',
    minimum: 1,
    example: 1,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class EditParagraphDto extends VersionDto {
  @ApiProperty({
    example: '**【综合整治】东辛房街道：**近日，……',
    description:
      'Replacement text; `**…**` marks bold. Setting it to the generated text removes the edit',
  })
  @IsString()
  @IsNonBlankText()
  @MaxLength(10000)
  text: string;
}

export const BULLETIN_FORMATS = ['json', 'markdown', 'docx'] as const;
export type BulletinFormat = (typeof BULLETIN_FORMATS)[number];

export class BulletinFormatQuery {
  @ApiPropertyOptional({ enum: BULLETIN_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(BULLETIN_FORMATS)
  format?: BulletinFormat;
}

export class ListBulletinsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: BULLETIN_STATUSES })
  @IsOptional()
  @IsIn(BULLETIN_STATUSES)
  status?: BulletinStatus;
}

export class PersonRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

const ORIGINS = ['generated', 'office'] as const;

export class BulletinParagraphDto {
  @ApiProperty({
    description:
      "Stable per source: the inspection id, or comprehensive_rectification:<unit>, or info:<item id>[+<hash of folded items>] for 信息报送 items; the office's own paragraphs: office:<uuid>",
  })
  key: string;
  @ApiProperty({ description: 'What prints: the edited text if any, else the generated text' })
  text: string;
  @ApiProperty({ description: "'' for the office's own paragraphs" }) generatedText: string;
  @ApiProperty() edited: boolean;
  @ApiProperty({
    enum: ORIGINS,
    description: '`generated` from the data (regenerated with it), `office`: added by the office',
  })
  origin: (typeof ORIGINS)[number];
}

export class BulletinSectionDto {
  @ApiProperty({
    example: 'command_dispatch',
    description:
      "command_dispatch (指挥调度), comprehensive_rectification (简讯), info:<栏目 code> for adopted 信息报送 items printed on their own (e.g. info:civility, 【文明培育】) or other generated sections; the office's own: office:<uuid>",
  })
  key: string;
  @ApiProperty({ example: '指挥调度', description: 'Without the 【】 brackets' }) heading: string;
  @ApiProperty({ enum: ORIGINS }) origin: (typeof ORIGINS)[number];
  @ApiProperty({ type: [BulletinParagraphDto] }) paragraphs: BulletinParagraphDto[];
}

/** 刊头和版记: the masthead and the footer (版记) of one issue, or the defaults. */
export class BulletinLetterheadDto {
  @ApiProperty({
    example: '门头沟区创建全国文明城市 工作快报',
    description: '刊名; a space marks the line break',
  })
  title: string;
  @ApiProperty({ example: '门头沟区创建全国文明城市工作领导小组办公室', description: '主办' })
  office: string;
  @ApiProperty({ example: '李国栋', description: '编校' }) editor: string;
  @ApiProperty({ example: '张东辉', description: '审核' }) reviewer: string;
  @ApiProperty({ example: '李争三', description: '核签' }) approver: string;
  @ApiProperty({ description: '报' }) reportTo: string;
  @ApiProperty({ description: '发' }) sendTo: string;
  @ApiProperty({ example: 'mtgccbxcz@bjmtg.gov.cn' }) email: string;
  @ApiProperty({ example: '69822006' }) phone: string;
}

const letterheadField = (description: string, max: number) => (target: object, key: string) => {
  ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: max,
    description: `${description}; null: back to the default`,
  })(target, key);
  IsOptional()(target, key);
  IsString()(target, key);
  IsNonBlankText()(target, key);
  MaxLength(max)(target, key);
};

/** Changes of the letterhead: a field given sets it, null restores the default, absent keeps it. */
export class LetterheadChangeDto {
  @letterheadField('刊名', 60) title?: string | null;
  @letterheadField('主办', 60) office?: string | null;
  @letterheadField('编校', 30) editor?: string | null;
  @letterheadField('审核', 30) reviewer?: string | null;
  @letterheadField('核签', 30) approver?: string | null;
  @letterheadField('报', 300) reportTo?: string | null;
  @letterheadField('发', 300) sendTo?: string | null;
  @letterheadField('电子邮箱', 100) email?: string | null;
  @letterheadField('电话', 40) phone?: string | null;
}

export class IssueLetterheadDto extends LetterheadChangeDto {
  @ApiPropertyOptional({
    description: 'The issue `version` (or If-Match)',
    minimum: 1,
    example: 1,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ChangePeriodDto extends VersionDto {
  @ApiPropertyOptional({
    example: '2026-11-16',
    description:
      'New start: a day (its 00:00 Asia/Shanghai) or an instant with offset; absent: unchanged',
  })
  @IsOptional()
  @IsInstant()
  periodStart?: string;

  @ApiPropertyOptional({
    example: '2026-11-22',
    description:
      'New end, exclusive: a day (inclusive) or an instant with offset; absent: unchanged',
  })
  @IsOptional()
  @IsInstant()
  periodEnd?: string;

  @ApiPropertyOptional({
    example: '2026-11-23',
    description: 'New masthead date; absent: unchanged',
  })
  @IsOptional()
  @IsDay()
  issueDate?: string;
}

const KEY_MAX = 200;

export class AddParagraphDto extends VersionDto {
  @ApiProperty({ example: 'command_dispatch', description: 'The section it goes into' })
  @IsString()
  @MaxLength(KEY_MAX)
  sectionKey: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The paragraph it follows; null: first in the section; absent: last',
  })
  @IsOptional()
  @IsString()
  @MaxLength(KEY_MAX)
  afterKey?: string | null;

  @ApiProperty({ example: '**东辛房街道“三用心”全力做好志愿服务工作** 一是……（东辛房街道）' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(10000)
  text: string;
}

export class AddSectionDto extends VersionDto {
  @ApiProperty({ example: '喜报', description: 'Heading without 【】 (they are added in print)' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(20)
  heading: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The section it follows; null: first; absent: last',
  })
  @IsOptional()
  @IsString()
  @MaxLength(KEY_MAX)
  afterKey?: string | null;
}

export class ArrangedSectionDto {
  @ApiProperty() @IsString() @MaxLength(KEY_MAX) key: string;

  @ApiPropertyOptional({ description: 'A new heading; absent: unchanged' })
  @IsOptional()
  @IsString()
  @IsNonBlankText()
  @MaxLength(20)
  heading?: string;

  @ApiProperty({ type: [String], description: 'Paragraph keys in print order' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(KEY_MAX, { each: true })
  paragraphs: string[];
}

export class ArrangeDto extends VersionDto {
  @ApiProperty({
    type: [ArrangedSectionDto],
    description:
      'Every section and paragraph of the issue, each once, in print order (paragraphs may move between sections)',
  })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ArrangedSectionDto)
  sections: ArrangedSectionDto[];
}

export class WithdrawDto extends VersionDto {
  @ApiProperty({ example: '时段有误，重新起草' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(500)
  reason: string;
}

export class NextIssueNumberDto {
  @ApiProperty({ example: 672, description: 'After every published issue and every stored one' })
  @IsInt()
  @Min(1)
  @Max(99999)
  issueNumber: number;

  @ApiProperty({ example: '接续原有期号（已出至第671期）' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(500)
  reason: string;
}

export class StaleEditDto {
  @ApiProperty() key: string;
  @ApiProperty() text: string;
}

export class WithdrawalDto {
  @ApiProperty({ type: PersonRefDto }) by: PersonRefDto;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() reason: string;
}

export class BulletinSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 672 }) issueNumber: number;
  @ApiProperty({ example: '2026-11-23' }) issueDate: string;
  @ApiProperty({ format: 'date-time' }) periodStart: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive' }) periodEnd: string;
  @ApiProperty({
    enum: BULLETIN_STATUSES,
    example: 'draft',
    description:
      '`generating`: a job is writing the text of a long period (no sections yet for a new issue; a regenerated one shows its previous text); edits and publication answer 409 BULLETIN_GENERATING until it is a `draft`',
  })
  status: BulletinStatus;
  @ApiProperty() version: number;
  @ApiProperty({ type: PersonRefDto }) createdBy: PersonRefDto;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: PersonRefDto, nullable: true, example: null })
  publishedBy: PersonRefDto | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  publishedAt: string | null;
  @ApiProperty({
    type: WithdrawalDto,
    nullable: true,
    example: null,
    description: 'Who withdrew it, when and why (status `withdrawn`)',
  })
  withdrawal: WithdrawalDto | null;
}

export class BulletinDto extends BulletinSummaryDto {
  @ApiProperty({ type: [BulletinSectionDto] }) sections: BulletinSectionDto[];
  @ApiProperty({
    type: [StaleEditDto],
    description: 'Edits of paragraphs the latest generation no longer has (kept, not printed)',
  })
  staleEdits: StaleEditDto[];
  @ApiProperty({
    type: BulletinLetterheadDto,
    description:
      'The letterhead it prints: the defaults with this issue’s changes (frozen once published)',
  })
  letterhead: BulletinLetterheadDto;
  @ApiProperty({ type: [String], description: 'Fields this draft changed over the defaults' })
  letterheadOverrides: string[];
}

export class WithdrawalResultDto {
  @ApiProperty({ example: 673 }) issueNumber: number;
  @ApiProperty({
    description:
      'true: it was the last issue and is deleted, the next draft takes its number; false: kept as withdrawn, its number not reused',
  })
  numberFreed: boolean;
  @ApiProperty({ type: BulletinSummaryDto, nullable: true }) bulletin: BulletinSummaryDto | null;
}

export class BulletinEventDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) bulletinId: string | null;
  @ApiProperty({ nullable: true, type: Number }) issueNumber: number | null;
  @ApiProperty({ example: 'next_issue_number' }) action: string;
  @ApiProperty() actorName: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class BulletinSettingsDto {
  @ApiProperty({ example: 672, description: 'The number the next draft gets' })
  nextIssueNumber: number;
  @ApiProperty({ nullable: true, type: Number, description: 'The number the office set, if any' })
  nextIssueNumberSet: number | null;
  @ApiProperty({ nullable: true, type: Number }) lastPublishedNumber: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Highest stored, any status' })
  lastStoredNumber: number | null;
  @ApiProperty({ type: BulletinLetterheadDto, description: 'The defaults a new draft prints' })
  letterhead: BulletinLetterheadDto;
  @ApiProperty({ type: BulletinLetterheadDto, description: 'config/bulletin.json, the seed' })
  letterheadFromFile: BulletinLetterheadDto;
  @ApiProperty({
    type: [BulletinEventDto],
    description: 'Next-number, defaults and withdrawal trail, newest first',
  })
  events: BulletinEventDto[];
}

export class BulletinPageDto {
  @ApiProperty({ type: [BulletinSummaryDto] }) items: BulletinSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
