import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Clock } from '../../common/clock.js';
import { ApiProblems } from '../../common/http/api-problems.js';
import { CalendarQuery, CalendarYearDto } from './calendar.dto.js';
import { DeadlineService } from './deadline.service.js';
import { officeYear } from '../../common/time/office-zone.js';

/** 工作日历: which days count for 工作日 deadlines, read-only for everyone signed in. */
@ApiTags('catalog')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('calendar')
export class CalendarController {
  constructor(
    private readonly deadlines: DeadlineService,
    private readonly clock: Clock,
  ) {}

  @ApiOperation({
    summary: '工作日历',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥。' +
      '列出一年中每天的类型（节假日、调休上班、周末、工作日），即计算“工作日”整改时限所用的日历（config/calendar）。' +
      '不填 year 为北京时间的当年；该年的放假安排尚未录入答 404（CALENDAR_YEAR_NOT_LOADED，loadedYears 列出已录入的年份）。只读。',
  })
  @Get()
  @ApiOkResponse({ type: CalendarYearDto })
  @ApiProblems(400, 401, 404)
  get(@Query() q: CalendarQuery): CalendarYearDto {
    const year = q.year ?? officeYear(this.clock.now());
    return this.deadlines.calendarYear(year);
  }
}
