import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  IS_PUBLIC,
  ROLES_KEY,
  USERS_ONLY,
  type RequestWithPrincipal,
  type Role,
} from '../common/auth/principal.js';
import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';
import { RouteMetadata } from '../common/http/route-metadata.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthService } from './auth.service.js';

const unauthenticated = (): DomainError =>
  new DomainError('unauthenticated', CommonErrorCode.UNAUTHENTICATED, '需要登录或 API 密钥');

/**
 * The global guard: every route needs a bearer token (a user's access JWT or a unit API key,
 * also accepted as `X-Api-Key`) unless marked @Public(); then @Roles() decides, 403 otherwise.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** The routes' @Public/@Roles/@UsersOnly, read once per route. */
  private readonly metadata = new RouteMetadata();

  constructor(
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.metadata.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & RequestWithPrincipal>();
    const principal = await this.authenticate(request);
    request.principal = principal;
    const roles = this.metadata.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const usersOnly = this.metadata.getAllAndOverride<boolean>(USERS_ONLY, targets);
    if ((roles && !roles.includes(principal.role)) || (usersOnly && principal.kind !== 'user')) {
      throw new DomainError('forbidden', CommonErrorCode.FORBIDDEN, '无权执行此操作');
    }
    return true;
  }

  private authenticate(request: FastifyRequest): ReturnType<AuthService['principalOfAccessToken']> {
    const apiKeyHeader = request.headers['x-api-key'];
    if (typeof apiKeyHeader === 'string' && apiKeyHeader)
      return this.apiKeys.authenticate(apiKeyHeader);
    const header = request.headers.authorization;
    if (!header) throw unauthenticated();
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthenticated();
    return token.startsWith('cck_')
      ? this.apiKeys.authenticate(token)
      : this.auth.principalOfAccessToken(token);
  }
}
