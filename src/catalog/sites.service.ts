import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { DomainError, invalidField } from '../common/errors/domain-error.js';
import { decodeCursor, toPage } from '../common/http/pagination.js';
import { isUuid } from '../common/http/id-or-code.js';
import { dbOf, type Db } from '../database/kysely.js';
import { rethrowUnique } from '../database/pg-errors.js';
import { prepared } from '../database/prepared.js';
import { escapeLike } from '../database/sql-where.js';
import { UnitsService } from '../units/units.service.js';
import { CatalogErrorCode } from './categories.service.js';
import type { CreateSiteDto, ListSitesQuery, SiteDto, UpdateSiteDto } from './dto/site.dto.js';
import { Site } from './site.entity.js';

const UNIQUE = {
  uq_sites_name: { field: 'name', message: '点位名称已存在' },
  uq_sites_code: { field: 'code', message: '点位编码已存在' },
};

const toDto = (s: Site): SiteDto => ({
  id: s.id,
  code: s.code,
  name: s.name,
  kind: s.kind,
  address: s.address,
  lat: s.lat,
  lng: s.lng,
  defaultUnitId: s.defaultUnitId,
  active: s.active,
});

@Injectable()
export class SitesService {
  constructor(
    @InjectRepository(Site) private readonly sites: Repository<Site>,
    private readonly units: UnitsService,
  ) {}

  async get(id: string): Promise<SiteDto> {
    const s = await this.sites.findOneBy({ id });
    if (!s) throw new DomainError('not_found', CatalogErrorCode.SITE_NOT_FOUND, '点位不存在');
    return toDto(s);
  }

  /**
   * A site referenced by a new record, by id or by code: must exist and be active, else 400
   * naming `field`.
   */
  async getActive(id: string, field: string, em?: EntityManager): Promise<Site> {
    // A prepared statement (src/database/prepared.ts): every new task reads its site here.
    const db = dbOf(em ?? this.sites.manager);
    const s = await (isUuid(id) ? siteById.first(db, { id }) : siteByCode.first(db, { code: id }));
    if (!s?.active) throw invalidField(field, '点位不存在或已停用', 'siteExists');
    return Object.assign(new Site(), s);
  }

  async list(q: ListSitesQuery): Promise<{ items: SiteDto[]; nextCursor: string | null }> {
    const limit = q.limit ?? 50;
    const qb = this.sites.createQueryBuilder('s').orderBy('s.name', 'ASC');
    if (q.kind) qb.andWhere('s.kind = :kind', { kind: q.kind });
    if (q.defaultUnitId) qb.andWhere('s.defaultUnitId = :u', { u: q.defaultUnitId });
    if (q.active !== undefined) qb.andWhere('s.active = :active', { active: q.active });
    if (q.q) qb.andWhere('(s.name ILIKE :q OR s.address ILIKE :q)', { q: `%${escapeLike(q.q)}%` });
    if (q.cursor) qb.andWhere('s.name > :after', { after: decodeCursor(q.cursor, 1)[0] });
    const page = toPage(await qb.take(limit + 1).getMany(), limit, (s) => [s.name]);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  async create(dto: CreateSiteDto): Promise<SiteDto> {
    if (dto.defaultUnitId) await this.units.getActive(dto.defaultUnitId, 'defaultUnitId');
    if ((dto.lat === undefined) !== (dto.lng === undefined)) {
      throw invalidField(dto.lat === undefined ? 'lat' : 'lng', '经纬度必须同时提供', 'latLngPair');
    }
    try {
      return toDto(await this.sites.save(this.sites.create({ ...dto, name: dto.name.trim() })));
    } catch (e) {
      rethrowUnique(e, UNIQUE);
    }
  }

  async update(id: string, dto: UpdateSiteDto): Promise<SiteDto> {
    const current = await this.sites.findOneBy({ id });
    if (!current) throw new DomainError('not_found', CatalogErrorCode.SITE_NOT_FOUND, '点位不存在');
    if (dto.defaultUnitId) await this.units.getActive(dto.defaultUnitId, 'defaultUnitId');
    try {
      return toDto(await this.sites.save({ ...current, ...dto }));
    } catch (e) {
      rethrowUnique(e, UNIQUE);
    }
  }
}

const siteRow = (db: Db) =>
  db
    .selectFrom('sites')
    .select([
      'id',
      'code',
      'name',
      'kind',
      'address',
      'lat',
      'lng',
      'default_unit_id as defaultUnitId',
      'active',
      'created_at as createdAt',
      'updated_at as updatedAt',
    ]);

const siteById = prepared((db, p: { id: string }) => siteRow(db).where('id', '=', p.id));

const siteByCode = prepared((db, p: { code: string }) => siteRow(db).where('code', '=', p.code));
