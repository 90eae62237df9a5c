import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public, UsersOnly, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { AuthService } from './auth.service.js';
import { ChangePasswordDto, LoginDto, MeDto, RefreshDto, TokenPairDto } from './dto/auth.dto.js';
import { LoginThrottled } from '../throttling/throttling.decorators.js';

/** Sign-in (public, tag `auth`) and the caller's own account (tag `me`). */
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Sign in with username and password; rate limited per address and username. */
  @ApiTags('auth')
  @ApiOperation({
    summary: '登录',
    description:
      '公开接口，无需凭证。用户名和密码登录，返回访问令牌（JWT，15 分钟有效）和刷新令牌；按客户端地址和用户名限流，超出答 429。新建一次登录会话。',
  })
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
  @ApiTags('auth')
  @ApiOperation({
    summary: '刷新令牌',
    description:
      '公开接口，凭刷新令牌调用。换取一对新令牌，旧刷新令牌随即失效；再次出示已用过的刷新令牌会注销整个登录。',
  })
  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401)
  refresh(@Body() dto: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  /** End the login that the refresh token belongs to. */
  @ApiTags('auth')
  @ApiOperation({
    summary: '退出登录',
    description: '公开接口，凭刷新令牌调用。结束该刷新令牌所属的登录，之后它不能再换取令牌。',
  })
  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  @ApiProblems(400)
  logout(@Body() dto: RefreshDto): Promise<void> {
    return this.auth.logout(dto.refreshToken);
  }

  @ApiTags('me')
  @ApiOperation({
    summary: '当前身份',
    description:
      '任何已登录的调用方：创城办（admin）、督导员（inspector）、责任单位（unit）的用户或 API 密钥。返回调用方的身份、角色和所属单位。只读，不改变数据。',
  })
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

  @ApiTags('me')
  @ApiOperation({
    summary: '修改密码',
    description:
      '已登录的用户（创城办、督导员、责任单位用户）；API 密钥不可调用（403）。核对当前密码后设置新密码，并结束该用户的其他登录。',
  })
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
