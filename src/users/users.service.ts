import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { RefreshToken } from '../auth/refresh-token.entity.js';
import { hashPassword } from '../auth/passwords.js';
import { Clock } from '../common/clock.js';
import { DomainError, invalidField } from '../common/errors/domain-error.js';
import { decodeCursor, toPage } from '../common/http/pagination.js';
import { rethrowUnique } from '../database/pg-errors.js';
import { TransactionRunner } from '../database/transaction.js';
import { escapeLike } from '../database/sql-where.js';
import { UnitsService } from '../units/units.service.js';
import type { CreateUserDto, ListUsersQuery, UpdateUserDto, UserDto } from './dto/user.dto.js';
import { User } from './user.entity.js';

export enum UserErrorCode {
  USER_NOT_FOUND = 'USER_NOT_FOUND',
}

const UNIQUE = { uq_users_username: { field: 'username', message: '用户名已存在' } };

const toDto = (u: User): UserDto => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  unitId: u.unitId,
  phone: u.phone,
  active: u.active,
  lastLoginAt: u.lastLoginAt,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly units: UnitsService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async get(id: string): Promise<UserDto> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new DomainError('not_found', UserErrorCode.USER_NOT_FOUND, '用户不存在');
    return toDto(user);
  }

  async list(q: ListUsersQuery): Promise<{ items: UserDto[]; nextCursor: string | null }> {
    const limit = q.limit ?? 50;
    const qb = this.users.createQueryBuilder('u').orderBy('u.username', 'ASC');
    if (q.role) qb.andWhere('u.role = :role', { role: q.role });
    if (q.unitId) qb.andWhere('u.unitId = :unitId', { unitId: q.unitId });
    if (q.active !== undefined) qb.andWhere('u.active = :active', { active: q.active });
    if (q.q)
      qb.andWhere('(u.username ILIKE :q OR u.displayName ILIKE :q)', { q: `%${escapeLike(q.q)}%` });
    if (q.cursor) qb.andWhere('u.username > :after', { after: decodeCursor(q.cursor, 1)[0] });
    const page = toPage(await qb.take(limit + 1).getMany(), limit, (u) => [u.username]);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  async create(dto: CreateUserDto): Promise<UserDto> {
    const unitId = await this.checkUnit(dto.role, dto.unitId);
    const passwordHash = await hashPassword(dto.password);
    try {
      const saved = await this.users.save(
        this.users.create({
          username: dto.username,
          displayName: dto.displayName.trim(),
          role: dto.role,
          unitId,
          phone: dto.phone ?? null,
          passwordHash,
          active: true,
          lastLoginAt: null,
        }),
      );
      return toDto(saved);
    } catch (e) {
      rethrowUnique(e, UNIQUE);
    }
  }

  async update(id: string, dto: UpdateUserDto): Promise<UserDto> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new DomainError('not_found', UserErrorCode.USER_NOT_FOUND, '用户不存在');
    const role = dto.role ?? user.role;
    const unitId =
      dto.role !== undefined || dto.unitId !== undefined
        ? await this.checkUnit(
            role,
            dto.unitId ?? (role === 'unit' ? (user.unitId ?? undefined) : undefined),
          )
        : user.unitId;
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    const endSessions = passwordHash !== undefined || dto.active === false;
    await this.tx.withTransaction(async (em) => {
      await em.getRepository(User).update(id, {
        displayName: dto.displayName?.trim() ?? user.displayName,
        role,
        unitId,
        phone: dto.phone ?? user.phone,
        active: dto.active ?? user.active,
        ...(passwordHash ? { passwordHash } : {}),
      });
      if (endSessions) {
        await em
          .getRepository(RefreshToken)
          .update({ userId: id, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
      }
    });
    return this.get(id);
  }

  /** Resolves the unit of a user with `role`: required and active for unit users, absent otherwise. */
  private async checkUnit(role: string, unitId: string | undefined): Promise<string | null> {
    if (role !== 'unit') {
      if (unitId) throw invalidField('unitId', '只有单位用户可以关联单位', 'unitOnlyForUnitRole');
      return null;
    }
    if (!unitId) throw invalidField('unitId', '单位用户必须指定所属单位', 'isNotEmpty');
    return (await this.units.getActive(unitId, 'unitId')).id;
  }
}
