import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsIdOrCode } from '../../common/http/id-or-code.js';
import { IsNonBlankText, NormalisedText } from '../../common/text/plain-text.js';
import { IsInstant } from '../../common/time/time.validators.js';
import { MAX_PHOTOS } from '../../tasks/dto/create-task.dto.js';
import { WALK_RESULTS, type WalkResult } from '../checklist-to-tasks.js';

export const MAX_CHECKLIST_ITEMS = 100;

export class ListChecklistsQuery {
  @ApiPropertyOptional({ example: '农贸市场', description: 'Only the checklist of this site kind' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  siteKind?: string;
}

export class CreateChecklistDto {
  @ApiProperty({
    example: '商业综合体',
    description: 'The site kind (sites.kind) it is for; one checklist per kind',
  })
  @IsString()
  @IsNonBlankText()
  @MaxLength(20)
  siteKind: string;

  @ApiProperty({ example: '商业综合体检查清单' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(100)
  name: string;
}

export class CreateChecklistItemDto {
  @ApiProperty({
    example: '醒目位置张贴禁烟标识',
    description: 'What is checked, said as the good state',
  })
  @IsString()
  @IsNonBlankText()
  @MaxLength(200)
  text: string;

  @ApiProperty({ description: 'The category a failure raises: UUID or code (e.g. SS02)' })
  @IsIdOrCode()
  categoryId: string;

  @ApiPropertyOptional({ example: 3, description: 'Order in the list (1 first); default: last' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  position?: number;

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateChecklistItemDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNonBlankText() @MaxLength(200) text?: string;
  @ApiPropertyOptional({ description: 'UUID or code' })
  @IsOptional()
  @IsIdOrCode()
  categoryId?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1000) position?: number;
  @ApiPropertyOptional({ description: 'false: no longer asked (停用); kept on past walks' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ChecklistItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) checklistId: string;
  @ApiProperty() position: number;
  @ApiProperty() text: string;
  @ApiProperty({ format: 'uuid' }) categoryId: string;
  @ApiProperty({ example: 'SS02' }) categoryCode: string;
  @ApiProperty({ example: '配套设施/标识缺失' }) categoryName: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'Answered on a walk already: can be deactivated, not deleted' })
  used: boolean;
}

export class ChecklistDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '农贸市场' }) siteKind: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [ChecklistItemDto], description: 'Active and inactive, in order' })
  items: ChecklistItemDto[];
}

export class ChecklistListDto {
  @ApiProperty({ type: [ChecklistDto] }) items: ChecklistDto[];
}

export class WalkAnswerDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() itemId: string;

  @ApiProperty({ enum: WALK_RESULTS, description: 'pass 合格, fail 不合格, na 不适用' })
  @IsIn(WALK_RESULTS)
  result: WalkResult;

  @ApiPropertyOptional({ example: '东侧水产区地面积水' })
  @IsOptional()
  @IsString()
  @NormalisedText()
  @MaxLength(500)
  note?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description:
      'Photos (POST /attachments); at least one for a fail. A fail’s become its task’s before-photos',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PHOTOS)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];

  @ApiPropertyOptional({ example: 39.94 }) @IsOptional() @IsNumber() @IsLatitude() lat?: number;
  @ApiPropertyOptional({ example: 116.1 }) @IsOptional() @IsNumber() @IsLongitude() lng?: number;
}

export class CreateChecklistWalkDto {
  @ApiProperty({ description: 'The site walked: UUID or code; its kind picks the checklist' })
  @IsIdOrCode()
  siteId: string;

  @ApiProperty({ type: [WalkAnswerDto], description: 'Every active item of the checklist, once' })
  @IsArray()
  @ArrayMaxSize(MAX_CHECKLIST_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => WalkAnswerDto)
  results: WalkAnswerDto[];

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the site was walked (the phone fills it in), checked like a task’s foundAt',
  })
  @IsOptional()
  @IsInstant()
  foundAt?: string;
}

export class WalkResultDto {
  @ApiProperty({ format: 'uuid' }) itemId: string;
  @ApiProperty() position: number;
  @ApiProperty({ description: 'The item’s text when walked' }) text: string;
  @ApiProperty({ format: 'uuid' }) categoryId: string;
  @ApiProperty() categoryName: string;
  @ApiProperty({ enum: WALK_RESULTS }) result: WalkResult;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) attachmentIds: string[];
  @ApiProperty({ nullable: true, type: Number }) lat: number | null;
  @ApiProperty({ nullable: true, type: Number }) lng: number | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The task a fail raised',
  })
  taskId: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-000123' }) taskNumber: string | null;
}

export class WalkCountsDto {
  @ApiProperty() pass: number;
  @ApiProperty() fail: number;
  @ApiProperty() na: number;
}

export class WalkSiteDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() kind: string;
}

export class ChecklistWalkDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) inspectionId: string;
  @ApiProperty({ type: WalkSiteDto }) site: WalkSiteDto;
  @ApiProperty({ format: 'uuid' }) checklistId: string;
  @ApiProperty() checklistName: string;
  @ApiProperty({ format: 'uuid' }) walkedBy: string;
  @ApiProperty() walkedByName: string;
  @ApiProperty({ format: 'date-time' }) foundAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: WalkCountsDto }) counts: WalkCountsDto;
  @ApiProperty({ type: [WalkResultDto] }) results: WalkResultDto[];
}

export class ChecklistWalkListDto {
  @ApiProperty({ type: [ChecklistWalkDto] }) items: ChecklistWalkDto[];
}
