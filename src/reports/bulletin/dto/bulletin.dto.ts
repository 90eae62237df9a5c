import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination.js';
import { IsDay, IsInstant } from '../../../common/time/time.validators.js';
import type { BulletinSectionKey } from '../bulletin-model.js';
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

export class BulletinParagraphDto {
  @ApiProperty({
    description:
      'Stable per source: the inspection id, comprehensive_rectification:<unit>, or info:<item id>[+<hash of folded items>] for 信息报送 items',
  })
  key: string;
  @ApiProperty({ description: 'What prints: the edited text if any, else the generated text' })
  text: string;
  @ApiProperty() generatedText: string;
  @ApiProperty() edited: boolean;
}

export class BulletinSectionDto {
  @ApiProperty({
    type: String,
    example: 'command_dispatch',
    description:
      'command_dispatch (指挥调度), comprehensive_rectification (简讯), or info:<栏目 code> for adopted 信息报送 items printed on their own (e.g. info:civility, 【文明培育】)',
  })
  key: BulletinSectionKey;
  @ApiProperty({ example: '指挥调度' }) heading: string;
  @ApiProperty({ type: [BulletinParagraphDto] }) paragraphs: BulletinParagraphDto[];
}

export class StaleEditDto {
  @ApiProperty() key: string;
  @ApiProperty() text: string;
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
}

export class BulletinDto extends BulletinSummaryDto {
  @ApiProperty({ type: [BulletinSectionDto] }) sections: BulletinSectionDto[];
  @ApiProperty({
    type: [StaleEditDto],
    description: 'Edits of paragraphs the latest generation no longer has (kept, not printed)',
  })
  staleEdits: StaleEditDto[];
}

export class BulletinPageDto {
  @ApiProperty({ type: [BulletinSummaryDto] }) items: BulletinSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
