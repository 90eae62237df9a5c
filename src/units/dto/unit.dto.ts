import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQuery, toBool } from '../../common/http/pagination.js';
import { UNIT_KINDS, type UnitKind } from '../unit.entity.js';
import { IsNonBlankText } from '../../common/text/plain-text.js';

export class CreateUnitDto {
  @ApiProperty({ example: 'DXF', description: 'Short unique code' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be 1-32 of A-Z a-z 0-9 _ -' })
  code: string;

  @ApiProperty({ example: '东辛房街道' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: UNIT_KINDS, example: 'street' })
  @IsIn(UNIT_KINDS)
  kind: UnitKind;

  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  sortOrder?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateUnitDto extends PartialType(CreateUnitDto) {}

export class ListUnitsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: UNIT_KINDS }) @IsOptional() @IsIn(UNIT_KINDS) kind?: UnitKind;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ description: 'Matches code or name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class UnitDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind: UnitKind;
  @ApiProperty() sortOrder: number;
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}

export class UnitPageDto {
  @ApiProperty({ type: [UnitDto] }) items: UnitDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
