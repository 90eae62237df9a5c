import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { CommonErrorCode, DomainError, invalidField } from '../common/errors/domain-error.js';
import { isUuid } from '../common/http/id-or-code.js';
import { cursorTimestamp, decodeCursor, microsUtc, toPage } from '../common/http/pagination.js';
import { UnitsService } from '../units/units.service.js';
import { ApiKey } from './api-key.entity.js';
import { AuthErrorCode } from './auth-errors.js';
import type {
  ApiKeyDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  ListApiKeysQuery,
} from './dto/api-key.dto.js';
import { API_KEY_PATTERN, newApiKey, sameHash, sha256 } from './secrets.js';
import { PrincipalCache } from './principal-cache.js';
import { parseInstant } from '../common/time/iso-time.js';

const toDto = (k: ApiKey): ApiKeyDto => ({
  id: k.id,
  unitId: k.unitId,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  expiresAt: k.expiresAt,
  revokedAt: k.revokedAt,
});

const badKey = (): DomainError =>
  new DomainError('unauthenticated', CommonErrorCode.UNAUTHENTICATED, '无效或已吊销的 API 密钥');

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly units: UnitsService,
    private readonly clock: Clock,
    private readonly cache: PrincipalCache,
  ) {}

  async create(dto: CreateApiKeyDto, createdBy: Principal): Promise<CreatedApiKeyDto> {
    const unit = await this.units.getActive(dto.unitId, 'unitId');
    const expiresAt = dto.expiresAt ? parseInstant(dto.expiresAt) : null;
    // A key born expired can never authenticate: almost certainly a typo in the year.
    if (expiresAt && expiresAt <= this.clock.now())
      throw invalidField('expiresAt', '过期时间必须晚于当前时间', 'futureDate');
    const { key, prefix } = newApiKey();
    const row = await this.keys.save(
      this.keys.create({
        unitId: unit.id,
        name: dto.name.trim(),
        prefix,
        keyHash: sha256(key),
        createdBy: createdBy.kind === 'user' ? createdBy.id : null,
        expiresAt,
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    return { ...toDto(row), key };
  }

  async list(q: ListApiKeysQuery): Promise<{ items: ApiKeyDto[]; nextCursor: string | null }> {
    const limit = q.limit ?? 50;
    const qb = this.keys
      .createQueryBuilder('k')
      .addSelect(microsUtc('k.created_at'), 'cursor_at')
      .orderBy('k.createdAt', 'DESC')
      .addOrderBy('k.id', 'DESC');
    if (q.unitId) {
      qb.andWhere(
        isUuid(q.unitId)
          ? 'k.unitId = :unitId'
          : 'k.unitId = (SELECT u.id FROM units u WHERE u.code = :unitId)',
        { unitId: q.unitId },
      );
    }
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor, 2);
      qb.andWhere('(k.createdAt, k.id) < (CAST(:at AS timestamptz), :id)', {
        at: cursorTimestamp(at),
        id,
      });
    }
    const { entities, raw } = await qb.limit(limit + 1).getRawAndEntities<{ cursor_at: string }>();
    const rows = entities.map((k, i) => ({ key: k, cursorAt: raw[i].cursor_at }));
    const page = toPage(rows, limit, (r) => [r.cursorAt, r.key.id]);
    return { items: page.items.map((r) => toDto(r.key)), nextCursor: page.nextCursor };
  }

  async revoke(id: string): Promise<ApiKeyDto> {
    const key = await this.keys.findOneBy({ id });
    if (!key) throw new DomainError('not_found', AuthErrorCode.API_KEY_NOT_FOUND, 'API 密钥不存在');
    if (!key.revokedAt) {
      key.revokedAt = this.clock.now();
      await this.keys.update(id, { revokedAt: key.revokedAt });
    }
    return toDto(key);
  }

  /**
   * The unit principal behind a raw key, or 401. Kept per process for under a second and dropped
   * when a key or unit changes (`PrincipalCache`); a kept key still expires at its time.
   */
  async authenticate(raw: string): Promise<Principal> {
    const { principal, expiresAt } = await this.cache.get(`key:${raw}`, () => this.verified(raw));
    if (expiresAt && expiresAt <= this.clock.now()) throw badKey();
    return principal;
  }

  private async verified(raw: string): Promise<{ principal: Principal; expiresAt: Date | null }> {
    const match = API_KEY_PATTERN.exec(raw);
    if (!match) throw badKey();
    const key = await this.keys
      .createQueryBuilder('k')
      .addSelect('k.keyHash')
      .where('k.prefix = :prefix', { prefix: match[1] })
      .getOne();
    const now = this.clock.now();
    if (
      !key ||
      !sameHash(key.keyHash, sha256(raw)) ||
      key.revokedAt ||
      (key.expiresAt && key.expiresAt <= now)
    ) {
      throw badKey();
    }
    const unit = await this.units.findById(key.unitId);
    if (!unit?.active) throw badKey();
    // Best effort and coarse (once a minute) so that busy clients do not write on every call.
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000) {
      void this.keys.update(key.id, { lastUsedAt: now }).catch(() => undefined);
    }
    return {
      principal: {
        kind: 'api_key',
        id: key.id,
        role: 'unit',
        unitId: key.unitId,
        displayName: `${unit.name}（${key.name}）`,
      },
      expiresAt: key.expiresAt,
    };
  }
}
