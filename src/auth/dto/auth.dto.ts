import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../../common/auth/principal.js';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login or the previous refresh' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) currentPassword: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  newPassword: string;
}

/** The caller as the API sees it. */
export class MeDto {
  @ApiProperty({ enum: ['user', 'api_key'] }) kind: 'user' | 'api_key';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ROLES, example: 'unit' }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) unitId: string | null;
  @ApiProperty() displayName: string;
}

export class TokenPairDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn: number;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ format: 'date-time' }) refreshExpiresAt: string;
  @ApiProperty({ type: MeDto }) principal: MeDto;
}
