import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorKind } from './domain-error.js';

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

export class FieldProblemDto {
  @ApiProperty({ example: 'name' }) field: string;
  @ApiProperty({ example: 'isNotEmpty' }) code: string;
  @ApiProperty({ example: 'name should not be empty' }) message: string;
}

/** RFC 9457 problem details, the body of every 4xx and 5xx (`application/problem+json`). */
export class ProblemDto {
  @ApiProperty({ example: 'urn:chuangcheng:problem:VALIDATION_FAILED' }) type: string;
  @ApiProperty({ example: 'Bad Request' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code' })
  code: string;
  @ApiProperty({ example: '请求参数有误: name' }) detail: string;
  @ApiProperty({ example: '/api/v1/units' }) instance: string;
  @ApiProperty({ example: 'req-7f3a' }) requestId: string;
  @ApiPropertyOptional({ type: [FieldProblemDto] }) errors?: FieldProblemDto[];
}
