import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { toInt } from '../../common/http/pagination.js';
import { MAX_YEAR, MIN_YEAR } from '../../common/time/iso-time.js';
import { CALENDAR_DAY_KINDS, type CalendarDayKind } from './calendar-days.js';

export class CalendarQuery {
  @ApiPropertyOptional({
    description: 'Four-digit year; the current year in Asia/Shanghai when left out',
    minimum: MIN_YEAR,
    maximum: MAX_YEAR,
    example: 2026,
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(MIN_YEAR)
  @Max(MAX_YEAR)
  year?: number;
}

export class CalendarDayDto {
  @ApiProperty({ example: '2026-10-01', description: 'A day in Asia/Shanghai' }) date: string;
  @ApiProperty({
    enum: CALENDAR_DAY_KINDS,
    description:
      'holiday = 节假日 (a day off by the notice), makeup_workday = 调休上班 (a weekend worked), weekend = 周末, workday = 工作日',
  })
  kind: CalendarDayKind;
  @ApiProperty({ description: 'Counts as a working day for 工作日 deadlines' }) workday: boolean;
  @ApiProperty({ nullable: true, type: String, example: '国庆节' }) name: string | null;
}

/** 工作日历: one year as the deadline arithmetic counts it. */
export class CalendarYearDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ description: 'false while the year is our estimate, not the official notice' })
  official: boolean;
  @ApiProperty({ description: 'The notice the data comes from' }) source: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: [Number], description: 'Every year with a calendar file', example: [2026] })
  loadedYears: number[];
  @ApiProperty({ description: 'How many days of the year count as working days', example: 250 })
  workdays: number;
  @ApiProperty({ type: [CalendarDayDto] }) days: CalendarDayDto[];
}
