import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import { ApiIfMatchHeader, RequestHeader } from '../common/http/request-header.js';
import { requiredVersion } from '../common/http/versioning.js';
import {
  AdoptInfoItemDto,
  CreateInfoItemDto,
  InfoColumnsDto,
  InfoItemDetailDto,
  InfoItemPageDto,
  InfoItemVersionDto,
  ListInfoItemsQuery,
  ReturnInfoItemDto,
  UpdateInfoItemDto,
} from './dto/info-item.dto.js';
import { InfoItemsService } from './info-items.service.js';

const VERSIONED =
  '须带上看到的 `version`（请求体或 `If-Match`），版本过期答 409 VERSION_CONFLICT 且不做任何改动；当前状态不允许时答 409 ILLEGAL_TRANSITION。';
const SCOPE = '责任单位只能操作本单位的信息，其他单位的信息答 404。';

/** One action endpoint: `POST /info-items/:id/<path>`, 200 with the item as it is afterwards. */
function InfoAction(path: string, summary: string, who: string): MethodDecorator {
  return applyDecorators(
    ApiProblems(400, 401, 403, 404, 409),
    ApiOkResponse({ type: InfoItemDetailDto }),
    ApiIfMatchHeader(),
    HttpCode(200),
    Post(`:id/${path}`),
    ApiOperation({ summary, description: who + VERSIONED }),
  );
}

/**
 * 信息报送: units' 信息员 send items, the office adopts or returns them. States and who may move
 * them: src/info-reports/info-item-lifecycle.ts. Inspectors have no part (403).
 */
@ApiTags('info items')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Roles('admin', 'unit')
@Controller('info-items')
export class InfoItemsController {
  constructor(private readonly items: InfoItemsService) {}

  @ApiOperation({
    summary: '信息报送栏目',
    description:
      '栏目（config/info-columns.json）及单列成篇的字数界限 briefMaxChars：采用的信息正文（不计空白）超过该字数时单独成篇，否则编入简讯。',
  })
  @Get('columns')
  @ApiOkResponse({ type: InfoColumnsDto })
  @ApiProblems(401, 403)
  columns(): InfoColumnsDto {
    return this.items.columnList();
  }

  @ApiOperation({
    summary: '信息列表',
    description: `创城办（admin）看全部单位的信息，可按状态、单位、栏目、工作日期筛选；责任单位只看本单位的（unitId 不能扩大范围）。按报送时间倒序，游标分页。`,
  })
  @Get()
  @ApiOkResponse({ type: InfoItemPageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListInfoItemsQuery): Promise<InfoItemPageDto> {
    return this.items.list(p, q);
  }

  @ApiOperation({
    summary: '报送信息',
    description:
      '仅责任单位（unit）的信息员或 API 密钥。栏目、标题、正文、工作日期、照片（先用 POST /attachments 上传，本人上传的才能引用）；状态为待审。',
  })
  @Roles('unit')
  @Post()
  @ApiCreatedResponse({ type: InfoItemDetailDto })
  @ApiProblems(400, 401, 403)
  create(
    @CurrentPrincipal() p: Principal,
    @Body() dto: CreateInfoItemDto,
  ): Promise<InfoItemDetailDto> {
    return this.items.create(p, dto);
  }

  @ApiOperation({
    summary: '信息详情',
    description: `带状态、退回原因、刊发期号和全部留痕。${SCOPE}`,
  })
  @Get(':id')
  @ApiOkResponse({ type: InfoItemDetailDto })
  @ApiProblems(400, 401, 403, 404)
  get(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
  ): Promise<InfoItemDetailDto> {
    return this.items.get(p, id);
  }

  @ApiOperation({
    summary: '修改信息',
    description: `整条替换栏目、标题、正文、工作日期和照片。责任单位在待审、已退回时可改（已退回的改后仍为已退回，重新报送才回到待审）；创城办在待审、已采用（未刊发）时可改。${SCOPE}${VERSIONED}`,
  })
  @Put(':id')
  @ApiIfMatchHeader()
  @ApiOkResponse({ type: InfoItemDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: UpdateInfoItemDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<InfoItemDetailDto> {
    const { version, ...content } = dto;
    return this.items.update(p, id, requiredVersion(version, m, '信息'), content);
  }

  @InfoAction(
    'withdrawal',
    '撤回信息',
    `仅责任单位，待审或已退回的信息可撤回（已撤回的不再处理）。${SCOPE}`,
  )
  @Roles('unit')
  withdraw(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: InfoItemVersionDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<InfoItemDetailDto> {
    return this.items.withdraw(p, id, requiredVersion(dto.version, m, '信息'));
  }

  @InfoAction(
    'resubmission',
    '重新报送',
    `仅责任单位，已退回的信息按退回意见修改后重新报送（整条内容），回到待审，退回原因清除。${SCOPE}`,
  )
  @Roles('unit')
  resubmit(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: UpdateInfoItemDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<InfoItemDetailDto> {
    const { version, ...content } = dto;
    return this.items.resubmit(p, id, requiredVersion(version, m, '信息'), content);
  }

  @InfoAction(
    'adoption',
    '采用信息',
    '仅创城办（admin），待审的信息可采用，可同时修改标题、正文、栏目、工作类型；采用的信息编入下一期快报（按栏目，长的单独成篇，短的编入简讯），快报发布时记为已刊发。',
  )
  @Roles('admin')
  adopt(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: AdoptInfoItemDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<InfoItemDetailDto> {
    const { version, ...edits } = dto;
    return this.items.adopt(p, id, requiredVersion(version, m, '信息'), edits);
  }

  @InfoAction(
    'return',
    '退回信息',
    '仅创城办（admin），待审或已采用（未刊发）的信息可退回，须写明原因（reason），单位可见；已编入草稿的，重新生成草稿后不再出现。',
  )
  @Roles('admin')
  returnItem(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: ReturnInfoItemDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<InfoItemDetailDto> {
    return this.items.returnItem(p, id, requiredVersion(dto.version, m, '信息'), dto.reason);
  }
}
