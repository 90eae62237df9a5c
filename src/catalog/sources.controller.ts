import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems } from '../common/http/api-problems.js';
import { TaskSources } from './task-sources.js';

export class TaskSourceDto {
  @ApiProperty({ example: 'leader' }) code: string;
  @ApiProperty({ example: '领导交办' }) name: string;
  @ApiProperty({ example: 2, description: 'Weight in the 综合指标值 when the digest applies them' })
  weight: number;
}

export class TaskSourceListDto {
  @ApiProperty({ type: [TaskSourceDto] }) items: TaskSourceDto[];
}

/** 来源: the configured list (config/sources.json), the first being the default. */
@ApiTags('catalog')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('sources')
export class SourcesController {
  constructor(private readonly sources: TaskSources) {}

  @ApiOperation({
    summary: '问题来源列表',
    description:
      '任何已登录的调用方。问题来源（督导检查、暗访、第三方测评、12345、领导交办、媒体曝光、单位自查 …），由配置文件 config/sources.json 给出，第一项为默认来源。只读，不改变数据。',
  })
  @Get()
  @ApiOkResponse({ type: TaskSourceListDto })
  @ApiProblems(401)
  list(): TaskSourceListDto {
    return { items: this.sources.all.map((s) => ({ ...s })) };
  }
}
