import { ApiProperty } from '@nestjs/swagger';

/** One error of the spec's error list (`<errors><error>` in XML). */
export class Open311ErrorDto {
  @ApiProperty({ example: 400, description: 'The HTTP status, as in the spec’s examples' })
  code: number;
  @ApiProperty({ example: 'start_date: 须为 W3C 日期时间，如 2026-11-01T00:00:00+08:00' })
  description: string;
}
