import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import { ApiKeysService } from './api-keys.service.js';
import {
  ApiKeyDto,
  ApiKeyPageDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  ListApiKeysQuery,
} from './dto/api-key.dto.js';

/** Unit API keys for machine clients; issued and revoked by the office. */
@ApiTags('api-keys')
@ApiBearerAuth()
@Roles('admin')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @ApiOperation({
    summary: 'API 密钥列表',
    description: '仅创城办（admin）。列出已签发的单位 API 密钥（不含密钥本身）。只读，不改变数据。',
  })
  @Get()
  @ApiOkResponse({ type: ApiKeyPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() q: ListApiKeysQuery): Promise<ApiKeyPageDto> {
    return this.keys.list(q);
  }

  /** Issue a key. The response holds the key itself, shown this once. */
  @ApiOperation({
    summary: '签发 API 密钥',
    description:
      '仅创城办（admin）。为一个责任单位签发 API 密钥；响应中的密钥只显示这一次，服务端只保存其 SHA-256 哈希。',
  })
  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblems(400, 401, 403)
  create(
    @Body() dto: CreateApiKeyDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<CreatedApiKeyDto> {
    return this.keys.create(dto, p);
  }

  /** Revoke a key: it stops working at once. Revoking twice is harmless. */
  @ApiOperation({
    summary: '吊销 API 密钥',
    description: '仅创城办（admin）。吊销后密钥立即失效；重复吊销无副作用。',
  })
  @Delete(':id')
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiProblems(400, 401, 403, 404)
  revoke(@Param('id', ParseId) id: string): Promise<ApiKeyDto> {
    return this.keys.revoke(id);
  }
}
