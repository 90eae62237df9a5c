import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageQuery, toBool } from '../../common/http/pagination.js';
import { IsNonBlankText } from '../../common/text/plain-text.js';

export class CreateSiteDto {
  @ApiPropertyOptional({
    example: 'YDL-GY',
    description: 'Short unique code, usable wherever a site id is taken',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be 1-32 of A-Z a-z 0-9 _ -' })
  code?: string;

  @ApiProperty({ example: '永定楼公园' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: '公园广场', description: '社区, 主干道, 公园广场, 医院, 农贸市场 …' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(20)
  kind: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) address?: string;
  @ApiPropertyOptional({ example: 39.94 }) @IsOptional() @IsNumber() @IsLatitude() lat?: number;
  @ApiPropertyOptional({ example: 116.1 }) @IsOptional() @IsNumber() @IsLongitude() lng?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Unit answerable for problems found here' })
  @IsOptional()
  @IsUUID()
  defaultUnitId?: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateSiteDto extends PartialType(CreateSiteDto) {}

export class ListSitesQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) kind?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() defaultUnitId?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class SiteDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) code: string | null;
  @ApiProperty() name: string;
  @ApiProperty() kind: string;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: Number }) lat: number | null;
  @ApiProperty({ nullable: true, type: Number }) lng: number | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) defaultUnitId: string | null;
  @ApiProperty() active: boolean;
}

export class SitePageDto {
  @ApiProperty({ type: [SiteDto] }) items: SiteDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
