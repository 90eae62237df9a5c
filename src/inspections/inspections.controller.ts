import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import { idempotencyKeyOf } from '../common/http/idempotency-key.js';
import {
  CreateInspectionDto,
  InspectionDto,
  InspectionPageDto,
  ListInspectionsQuery,
  UpdateInspectionDto,
  VoidInspectionDto,
} from './dto/inspection.dto.js';
import { InspectionsService } from './inspections.service.js';

/** 督导检查 and 调度会. */
@ApiTags('inspections')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('inspections')
export class InspectionsController {
  constructor(private readonly inspections: InspectionsService) {}

  /** Log a visit or meeting, optionally with the problems found (created as tasks in the same transaction). */
  @Roles('admin', 'inspector')
  @Post()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retries with the same key return the first result',
  })
  @ApiCreatedResponse({ type: InspectionDto })
  @ApiProblems(400, 401, 403, 422)
  create(
    @CurrentPrincipal() p: Principal,
    @Body() dto: CreateInspectionDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<InspectionDto> {
    return this.inspections.create(p, dto, idempotencyKeyOf(key));
  }

  @Get()
  @ApiOkResponse({ type: InspectionPageDto })
  @ApiProblems(400, 401)
  list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListInspectionsQuery,
  ): Promise<InspectionPageDto> {
    return this.inspections.list(p, q);
  }

  @Get(':id')
  @ApiOkResponse({ type: InspectionDto })
  @ApiProblems(400, 401, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseId) id: string): Promise<InspectionDto> {
    return this.inspections.get(p, id);
  }

  /** 作废 (office): kept with who, when and why, marked in lists, left out of the 快报; its tasks are untouched. */
  @Roles('admin')
  @Post(':id/void')
  @HttpCode(200)
  @ApiOkResponse({ type: InspectionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  void(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: VoidInspectionDto,
  ): Promise<InspectionDto> {
    return this.inspections.void(p, id, dto.reason);
  }

  /** Inspectors edit their own; the office any. */
  @Roles('admin', 'inspector')
  @Patch(':id')
  @ApiOkResponse({ type: InspectionDto })
  @ApiProblems(400, 401, 403, 404)
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: UpdateInspectionDto,
  ): Promise<InspectionDto> {
    return this.inspections.update(p, id, dto);
  }
}
