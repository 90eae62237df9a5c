import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { IsInstant } from '../../common/time/time.validators.js';
import { IsIdOrCode } from '../../common/http/id-or-code.js';
import { IsNonBlankText } from '../../common/text/plain-text.js';

export const MAX_PHOTOS = 9;

/** A problem found on a visit. Routed to the site's default unit with the category's 时限, or left for dispatch. */
export class CreateTaskDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The inspection that found it' })
  @IsOptional()
  @IsUUID()
  inspectionId?: string;

  @ApiProperty({ description: "A UUID, or the row's code (e.g. HJ07)" })
  @IsIdOrCode()
  categoryId: string;

  @ApiPropertyOptional({
    description: 'A catalog site, by id or code; or give `address`',
  })
  @IsOptional()
  @IsIdOrCode()
  siteId?: string;

  @ApiPropertyOptional({ example: '新桥大街12号楼2单元' })
  @IsOptional()
  @IsString()
  @IsNonBlankText()
  @MaxLength(200)
  address?: string;

  @ApiPropertyOptional({
    example: 39.94,
    description:
      '纬度（WGS-84）。与 lng 同时提供或都不提供（只给一个答 400 latLngPair）；都不提供时取点位的位置',
  })
  @IsOptional()
  @IsNumber()
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional({
    example: 116.1,
    description: '经度（WGS-84）。与 lat 同时提供或都不提供',
  })
  @IsOptional()
  @IsNumber()
  @IsLongitude()
  lng?: number;

  @ApiProperty({ example: '2单元楼道堆放纸箱、旧家具' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(2000)
  description: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'When the problem was found (发现时间; the phone fills it in), if not now: at most 5 minutes ahead of the server, at most 30 days ago. Default: when the server receives it',
    example: '2026-11-18T09:35:00+08:00',
  })
  @IsOptional()
  @IsInstant()
  foundAt?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Uploaded photos (POST /attachments)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PHOTOS)
  @IsUUID('all', { each: true })
  beforePhotoIds?: string[];

  @ApiPropertyOptional({
    description: 'Office only: assign to this unit (id or code) instead of the route',
  })
  @IsOptional()
  @IsIdOrCode()
  unitId?: string;

  @ApiPropertyOptional({
    description:
      '来源, a code from GET /sources (config/sources.json). Default: the first (督导检查); another source is office only',
    example: 'leader',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  source?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Office only: override the computed deadline',
  })
  @IsOptional()
  @IsInstant()
  deadline?: string;
}
