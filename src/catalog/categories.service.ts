import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { DomainError, invalidField } from '../common/errors/domain-error.js';
import { isUuid } from '../common/http/id-or-code.js';
import { decodeCursor, toPage } from '../common/http/pagination.js';
import { rethrowUnique } from '../database/pg-errors.js';
import { escapeLike } from '../database/sql-where.js';
import { describeRule, type DeadlineRule } from '../tasks/deadline/deadline.js';
import { Category } from './category.entity.js';
import type {
  CategoryDto,
  CreateCategoryDto,
  ListCategoriesQuery,
  UpdateCategoryDto,
} from './dto/category.dto.js';

export enum CatalogErrorCode {
  CATEGORY_NOT_FOUND = 'CATEGORY_NOT_FOUND',
  SITE_NOT_FOUND = 'SITE_NOT_FOUND',
}

const UNIQUE = {
  uq_categories_code: { field: 'code', message: '类别编码已存在' },
  uq_categories_name: { field: 'name', message: '类别名称已存在' },
};

/** Keeps only the field the rule's kind uses, so `{kind:'immediate', days: 3}` is stored clean. */
export function normaliseRule(rule: { kind: string; hours?: number; days?: number }): DeadlineRule {
  if (rule.kind === 'work_hours') return { kind: 'work_hours', hours: rule.hours as number };
  if (rule.kind === 'work_days') return { kind: 'work_days', days: rule.days as number };
  return { kind: 'immediate' };
}

export const toCategoryDto = (c: Category): CategoryDto => ({
  id: c.id,
  code: c.code,
  name: c.name,
  bulletinName: c.bulletinName,
  groupName: c.groupName,
  measureWord: c.measureWord,
  deadlineRule: c.deadlineRule,
  deadlineLabel: describeRule(c.deadlineRule),
  verificationPolicy: c.verificationPolicy,
  spotCheckRatio: c.spotCheckRatio,
  requiresAfterPhoto: c.requiresAfterPhoto,
  szcgItem: c.szcgItem,
  sortOrder: c.sortOrder,
  active: c.active,
  quickPhrases: c.quickPhrases,
  duplicateRadiusM: c.duplicateRadiusM,
  recurrenceRadiusM: c.recurrenceRadiusM,
});

@Injectable()
export class CategoriesService {
  constructor(@InjectRepository(Category) private readonly categories: Repository<Category>) {}

  async get(id: string): Promise<CategoryDto> {
    return toCategoryDto(await this.find(id));
  }

  async find(id: string): Promise<Category> {
    const c = await this.categories.findOneBy({ id });
    if (!c)
      throw new DomainError('not_found', CatalogErrorCode.CATEGORY_NOT_FOUND, '问题类别不存在');
    return c;
  }

  /** A category referenced by a new record: must exist and be active, else 400 naming `field`. */
  async getActive(id: string, field: string, em?: EntityManager): Promise<Category> {
    const c = await (em ? em.getRepository(Category) : this.categories).findOneBy(
      isUuid(id) ? { id } : { code: id },
    );
    if (!c?.active) throw invalidField(field, '问题类别不存在或已停用', 'categoryExists');
    return c;
  }

  async list(q: ListCategoriesQuery): Promise<{ items: CategoryDto[]; nextCursor: string | null }> {
    const limit = q.limit ?? 50;
    const qb = this.categories
      .createQueryBuilder('c')
      .orderBy('c.sortOrder', 'ASC')
      .addOrderBy('c.code', 'ASC');
    if (q.groupName) qb.andWhere('c.groupName = :g', { g: q.groupName });
    if (q.active !== undefined) qb.andWhere('c.active = :active', { active: q.active });
    if (q.q) qb.andWhere('(c.code ILIKE :q OR c.name ILIKE :q)', { q: `%${escapeLike(q.q)}%` });
    if (q.cursor) {
      const [sortOrder, code] = decodeCursor(q.cursor, 2);
      qb.andWhere('(c.sortOrder, c.code) > (:sortOrder, :code)', { sortOrder, code });
    }
    const page = toPage(await qb.take(limit + 1).getMany(), limit, (c) => [c.sortOrder, c.code]);
    return { items: page.items.map(toCategoryDto), nextCursor: page.nextCursor };
  }

  async create(dto: CreateCategoryDto): Promise<CategoryDto> {
    try {
      const saved = await this.categories.save(
        this.categories.create({
          ...dto,
          deadlineRule: normaliseRule(dto.deadlineRule),
          spotCheckRatio:
            dto.spotCheckRatio ?? (dto.verificationPolicy === 'spot_check' ? 0.3 : null),
        }),
      );
      return toCategoryDto(saved);
    } catch (e) {
      rethrowUnique(e, UNIQUE);
    }
  }

  async update(id: string, dto: UpdateCategoryDto): Promise<CategoryDto> {
    const current = await this.find(id);
    const next = {
      ...current,
      ...dto,
      deadlineRule: dto.deadlineRule ? normaliseRule(dto.deadlineRule) : current.deadlineRule,
    };
    if (next.verificationPolicy === 'spot_check' && next.spotCheckRatio === null) {
      throw invalidField('spotCheckRatio', '抽查方式必须设置抽查比例', 'isNotEmpty');
    }
    try {
      return toCategoryDto(await this.categories.save(next));
    } catch (e) {
      rethrowUnique(e, UNIQUE);
    }
  }
}
