import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/http/pagination.js';
import { IsInstant } from '../../common/time/time.validators.js';
import { IsIdOrCode } from '../../common/http/id-or-code.js';
import { IsNonBlankText } from '../../common/text/plain-text.js';

export class CreateApiKeyDto {
  @ApiProperty({ description: 'The unit the key acts for: its UUID or its code' })
  @IsIdOrCode()
  unitId: string;

  @ApiProperty({ example: '东辛房街道网格化平台' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsInstant()
  expiresAt?: string;
}

export class ListApiKeysQuery extends PageQuery {
  @ApiPropertyOptional({ description: "A UUID, or the row's code (e.g. HJ07)" })
  @IsOptional()
  @IsIdOrCode()
  unitId?: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Public part, shown in lists to tell keys apart' }) prefix: string;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: Date }) lastUsedAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: Date }) expiresAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: Date }) revokedAt: Date | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself. Shown this once; only its hash is stored.' })
  key: string;
}

export class ApiKeyPageDto {
  @ApiProperty({ type: [ApiKeyDto] }) items: ApiKeyDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
