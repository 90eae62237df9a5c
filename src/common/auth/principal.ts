import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';

export const ROLES = ['admin', 'inspector', 'unit'] as const;
/** admin = 创城办 office staff; inspector = 督导员; unit = a responsible unit (user or API key). */
export type Role = (typeof ROLES)[number];

/** Who is calling: a signed-in user or a unit's API key. */
export interface Principal {
  kind: 'user' | 'api_key';
  /** The user's id, or the API key's id. */
  id: string;
  role: Role;
  /** The unit a `unit` principal acts for; null for admin and inspector. */
  unitId: string | null;
  displayName: string;
}

export const IS_PUBLIC = 'auth:isPublic';
/** The route needs no credentials (health, login, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

export const ROLES_KEY = 'auth:roles';
/** Only these roles may call the route; others get 403. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

export const USERS_ONLY = 'auth:usersOnly';
/** API keys may not call the route (account routes such as `/me/password`). */
export const UsersOnly = (): MethodDecorator & ClassDecorator => SetMetadata(USERS_ONLY, true);

export interface RequestWithPrincipal {
  principal?: Principal;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const principal = ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});
