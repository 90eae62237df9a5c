import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { AuthService } from '../auth/auth.service.js';
import type { Principal, RequestWithPrincipal } from '../common/auth/principal.js';
import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';

const unauthenticated = (): DomainError =>
  new DomainError(
    'unauthenticated',
    CommonErrorCode.UNAUTHENTICATED,
    'api_key: 需要 API 密钥（api_key 参数或 X-Api-Key）或登录令牌',
  );

/** The spec's `api_key`, in the query or in the body of a POST (form or JSON). */
function apiKeyParameter(request: FastifyRequest): string | undefined {
  for (const source of [request.query, request.body]) {
    const v = (source as Record<string, unknown> | undefined)?.api_key;
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

/**
 * Open311's credentials: what the REST API takes (a bearer token of a user or a unit's API key,
 * or `X-Api-Key`), and the spec's `api_key` parameter. Nothing is public: the routes carry
 * @Public() only so that the global guard lets this one decide. The key is never logged (the
 * request log masks it in the URL, see common/logger.ts).
 */
@Injectable()
export class Open311AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & RequestWithPrincipal>();
    request.principal = await this.authenticate(request);
    return true;
  }

  private authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers['x-api-key'];
    if (typeof header === 'string' && header) return this.apiKeys.authenticate(header);
    const authorization = request.headers.authorization;
    if (authorization) {
      const [scheme, token] = authorization.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthenticated();
      return token.startsWith('cck_')
        ? this.apiKeys.authenticate(token)
        : this.auth.principalOfAccessToken(token);
    }
    const parameter = apiKeyParameter(request);
    if (parameter) return this.apiKeys.authenticate(parameter);
    throw unauthenticated();
  }
}
