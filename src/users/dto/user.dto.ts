import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { ROLES, type Role } from '../../common/auth/principal.js';
import { PageQuery, toBool } from '../../common/http/pagination.js';
import { IsNonBlankText } from '../../common/text/plain-text.js';

export class CreateUserDto {
  @ApiProperty({ example: 'zhangsan', description: 'Lower-case letters, digits, _ . -' })
  @IsString()
  @Matches(/^[a-z0-9_.-]{3,64}$/, { message: 'username must be 3-64 of a-z 0-9 _ . -' })
  username: string;

  @ApiProperty({ example: '张三' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(100)
  displayName: string;

  @ApiProperty({ enum: ROLES, example: 'unit' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Required for role `unit`, forbidden otherwise',
  })
  @ValidateIf((o: CreateUserDto) => o.role === 'unit' || o.unitId !== undefined)
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password: string;
}

export class UpdateUserDto extends PartialType(
  OmitType(CreateUserDto, ['username', 'password'] as const),
) {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;

  @ApiPropertyOptional({
    minLength: 10,
    description: 'Sets a new password and ends the user’s sessions',
  })
  @IsOptional()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password?: string;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() unitId?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES, example: 'unit' }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) unitId: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: Date }) lastLoginAt: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] }) items: UserDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
