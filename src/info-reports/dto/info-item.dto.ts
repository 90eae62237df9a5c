import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
} from 'class-validator';
import { PageMeta, PageQuery } from '../../common/http/pagination.js';
import { IsNonBlankText, NormalisedText } from '../../common/text/plain-text.js';
import { IsDay } from '../../common/time/time.validators.js';
import { INFO_ITEM_STATUSES, type InfoItemStatus } from '../info-item-lifecycle.js';

/** At most this many photos on one item. */
export const MAX_INFO_PHOTOS = 9;

/** What a unit's 信息员 sends: 栏目, title, text, photos, the day of the work. */
export class InfoItemContentDto {
  @ApiProperty({
    example: 'civility',
    description: '栏目 code from config/info-columns.json (`GET /info-items/columns`)',
  })
  @IsString()
  @MaxLength(32)
  column: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 20,
    example: '宣讲',
    description:
      '工作类型 (optional): in 简讯, short items of one 栏目 and one 工作类型 are folded into one paragraph',
  })
  @IsOptional()
  @IsString()
  @NormalisedText()
  @MaxLength(20)
  kind?: string | null;

  @ApiProperty({ example: '区农业农村局开展理论宣讲进农村活动', maxLength: 100 })
  @IsString()
  @IsNonBlankText()
  @MaxLength(100)
  title: string;

  @ApiProperty({
    example:
      '近日，联合区委党校到妙峰山镇斜河涧村开展习近平新时代中国特色社会主义思想进农村宣讲活动。',
    maxLength: 5000,
    description: 'Plain text; a line break starts a new paragraph of an item printed on its own',
  })
  @IsString()
  @IsNonBlankText()
  @MaxLength(5000)
  text: string;

  @ApiProperty({ example: '2026-11-20', description: 'The day of the work (Asia/Shanghai)' })
  @IsDay()
  workDate: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Photos uploaded with `POST /attachments` by the caller, in order (at most 9)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_INFO_PHOTOS)
  @IsUUID('all', { each: true })
  photoIds?: string[];
}

export class CreateInfoItemDto extends InfoItemContentDto {}

/** Replaces the content; carries the version the client saw. */
export class UpdateInfoItemDto extends InfoItemContentDto {
  @ApiPropertyOptional({ description: 'The item `version`; required unless sent as `If-Match`' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class InfoItemVersionDto {
  @ApiPropertyOptional({ description: 'The item `version`; required unless sent as `If-Match`' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

/** 采用, optionally with the office's edit of the title and text. */
export class AdoptInfoItemDto extends InfoItemVersionDto {
  @ApiPropertyOptional({ maxLength: 100, description: 'The title as the office edits it' })
  @IsOptional()
  @IsString()
  @IsNonBlankText()
  @MaxLength(100)
  title?: string;

  @ApiPropertyOptional({ maxLength: 5000, description: 'The text as the office edits it' })
  @IsOptional()
  @IsString()
  @IsNonBlankText()
  @MaxLength(5000)
  text?: string;

  @ApiPropertyOptional({ description: 'Another 栏目 code, when the office moves it' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  column?: string;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 20 })
  @IsOptional()
  @IsString()
  @NormalisedText()
  @MaxLength(20)
  kind?: string | null;
}

/** 退回, with the reason the unit reads. */
export class ReturnInfoItemDto extends InfoItemVersionDto {
  @ApiProperty({ example: '请补充参与人数和活动照片', maxLength: 500 })
  @IsString()
  @IsNonBlankText()
  @MaxLength(500)
  reason: string;
}

export class ListInfoItemsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: INFO_ITEM_STATUSES })
  @IsOptional()
  @IsIn(INFO_ITEM_STATUSES)
  status?: InfoItemStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Office only: one unit' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ example: 'civility' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  column?: string;

  @ApiPropertyOptional({ example: '2026-11-01', description: 'Work on or after this day' })
  @IsOptional()
  @IsDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Work on or before this day' })
  @IsOptional()
  @IsDay()
  to?: string;
}

export class InfoPhotoDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'image/jpeg' }) mime: string;
  @ApiProperty({ nullable: true, type: String }) originalName: string | null;
}

export class InfoItemEventDto {
  @ApiProperty({ example: 'adopt' }) action: string;
  @ApiProperty({ nullable: true, type: String, enum: INFO_ITEM_STATUSES })
  statusBefore: InfoItemStatus | null;
  @ApiProperty({ enum: INFO_ITEM_STATUSES }) statusAfter: InfoItemStatus;
  @ApiProperty() actorName: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class InfoItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ example: '区农业农村局' }) unitName: string;
  @ApiProperty({ example: 'civility' }) column: string;
  @ApiProperty({ example: '文明培育' }) columnName: string;
  @ApiProperty({ nullable: true, type: String }) kind: string | null;
  @ApiProperty() title: string;
  @ApiProperty() text: string;
  @ApiProperty({ example: '2026-11-20' }) workDate: string;
  @ApiProperty({
    enum: INFO_ITEM_STATUSES,
    description:
      'pending 待审, adopted 已采用 (goes into the next 快报), returned 已退回 (see returnReason), published 已刊发 (see issueNumber), withdrawn 已撤回',
  })
  status: InfoItemStatus;
  @ApiProperty({ nullable: true, type: String }) returnReason: string | null;
  @ApiProperty({
    description: 'Printed as an item of its own (longer than briefMaxChars) rather than in 简讯',
  })
  ownItem: boolean;
  @ApiProperty({ nullable: true, type: Number, example: null }) issueNumber: number | null;
  @ApiProperty({ type: [InfoPhotoDto] }) photos: InfoPhotoDto[];
  @ApiProperty() submittedByName: string;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) adoptedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) publishedAt: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class InfoItemDetailDto extends InfoItemDto {
  @ApiProperty({ type: [InfoItemEventDto], description: 'The item’s trail, oldest first' })
  events: InfoItemEventDto[];
}

export class InfoItemPageDto extends PageMeta {
  @ApiProperty({ type: [InfoItemDto] }) items: InfoItemDto[];
}

export class InfoColumnDto {
  @ApiProperty({ example: 'civility' }) code: string;
  @ApiProperty({ example: '文明培育' }) name: string;
  @ApiProperty({ example: '文明培育' }) briefLabel: string;
}

export class InfoColumnsDto {
  @ApiProperty({ description: 'Texts longer than this (without whitespace) print on their own' })
  briefMaxChars: number;
  @ApiProperty({ type: [InfoColumnDto] }) columns: InfoColumnDto[];
}
