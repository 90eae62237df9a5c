import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { DomainError, invalidField } from '../common/errors/domain-error.js';
import { isUuid } from '../common/http/id-or-code.js';
import { decodeCursor, toPage } from '../common/http/pagination.js';
import { ChangeFeed } from '../database/change-feed.js';
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

/** The channel the `categories` trigger notifies (migration CacheChangeNotify). */
export const CATEGORIES_CHANGED_CHANNEL = 'categories_changed';

interface Catalog {
  byId: Map<string, Category>;
  byCode: Map<string, Category>;
  until: number;
}

@Injectable()
export class CategoriesService {
  /**
   * How long a process keeps the category table (speed, issue 15: every create and every
   * transition read its category). Any change drops it at once: this process's own writes here,
   * and every write anywhere through the `categories_changed` notification (`ChangeFeed`); the
   * lifetime only bounds a missed message.
   */
  static readonly CACHE_TTL_MS = 60_000;
  private catalog: Catalog | null = null;
  private generation = 0;

  constructor(
    @InjectRepository(Category) private readonly categories: Repository<Category>,
    feed: ChangeFeed,
  ) {
    feed.on(CATEGORIES_CHANGED_CHANNEL, () => this.forget());
  }

  /** Drops the kept categories (a load still running is not kept either). */
  forget(): void {
    this.generation += 1;
    this.catalog = null;
  }

  /**
   * The categories as kept by this process (one query for all ~60 rows when not kept). The rows
   * are shared: callers read them and never change them. `em`: the caller's transaction, which
   * reads them when they are not kept — never a second connection from the pool, which a
   * transaction holding one could wait on forever when the pool is busy.
   */
  private async cached(em: EntityManager | undefined, fresh = false): Promise<Catalog> {
    const now = Date.now();
    if (!fresh && this.catalog && this.catalog.until > now) return this.catalog;
    const generation = this.generation;
    const rows = await (em ?? this.categories.manager).getRepository(Category).find();
    const catalog: Catalog = {
      byId: new Map(rows.map((c) => [c.id, c])),
      byCode: new Map(rows.map((c) => [c.code, c])),
      until: now + CategoriesService.CACHE_TTL_MS,
    };
    if (generation === this.generation) this.catalog = catalog;
    return catalog;
  }

  /** One category by id or code from the kept table; a miss is read again before it counts. */
  private async lookup(idOrCode: string, em?: EntityManager): Promise<Category | undefined> {
    const pick = (c: Catalog): Category | undefined =>
      isUuid(idOrCode) ? c.byId.get(idOrCode) : c.byCode.get(idOrCode);
    return pick(await this.cached(em)) ?? pick(await this.cached(em, true));
  }

  /** The rules of a task's category (any state: a task keeps its category once deactivated). */
  async rulesOf(id: string, em?: EntityManager): Promise<Category> {
    const c = await this.lookup(id, em);
    if (!c) throw new Error(`category ${id} not found`);
    return c;
  }

  async get(id: string): Promise<CategoryDto> {
    return toCategoryDto(await this.find(id));
  }

  async find(id: string): Promise<Category> {
    const c = await this.categories.findOneBy({ id });
    if (!c)
      throw new DomainError('not_found', CatalogErrorCode.CATEGORY_NOT_FOUND, '问题类别不存在');
    return c;
  }

  /**
   * A category referenced by a new record: must exist and be active, else 400 naming `field`.
   * From the kept table (the row is shared: read it, never change it); `em`: the caller's
   * transaction, if in one (see `cached`).
   */
  async getActive(id: string, field: string, em?: EntityManager): Promise<Category> {
    const c = await this.lookup(id, em);
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
    } finally {
      this.forget();
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
    } finally {
      this.forget();
    }
  }
}
