import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public, UsersOnly, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { AuthService } from './auth.service.js';
import { ChangePasswordDto, LoginDto, MeDto, RefreshDto, TokenPairDto } from './dto/auth.dto.js';
import { LoginThrottled } from '../throttling/throttling.decorators.js';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Sign in with username and password; rate limited per address and username. */
  @Public()
  @LoginThrottled()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401, 429)
  login(@Body() dto: LoginDto): Promise<TokenPairDto> {
    return this.auth.login(dto.username, dto.password);
  }

  /** Exchange a refresh token for a new pair; the old refresh token stops working. */
  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401)
  refresh(@Body() dto: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  /** End the login that the refresh token belongs to. */
  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  @ApiProblems(400)
  logout(@Body() dto: RefreshDto): Promise<void> {
    return this.auth.logout(dto.refreshToken);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiSecurity('apiKey')
  @ApiOkResponse({ type: MeDto })
  @ApiProblems(401)
  me(@CurrentPrincipal() principal: Principal): MeDto {
    return {
      kind: principal.kind,
      id: principal.id,
      role: principal.role,
      unitId: principal.unitId,
      displayName: principal.displayName,
    };
  }

  @UsersOnly()
  @Post('me/password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiProblems(400, 401, 403)
  changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    return this.auth.changePassword(principal.id, dto.currentPassword, dto.newPassword);
  }
}
