import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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

  @Get()
  @ApiOkResponse({ type: ApiKeyPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() q: ListApiKeysQuery): Promise<ApiKeyPageDto> {
    return this.keys.list(q);
  }

  /** Issue a key. The response holds the key itself, shown this once. */
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
  @Delete(':id')
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiProblems(400, 401, 403, 404)
  revoke(@Param('id', ParseId) id: string): Promise<ApiKeyDto> {
    return this.keys.revoke(id);
  }
}
