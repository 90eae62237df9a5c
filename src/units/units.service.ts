import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { DomainError, invalidField } from '../common/errors/domain-error.js';
import { isUuid } from '../common/http/id-or-code.js';
import { decodeCursor, toPage } from '../common/http/pagination.js';
import { dbOf } from '../database/kysely.js';
import { rethrowUnique } from '../database/pg-errors.js';
import { prepared } from '../database/prepared.js';
import { escapeLike } from '../database/sql-where.js';
import type { CreateUnitDto, ListUnitsQuery, UnitDto, UpdateUnitDto } from './dto/unit.dto.js';
import { Unit } from './unit.entity.js';

export enum UnitErrorCode {
  UNIT_NOT_FOUND = 'UNIT_NOT_FOUND',
  /** Work may not go to a deactivated unit. */
  UNIT_INACTIVE = 'UNIT_INACTIVE',
}

const UNIQUE = {
  uq_units_code: { field: 'code', message: '单位编码已存在' },
  uq_units_name: { field: 'name', message: '单位名称已存在' },
};

@Injectable()
export class UnitsService {
  constructor(@InjectRepository(Unit) private readonly units: Repository<Unit>) {}

  findById(id: string): Promise<Unit | null> {
    return this.units.findOneBy({ id });
  }

  async get(id: string): Promise<UnitDto> {
    const unit = await this.findById(id);
    if (!unit) throw new DomainError('not_found', UnitErrorCode.UNIT_NOT_FOUND, '单位不存在');
    return unit;
  }

  /**
   * A unit referenced by another record: must exist and be active, else 400 naming `field`. A
   * check before any transaction opens (on a connection of its own); inside one, use
   * `lockIfActive` with the transaction's manager, which also holds the row.
   */
  async getActive(id: string, field: string): Promise<Unit> {
    const unit = await this.units.findOneBy(isUuid(id) ? { id } : { code: id });
    if (!unit?.active) throw invalidField(field, '单位不存在或已停用', 'unitExists');
    return unit;
  }

  /**
   * Whether the unit may receive work, with its row locked until the caller's transaction ends:
   * a deactivation (which takes FOR UPDATE) either commits first and is seen here, or waits until
   * this transaction has committed. Only one order is possible. FOR KEY SHARE is the lock the
   * foreign key of the task's unit_id takes anyway: it conflicts with FOR UPDATE but not with
   * other edits of the unit (its webhook, its name), nor with concurrent creates.
   */
  async lockIfActive(
    em: EntityManager,
    idOrCode: string,
  ): Promise<Pick<Unit, 'id' | 'name' | 'active'> | null> {
    // A prepared statement (src/database/prepared.ts): every new task and assignment locks here.
    const db = dbOf(em);
    const unit = await (isUuid(idOrCode)
      ? lockUnitById.first(db, { id: idOrCode })
      : lockUnitByCode.first(db, { code: idOrCode }));
    return unit?.active ? unit : null;
  }

  /** A unit work is assigned to: exists and is active (locked, see `lockIfActive`), else 422 naming `field`. */
  async lockActiveForWork(
    em: EntityManager,
    id: string,
    field: string,
  ): Promise<Pick<Unit, 'id' | 'name' | 'active'>> {
    const unit = await this.lockIfActive(em, id);
    if (!unit) {
      throw new DomainError(
        'unprocessable',
        UnitErrorCode.UNIT_INACTIVE,
        `${field}: 单位不存在或已停用`,
        {
          errors: [{ field, code: 'unitActive', message: '单位不存在或已停用' }],
        },
      );
    }
    return unit;
  }

  async list(q: ListUnitsQuery): Promise<{ items: UnitDto[]; nextCursor: string | null }> {
    const limit = q.limit ?? 50;
    const qb = this.units
      .createQueryBuilder('u')
      .orderBy('u.sortOrder', 'ASC')
      .addOrderBy('u.code', 'ASC');
    if (q.kind) qb.andWhere('u.kind = :kind', { kind: q.kind });
    if (q.active !== undefined) qb.andWhere('u.active = :active', { active: q.active });
    if (q.q) qb.andWhere('(u.code ILIKE :q OR u.name ILIKE :q)', { q: `%${escapeLike(q.q)}%` });
    if (q.cursor) {
      const [sortOrder, code] = decodeCursor(q.cursor, 2);
      qb.andWhere('(u.sortOrder, u.code) > (:sortOrder, :code)', { sortOrder, code });
    }
    const rows = await qb.take(limit + 1).getMany();
    return toPage(rows, limit, (u) => [u.sortOrder, u.code]);
  }

  async create(dto: CreateUnitDto): Promise<UnitDto> {
    try {
      return await this.units.save(this.units.create({ ...dto, name: dto.name.trim() }));
    } catch (e) {
      rethrowUnique(e, UNIQUE);
    }
  }

  async update(id: string, dto: UpdateUnitDto): Promise<UnitDto> {
    try {
      return await this.units.manager.transaction(async (em) => {
        // FOR UPDATE: a deactivation waits for assignments holding the row (FOR KEY SHARE), and they for it.
        const unit = await em
          .getRepository(Unit)
          .createQueryBuilder('u')
          .setLock('pessimistic_write')
          .where('u.id = :id', { id })
          .getOne();
        if (!unit) throw new DomainError('not_found', UnitErrorCode.UNIT_NOT_FOUND, '单位不存在');
        return em.getRepository(Unit).save({ ...unit, ...dto });
      });
    } catch (e) {
      rethrowUnique(e, UNIQUE);
    }
  }
}

const lockUnitById = prepared((db, p: { id: string }) =>
  db.selectFrom('units').select(['id', 'name', 'active']).where('id', '=', p.id).forKeyShare(),
);

const lockUnitByCode = prepared((db, p: { code: string }) =>
  db.selectFrom('units').select(['id', 'name', 'active']).where('code', '=', p.code).forKeyShare(),
);
