import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { EntityManager, Repository } from 'typeorm';
import { IsNull } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { dbOf } from '../database/kysely.js';
import { TransactionRunner } from '../database/transaction.js';
import { Unit } from '../units/unit.entity.js';
import { User } from '../users/user.entity.js';
import { AuthErrorCode } from './auth-errors.js';
import type { TokenPairDto } from './dto/auth.dto.js';
import { hashPassword, timingDummyHash, verifyPassword } from './passwords.js';
import { PrincipalCache } from './principal-cache.js';
import { RefreshToken } from './refresh-token.entity.js';
import { randomToken, sha256 } from './secrets.js';

export interface AccessClaims {
  sub: string;
  typ: 'access';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalidCredentials = (): DomainError =>
  new DomainError('unauthenticated', AuthErrorCode.INVALID_CREDENTIALS, '用户名或密码错误');
const invalidRefresh = (): DomainError =>
  new DomainError('unauthenticated', AuthErrorCode.INVALID_REFRESH_TOKEN, '登录已失效，请重新登录');

const tokenExpired = (): DomainError =>
  new DomainError(
    'unauthenticated',
    CommonErrorCode.TOKEN_EXPIRED,
    '登录已过期，请刷新令牌或重新登录',
  );

const unitInactive = (): DomainError =>
  new DomainError('unauthenticated', AuthErrorCode.UNIT_INACTIVE, '所属单位已停用，无法登录或操作');

export const principalOfUser = (u: User): Principal => ({
  kind: 'user',
  id: u.id,
  role: u.role,
  unitId: u.unitId,
  displayName: u.displayName,
});

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly jwt: JwtService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: PrincipalCache,
  ) {}

  async login(username: string, password: string): Promise<TokenPairDto> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username: username.trim().toLowerCase() })
      .getOne();
    if (!user) {
      await verifyPassword(await timingDummyHash(), password);
      throw invalidCredentials();
    }
    if (!(await verifyPassword(user.passwordHash, password)) || !user.active) {
      throw invalidCredentials();
    }
    if (await this.unitInactive(this.users.manager, user)) throw unitInactive();
    await this.users.update(user.id, { lastLoginAt: this.clock.now() });
    return this.tx.withTransaction((em) => this.issue(em, user, randomUUID()));
  }

  /** Rotates the refresh token; a token used twice revokes its whole family. */
  async refresh(token: string): Promise<TokenPairDto> {
    const outcome = await this.tx.withTransaction(async (em) => {
      const row = await em
        .getRepository(RefreshToken)
        .createQueryBuilder('t')
        .setLock('pessimistic_write')
        .where('t.tokenHash = :h', { h: sha256(token) })
        .getOne();
      if (!row) return 'invalid' as const;
      const now = this.clock.now();
      if (row.revokedAt) {
        await em
          .getRepository(RefreshToken)
          .update({ familyId: row.familyId, revokedAt: IsNull() }, { revokedAt: now });
        return 'reused' as const;
      }
      if (row.expiresAt <= now) return 'invalid' as const;
      const user = await em.getRepository(User).findOneBy({ id: row.userId });
      if (!user?.active) return 'invalid' as const;
      if (await this.unitInactive(em, user)) return 'unit_inactive' as const;
      await em.getRepository(RefreshToken).update(row.id, { revokedAt: now });
      return this.issue(em, user, row.familyId);
    });
    // Thrown after the transaction so that the family revocation above is committed.
    if (outcome === 'invalid' || outcome === 'reused') throw invalidRefresh();
    if (outcome === 'unit_inactive') throw unitInactive();
    return outcome;
  }

  /** Ends the login the refresh token belongs to (its whole rotation family). */
  async logout(token: string): Promise<void> {
    // One statement with a subquery, which the entity API cannot say: typed SQL instead.
    await dbOf(this.users.manager)
      .updateTable('refresh_tokens')
      .set({ revoked_at: this.clock.now() })
      .where('revoked_at', 'is', null)
      .where('family_id', '=', (eb) =>
        eb.selectFrom('refresh_tokens').select('family_id').where('token_hash', '=', sha256(token)),
      )
      .execute();
  }

  /**
   * The user behind a verified access token, or 401 if it no longer may sign in. Kept per
   * process for under a second, and dropped at once when a user or unit changes
   * (`PrincipalCache`): a deactivated user or a changed role applies within a second everywhere.
   */
  async principalOfAccessToken(token: string): Promise<Principal> {
    const { principal, exp } = await this.cache.get(`jwt:${token}`, () => this.verified(token));
    // A kept token expires as jsonwebtoken decides it: at `exp`, to the second.
    if (Math.floor(Date.now() / 1000) >= exp) throw tokenExpired();
    return principal;
  }

  private async verified(token: string): Promise<{ principal: Principal; exp: number }> {
    let claims: AccessClaims & { exp?: number };
    try {
      claims = await this.jwt.verifyAsync<AccessClaims & { exp?: number }>(token);
    } catch (e) {
      if ((e as Error).name === 'TokenExpiredError') throw tokenExpired();
      throw new DomainError('unauthenticated', CommonErrorCode.UNAUTHENTICATED, '无效的访问令牌');
    }
    // A subject that is no UUID would reach Postgres as a uuid parameter and come back as a 400.
    if (claims.typ !== 'access' || typeof claims.sub !== 'string' || !UUID.test(claims.sub)) {
      throw new DomainError('unauthenticated', CommonErrorCode.UNAUTHENTICATED, '无效的访问令牌');
    }
    const user = await this.users.findOneBy({ id: claims.sub });
    if (!user?.active) {
      throw new DomainError(
        'unauthenticated',
        CommonErrorCode.UNAUTHENTICATED,
        '账号不存在或已停用',
      );
    }
    if (await this.unitInactive(this.users.manager, user)) throw unitInactive();
    return { principal: principalOfUser(user), exp: claims.exp ?? Number.POSITIVE_INFINITY };
  }

  async changePassword(userId: string, current: string, next: string): Promise<void> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: userId })
      .getOneOrFail();
    if (!(await verifyPassword(user.passwordHash, current))) {
      throw new DomainError(
        'invalid',
        AuthErrorCode.WRONG_PASSWORD,
        'currentPassword: 当前密码不正确',
        {
          errors: [{ field: 'currentPassword', code: 'wrongPassword', message: '当前密码不正确' }],
        },
      );
    }
    const passwordHash = await hashPassword(next);
    await this.tx.withTransaction(async (em) => {
      await em.getRepository(User).update(userId, { passwordHash });
      // Every other session ends with the old password.
      await em
        .getRepository(RefreshToken)
        .update({ userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    });
  }

  /** A unit user whose unit is deactivated: checked at every sign-in, refresh and request. */
  private async unitInactive(em: EntityManager, user: User): Promise<boolean> {
    if (!user.unitId) return false;
    const unit = await em
      .getRepository(Unit)
      .findOne({ select: { id: true, active: true }, where: { id: user.unitId } });
    return !unit?.active;
  }

  private async issue(em: EntityManager, user: User, familyId: string): Promise<TokenPairDto> {
    const ttl = this.config.auth.accessTtlSeconds;
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, typ: 'access' } satisfies AccessClaims,
      {
        expiresIn: ttl,
      },
    );
    const refreshToken = randomToken(32);
    const refreshExpiresAt = new Date(
      this.clock.now().getTime() + this.config.auth.refreshTtlSeconds * 1000,
    );
    await em.getRepository(RefreshToken).insert({
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: refreshExpiresAt,
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: ttl,
      refreshToken,
      refreshExpiresAt: refreshExpiresAt.toISOString(),
      principal: principalOfUser(user),
    };
  }
}
