import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '../../common/auth/principal.js';
import { ApiProblems } from '../../common/http/api-problems.js';
import { BulletinSettingsService } from './bulletin-settings.service.js';
import {
  BulletinSettingsDto,
  LetterheadChangeDto,
  NextIssueNumberDto,
} from './dto/bulletin.dto.js';

/** 快报设置 of the office: the next issue number and the letterhead defaults. Office only. */
@ApiTags('bulletins')
@ApiBearerAuth()
@Roles('admin')
@Controller('bulletin-settings')
export class BulletinSettingsController {
  constructor(private readonly settings: BulletinSettingsService) {}

  @ApiOperation({
    summary: '快报设置',
    description:
      '仅创城办（admin）。下一期期号（及办公室设定的期号）、最近已发布期号、刊头和版记的默认值（及配置文件中的初始值）、设置与撤回的记录。只读，不改变数据。',
  })
  @Get()
  @ApiOkResponse({ type: BulletinSettingsDto })
  @ApiProblems(401, 403)
  get(): Promise<BulletinSettingsDto> {
    return this.settings.get();
  }

  @ApiOperation({
    summary: '设置下一期期号',
    description:
      '仅创城办（admin）。设定下一期快报的期号（如接续原有期号，已出至第671期则设672），须填写原因并记入留痕；不得小于或等于已发布的期号（409 ISSUE_NUMBER_NOT_AFTER_PUBLISHED），也不得占用已有草稿或撤回记录的期号（409 ISSUE_NUMBER_IN_USE）。',
  })
  @Put('next-issue-number')
  @ApiOkResponse({ type: BulletinSettingsDto })
  @ApiProblems(400, 401, 403, 409)
  setNextIssueNumber(
    @CurrentPrincipal() p: Principal,
    @Body() dto: NextIssueNumberDto,
  ): Promise<BulletinSettingsDto> {
    return this.settings.setNextIssueNumber(p, dto);
  }

  @ApiOperation({
    summary: '修改刊头和版记默认值',
    description:
      '仅创城办（admin）。修改刊名、主办、编校/审核/核签、报/发、联系方式的默认值，立即生效（无需重启）；字段为 null 时恢复配置文件中的初始值，未提供的字段不变。草稿未单独修改的字段随之变化，已发布的快报不变。',
  })
  @Put('letterhead')
  @ApiOkResponse({ type: BulletinSettingsDto })
  @ApiProblems(400, 401, 403)
  setLetterhead(
    @CurrentPrincipal() p: Principal,
    @Body() dto: LetterheadChangeDto,
  ): Promise<BulletinSettingsDto> {
    return this.settings.setLetterhead(p, dto);
  }
}
