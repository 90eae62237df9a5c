import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { PageQuery, toBool } from '../../common/http/pagination.js';
import { TASK_STATUSES, type TaskStatus } from '../task-lifecycle.js';
import { IsIdOrCode } from '../../common/http/id-or-code.js';
import { IsInstant } from '../../common/time/time.validators.js';

const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

export const TASK_SORTS = ['-createdAt', 'deadline', 'number', '-closedAt'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

/** Filters of the task list and the ledger export. */
export class TaskFilterQuery {
  @ApiPropertyOptional({ description: 'Comma-separated statuses', example: 'assigned,submitted' })
  @IsOptional()
  @Transform(toList)
  @IsIn(TASK_STATUSES, { each: true })
  status?: TaskStatus[];

  @ApiPropertyOptional({ description: "A UUID, or the row's code (e.g. HJ07)" })
  @IsOptional()
  @IsIdOrCode()
  unitId?: string;
  @ApiPropertyOptional({ description: "A UUID, or the row's code (e.g. HJ07)" })
  @IsOptional()
  @IsIdOrCode()
  categoryId?: string;
  @ApiPropertyOptional({ description: "A UUID, or the row's code (e.g. HJ07)" })
  @IsOptional()
  @IsIdOrCode()
  siteId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() inspectionId?: string;

  @ApiPropertyOptional({
    description: 'Comma-separated 来源 codes (GET /sources); an unknown code matches nothing',
    example: 'hotline,leader',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  source?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Created by this import (导入问题清单)' })
  @IsOptional()
  @IsUUID()
  importBatchId?: string;

  @ApiPropertyOptional({ description: 'Open with the unit and past its deadline' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    description:
      'With (true) or without (false) an extension request or dispute awaiting the office',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  hasPendingRequest?: boolean;

  @ApiPropertyOptional({
    description:
      '签收: assigned tasks their unit has signed for (true) or not yet (false, 待签收); matches nothing when 签收 is not required',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  acknowledged?: boolean;

  @ApiPropertyOptional({
    description:
      'In (true) or not in (false) 返工: sent back to the unit by a failed 复查 and not yet resubmitted ' +
      '(assigned, and the latest submission was checked and failed; on hold counts once resumed)',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  rework?: boolean;

  @ApiPropertyOptional({
    description:
      '反弹 (true) or not (false): logged near a task of its category closed in the recurrence window',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  recurrence?: boolean;

  @ApiPropertyOptional({
    enum: ['reminder', 'supervise', 'notify'],
    description: 'At least this escalation level',
  })
  @IsOptional()
  @IsIn(['reminder', 'supervise', 'notify'])
  escalation?: 'reminder' | 'supervise' | 'notify';

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsInstant()
  createdFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsInstant()
  createdTo?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsInstant()
  closedFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsInstant()
  closedTo?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsInstant()
  deadlineFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsInstant()
  deadlineTo?: string;

  @ApiPropertyOptional({ description: 'Text in number, description or address' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class ListTasksQuery extends IntersectionType(TaskFilterQuery, PageQuery) {
  @ApiPropertyOptional({ enum: TASK_SORTS, default: '-createdAt' })
  @IsOptional()
  @IsIn(TASK_SORTS)
  sort?: TaskSort;
}

export class ExportTasksQuery extends TaskFilterQuery {
  @ApiPropertyOptional({ enum: ['csv', 'xlsx'], default: 'xlsx' })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format?: 'csv' | 'xlsx';
}
