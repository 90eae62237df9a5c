import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readSingleFile } from '../attachments/multipart-upload.js';
import { CurrentPrincipal, Roles, type Principal } from '../common/auth/principal.js';
import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import { XLSX_TYPE, asDownload } from '../common/http/download.js';
import {
  ImportConfirmationDto,
  ImportMappingDto,
  ImportPreviewDto,
  UploadImportBody,
} from './dto/import.dto.js';
import { IMPORT_LIMITS, ImportsService } from './imports.service.js';

const fileTooLarge = (maxBytes: number): DomainError =>
  new DomainError(
    'too_large',
    CommonErrorCode.PAYLOAD_TOO_LARGE,
    `file: 文件不能超过 ${maxBytes / (1024 * 1024)} MB`,
    {
      maxBytes,
      errors: [
        { field: 'file', code: 'maxSize', message: `文件不能超过 ${maxBytes / (1024 * 1024)} MB` },
      ],
    },
  );

/** 导入问题清单: the office brings in lists from 暗访, 第三方测评, 12345, 领导交办 … as .xlsx. */
@ApiTags('imports')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Roles('admin')
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @ApiOperation({
    summary: '下载导入模板',
    description:
      '仅创城办（admin）。下载问题清单导入模板（问题清单导入模板.xlsx）：表头为导入能自动识别的列（问题类别、点位、地址、问题描述、经度、纬度、发现时间、责任单位、整改时限），第2行为按今天填写的示例；问题类别和责任单位有下拉列表（取自“可选值”表中启用的类别和单位），“填写说明”表说明每列的要求。来源在上传时选择，不在表中。只读，不改变数据。',
  })
  @Get('template.xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({
    description: 'The template',
    content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems(401, 403)
  async template(@Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const buffer = await this.imports.template();
    asDownload(reply, XLSX_TYPE, 'import-template.xlsx', '问题清单导入模板.xlsx');
    return buffer;
  }

  @ApiOperation({
    summary: '上传问题清单',
    description:
      '仅创城办（admin）。上传 .xlsx 问题清单（第一个工作表，首个非空行为表头，至多 5000 行、5 MB）和来源 `source`；公式单元格只读取文件中保存的结果，从不计算。保存为草稿批次，返回识别出的表头、建议的列对应（同一来源上次使用的对应优先）和逐行预览。不创建任何任务。',
  })
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadImportBody })
  @ApiCreatedResponse({ type: ImportPreviewDto })
  @ApiProblems(400, 401, 403, 413, 415)
  async upload(
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImportPreviewDto> {
    const upload = await readSingleFile(
      req,
      'file',
      IMPORT_LIMITS.maxBytes,
      ['source'],
      fileTooLarge,
    );
    return this.imports.upload(principal, upload, upload.fields.source);
  }

  @ApiOperation({
    summary: '导入预览',
    description:
      '仅创城办（admin）。逐行给出将创建的任务：类别、点位或地址、按派遣规则得到的责任单位、按现在计算的整改时限，每行的错误（列名、代码、中文说明）和疑似重复的在办任务。只读，不改变数据。',
  })
  @Get(':id')
  @ApiOkResponse({ type: ImportPreviewDto })
  @ApiProblems(400, 401, 403, 404)
  preview(@Param('id', ParseId) id: string): Promise<ImportPreviewDto> {
    return this.imports.preview(id);
  }

  @ApiOperation({
    summary: '修改列对应',
    description:
      '仅创城办（admin）。为草稿批次指定每个字段对应的表头（省略的字段留空），按新的对应重新预览；该对应记为此来源的默认对应，下次上传同一来源的清单时自动套用。已确认或已放弃的批次答 409。',
  })
  @Put(':id/mapping')
  @ApiOkResponse({ type: ImportPreviewDto })
  @ApiProblems(400, 401, 403, 404, 409)
  remap(
    @Param('id', ParseId) id: string,
    @Body() dto: ImportMappingDto,
  ): Promise<ImportPreviewDto> {
    return this.imports.remap(id, dto);
  }

  @ApiOperation({
    summary: '确认导入',
    description:
      '仅创城办（admin）。在一个事务中为每一行创建任务（与登记问题相同的派遣、时限、编号和留痕），来源为批次的来源；任何一行有错误时一行也不创建，答 422 IMPORT_HAS_ERRORS 并逐一列出（`rows.<行号>.<列名>`）。已确认的批次再次确认答 409。',
  })
  @Post(':id/confirmation')
  @ApiCreatedResponse({ type: ImportConfirmationDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  confirm(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseId) id: string,
  ): Promise<ImportConfirmationDto> {
    return this.imports.confirm(principal, id);
  }

  @ApiOperation({
    summary: '放弃导入',
    description: '仅创城办（admin）。放弃草稿批次，不创建任何任务。已确认或已放弃的批次答 409。',
  })
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404, 409)
  async discard(@Param('id', ParseId) id: string): Promise<void> {
    await this.imports.discard(id);
  }
}
