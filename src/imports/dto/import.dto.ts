import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IMPORT_FIELDS, type ImportField } from '../import-rows.js';

/** The multipart form of `POST /imports` (for the OpenAPI document; parsed by hand). */
export class UploadImportBody {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: '.xlsx, first worksheet, header in the first row',
  })
  file: unknown;
  @ApiProperty({ example: 'hotline', description: '来源, a code of GET /sources' })
  source: string;
}

/** Our field → the header of the file's column feeding it; omit a field to leave it empty. */
export class ImportMappingDto {
  @ApiPropertyOptional({ example: '问题类别' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  category?: string;
  @ApiPropertyOptional({ example: '点位' }) @IsOptional() @IsString() @MaxLength(200) site?: string;
  @ApiPropertyOptional({ example: '问题地址' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  address?: string;
  @ApiPropertyOptional({ example: '问题描述' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
  @ApiPropertyOptional({ example: '经度' }) @IsOptional() @IsString() @MaxLength(200) lng?: string;
  @ApiPropertyOptional({ example: '纬度' }) @IsOptional() @IsString() @MaxLength(200) lat?: string;
  @ApiPropertyOptional({ example: '发现时间' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  foundAt?: string;
  @ApiPropertyOptional({ example: '责任单位' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  unit?: string;
  @ApiPropertyOptional({ example: '整改时限' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  deadline?: string;
}

export class ImportFieldDto {
  @ApiProperty({ enum: IMPORT_FIELDS }) field: ImportField;
  @ApiProperty({ example: '问题类别' }) label: string;
  @ApiProperty({ description: 'The mapping must name a column for it (点位 or 地址: one of them)' })
  required: boolean;
}

export class ImportRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) code: string | null;
}

export class ImportRowErrorDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The file's column header; null for the row",
  })
  column: string | null;
  @ApiProperty({ nullable: true, enum: IMPORT_FIELDS, type: String }) field: ImportField | null;
  @ApiProperty({ example: 'unknownCategory' }) code: string;
  @ApiProperty({ example: '没有名称或编码为“楼道杂物”的启用类别' }) message: string;
}

export class ImportDuplicateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ZG-2026-000123' }) number: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: ['site', 'address', 'nearby'] }) reason: 'site' | 'address' | 'nearby';
  @ApiProperty({ nullable: true, type: Number }) distanceM: number | null;
}

/** One row of the file as the task it would create. */
export class ImportRowDto {
  @ApiProperty({ description: 'Row number in the sheet, as Excel shows it' }) row: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', nullable: true },
    description: 'The cells, one per header, as text (formula cells: their saved result)',
  })
  cells: (string | null)[];
  @ApiProperty({ type: ImportRefDto, nullable: true }) category: ImportRefDto | null;
  @ApiProperty({ type: ImportRefDto, nullable: true }) site: ImportRefDto | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: Number }) lat: number | null;
  @ApiProperty({ nullable: true, type: Number }) lng: number | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) foundAt: string | null;
  @ApiProperty({ type: ImportRefDto, nullable: true }) unit: ImportRefDto | null;
  @ApiProperty({
    enum: ['file', 'site', 'none'],
    description:
      "file: the list's 责任单位; site: the site's default unit; none: waits for dispatch",
  })
  routed: 'file' | 'site' | 'none';
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'As it would be computed now',
  })
  deadline: string | null;
  @ApiProperty({ type: [ImportRowErrorDto] }) errors: ImportRowErrorDto[];
  @ApiProperty({ type: [ImportDuplicateDto] }) possibleDuplicates: ImportDuplicateDto[];
}

export class ImportCountsDto {
  @ApiProperty() rows: number;
  @ApiProperty({ description: 'Rows without errors (可导入)' }) ready: number;
  @ApiProperty({ description: 'Rows with errors (有错误)' }) withErrors: number;
  @ApiProperty({ description: 'Rows flagged as possible duplicates of open tasks (疑似重复)' })
  possibleDuplicates: number;
}

export class ImportMappingProblemDto {
  @ApiProperty({ example: 'mapping.category' }) field: string;
  @ApiProperty({ example: 'isNotEmpty' }) code: string;
  @ApiProperty() message: string;
}

/** An import batch and its preview. */
export class ImportPreviewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'hotline' }) source: string;
  @ApiProperty({ example: '12345' }) sourceName: string;
  @ApiProperty({ enum: ['draft', 'confirmed', 'discarded'] }) status:
    'draft' | 'confirmed' | 'discarded';
  @ApiProperty({ nullable: true, type: String }) filename: string | null;
  @ApiProperty({ type: [String], description: "The file's header row" }) headers: string[];
  @ApiProperty({ type: ImportMappingDto }) mapping: ImportMappingDto;
  @ApiProperty({ type: [ImportFieldDto] }) fields: ImportFieldDto[];
  @ApiProperty({ type: [ImportMappingProblemDto] }) mappingProblems: ImportMappingProblemDto[];
  @ApiProperty({ type: ImportCountsDto }) counts: ImportCountsDto;
  @ApiProperty({ type: [ImportRowDto] }) rows: ImportRowDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) confirmedAt: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Tasks created, once confirmed' })
  taskCount: number | null;
}

export class ImportConfirmationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['confirmed'] }) status: 'confirmed';
  @ApiProperty({ example: 'hotline' }) source: string;
  @ApiProperty({ description: 'Tasks created (one per row)' }) taskCount: number;
  @ApiProperty({ format: 'date-time' }) confirmedAt: string;
}
