import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CategoriesService } from '../catalog/categories.service.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors/domain-error.js';
import { dbOf, type Db } from '../database/kysely.js';
import { rethrowUnique } from '../database/pg-errors.js';
import { TransactionRunner } from '../database/transaction.js';
import { ChecklistErrorCode } from './checklist-to-tasks.js';
import { checklistsRepository as repo, type ItemRow } from './checklists.repository.js';
import type {
  ChecklistDto,
  ChecklistItemDto,
  CreateChecklistDto,
  CreateChecklistItemDto,
  UpdateChecklistItemDto,
} from './dto/checklist.dto.js';

const checklistNotFound = (): DomainError =>
  new DomainError('not_found', ChecklistErrorCode.CHECKLIST_NOT_FOUND, '检查清单不存在');
const itemNotFound = (): DomainError =>
  new DomainError('not_found', ChecklistErrorCode.CHECKLIST_ITEM_NOT_FOUND, '检查项不存在');

/**
 * 点位检查清单, one per site kind, edited by the office. An item answered on a walk is never
 * deleted (the walk keeps pointing at it): it is deactivated, and new walks no longer ask it.
 */
@Injectable()
export class ChecklistsService {
  constructor(
    private readonly tx: TransactionRunner,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly categories: CategoriesService,
    private readonly clock: Clock,
  ) {}

  private get db(): Db {
    return dbOf(this.ds.manager);
  }

  async list(siteKind?: string): Promise<ChecklistDto[]> {
    const lists = await repo.checklists(this.db, siteKind?.trim());
    if (!lists.length) return [];
    const items = await repo.items(
      this.db,
      lists.map((l) => l.id),
    );
    return lists.map((l) => ({
      id: l.id,
      siteKind: l.site_kind,
      name: l.name,
      items: items.filter((i) => i.checklist_id === l.id).map(itemDto),
    }));
  }

  async get(id: string): Promise<ChecklistDto> {
    const l = await repo.checklist(this.db, id);
    if (!l) throw checklistNotFound();
    const items = await repo.items(this.db, [l.id]);
    return { id: l.id, siteKind: l.site_kind, name: l.name, items: items.map(itemDto) };
  }

  async create(dto: CreateChecklistDto): Promise<ChecklistDto> {
    try {
      const id = await repo.insertChecklist(this.db, dto.siteKind.trim(), dto.name.trim());
      return await this.get(id);
    } catch (e) {
      rethrowUnique(e, {
        uq_checklists_site_kind: { field: 'siteKind', message: '该类点位已有检查清单' },
      });
    }
  }

  async getItem(id: string): Promise<ChecklistItemDto> {
    const [row] = await repo.items(this.db, [], { itemId: id });
    if (!row) throw itemNotFound();
    return itemDto(row);
  }

  async createItem(checklistId: string, dto: CreateChecklistItemDto): Promise<ChecklistItemDto> {
    const id = await this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      if (!(await repo.lockChecklist(db, { checklistId }))) throw checklistNotFound();
      const category = await this.categories.getActive(dto.categoryId, 'categoryId', em);
      return repo.insertItem(db, {
        checklistId,
        position: dto.position ?? (await repo.nextPosition(db, checklistId)),
        text: dto.text.trim(),
        categoryId: category.id,
        active: dto.active ?? true,
      });
    });
    return this.getItem(id);
  }

  async updateItem(id: string, dto: UpdateChecklistItemDto): Promise<ChecklistItemDto> {
    await this.tx.withTransaction(async (em) => {
      if (!(await repo.lockChecklist(dbOf(em), { itemId: id }))) throw itemNotFound();
      const categoryId =
        dto.categoryId !== undefined
          ? (await this.categories.getActive(dto.categoryId, 'categoryId', em)).id
          : undefined;
      const found = await repo.updateItem(
        dbOf(em),
        id,
        {
          ...(dto.text !== undefined ? { text: dto.text.trim() } : {}),
          ...(categoryId !== undefined ? { category_id: categoryId } : {}),
          ...(dto.position !== undefined ? { position: dto.position } : {}),
          ...(dto.active !== undefined ? { active: dto.active } : {}),
        },
        this.clock.now(),
      );
      if (!found) throw itemNotFound();
    });
    return this.getItem(id);
  }

  /** Deletes an item never answered; one answered on a walk is 409: deactivate it instead. */
  async deleteItem(id: string): Promise<void> {
    await this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      if (!(await repo.lockChecklist(db, { itemId: id }))) throw itemNotFound();
      if (!(await repo.deleteUnusedItem(db, id))) {
        throw new DomainError(
          'conflict',
          ChecklistErrorCode.CHECKLIST_ITEM_IN_USE,
          '该检查项已有检查记录，不能删除，请停用',
        );
      }
    });
  }
}

function itemDto(r: ItemRow): ChecklistItemDto {
  return {
    id: r.id,
    checklistId: r.checklist_id,
    position: r.position,
    text: r.text,
    categoryId: r.category_id,
    categoryCode: r.category_code,
    categoryName: r.category_name,
    active: r.active,
    used: r.used,
  };
}
