import { sql } from 'kysely';
import type { Db } from '../database/kysely.js';
import type { WalkResult } from './checklist-to-tasks.js';

export interface ItemRow {
  id: string;
  checklist_id: string;
  position: number;
  text: string;
  category_id: string;
  category_code: string;
  category_name: string;
  category_active: boolean;
  active: boolean;
  used: boolean;
}

export interface WalkRow {
  id: string;
  inspection_id: string;
  site_id: string;
  site_name: string;
  site_kind: string;
  checklist_id: string;
  checklist_name: string;
  walked_by: string;
  walked_by_name: string;
  found_at: Date;
  created_at: Date;
}

export interface WalkResultRow {
  walk_id: string;
  item_id: string;
  position: number;
  item_text: string;
  category_id: string;
  category_name: string;
  result: WalkResult;
  note: string | null;
  attachment_ids: string[];
  lat: number | null;
  lng: number | null;
  task_id: string | null;
  task_number: string | null;
}

/** 点位检查清单 and their walks: every query of the feature. */
export const checklistsRepository = {
  checklists(db: Db, siteKind?: string) {
    let q = db.selectFrom('checklists').select(['id', 'site_kind', 'name']).orderBy('site_kind');
    if (siteKind !== undefined) q = q.where('site_kind', '=', siteKind);
    return q.execute();
  },

  checklist(db: Db, id: string) {
    return db
      .selectFrom('checklists')
      .select(['id', 'site_kind', 'name'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  /**
   * The checklist of a site kind, locked FOR SHARE: the office's item writes lock the same row
   * FOR UPDATE (`lockChecklist`), so the items do not change under a walk.
   */
  checklistOfKind(db: Db, siteKind: string) {
    return db
      .selectFrom('checklists')
      .select(['id', 'name'])
      .where('site_kind', '=', siteKind)
      .forShare()
      .executeTakeFirst();
  },

  /** Locks a checklist (by its id, or the item's) FOR UPDATE; its id, or undefined when gone. */
  async lockChecklist(
    db: Db,
    by: { checklistId?: string; itemId?: string },
  ): Promise<string | undefined> {
    let q = db.selectFrom('checklists').select('id').forUpdate();
    if (by.checklistId) q = q.where('id', '=', by.checklistId);
    if (by.itemId) {
      const itemId = by.itemId;
      q = q.where('id', '=', (eb) =>
        eb.selectFrom('checklist_items').select('checklist_id').where('id', '=', itemId),
      );
    }
    return (await q.executeTakeFirst())?.id;
  },

  async insertChecklist(db: Db, siteKind: string, name: string): Promise<string> {
    const row = await db
      .insertInto('checklists')
      .values({ site_kind: siteKind, name })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  /** Items of the given checklists (all when none given), in order, with their category. */
  items(db: Db, checklistIds: string[], where?: { itemId?: string }): Promise<ItemRow[]> {
    let q = db
      .selectFrom('checklist_items as i')
      .innerJoin('categories as c', 'c.id', 'i.category_id')
      .select([
        'i.id',
        'i.checklist_id',
        'i.position',
        'i.text',
        'i.category_id',
        'c.code as category_code',
        'c.name as category_name',
        'c.active as category_active',
        'i.active',
      ])
      .select((eb) =>
        eb
          .exists(eb.selectFrom('checklist_walk_results as r').whereRef('r.item_id', '=', 'i.id'))
          .$castTo<boolean>()
          .as('used'),
      )
      .orderBy('i.position')
      .orderBy('i.created_at');
    if (where?.itemId) q = q.where('i.id', '=', where.itemId);
    else q = q.where('i.checklist_id', '=', sql<string>`ANY(${checklistIds}::uuid[])`);
    return q.execute();
  },

  async nextPosition(db: Db, checklistId: string): Promise<number> {
    const row = await db
      .selectFrom('checklist_items')
      .select((eb) => eb.fn.coalesce(eb.fn.max('position'), sql<number>`0`).as('max'))
      .where('checklist_id', '=', checklistId)
      .executeTakeFirstOrThrow();
    return Number(row.max) + 1;
  },

  async insertItem(
    db: Db,
    v: { checklistId: string; position: number; text: string; categoryId: string; active: boolean },
  ): Promise<string> {
    const row = await db
      .insertInto('checklist_items')
      .values({
        checklist_id: v.checklistId,
        position: v.position,
        text: v.text,
        category_id: v.categoryId,
        active: v.active,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async updateItem(
    db: Db,
    id: string,
    set: { text?: string; category_id?: string; position?: number; active?: boolean },
    now: Date,
  ): Promise<boolean> {
    const r = await db
      .updateTable('checklist_items')
      .set({ ...set, updated_at: now })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  /** Deletes an item no walk answered; false when it was answered (or is gone). */
  async deleteUnusedItem(db: Db, id: string): Promise<boolean> {
    const r = await db
      .deleteFrom('checklist_items')
      .where('id', '=', id)
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('checklist_walk_results').where('item_id', '=', id))),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  async insertWalk(
    db: Db,
    v: {
      inspectionId: string;
      siteId: string;
      checklistId: string;
      walkedBy: string;
      foundAt: Date;
      now: Date;
    },
  ): Promise<string> {
    const row = await db
      .insertInto('checklist_walks')
      .values({
        inspection_id: v.inspectionId,
        site_id: v.siteId,
        checklist_id: v.checklistId,
        walked_by: v.walkedBy,
        found_at: v.foundAt,
        created_at: v.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async insertResults(
    db: Db,
    rows: {
      walk_id: string;
      item_id: string;
      position: number;
      item_text: string;
      category_id: string;
      result: WalkResult;
      note: string | null;
      attachment_ids: string[];
      lat: number | null;
      lng: number | null;
      task_id: string | null;
    }[],
  ): Promise<void> {
    if (rows.length) await db.insertInto('checklist_walk_results').values(rows).execute();
  },

  /** Adds the site to the inspection's 点位 (last), unless it is there already. */
  async linkSite(db: Db, inspectionId: string, siteId: string): Promise<void> {
    await db
      .insertInto('inspection_sites')
      .columns(['inspection_id', 'site_id', 'position'])
      .expression((eb) =>
        eb
          .selectFrom('inspection_sites')
          .select([
            sql<string>`${inspectionId}::uuid`.as('inspection_id'),
            sql<string>`${siteId}::uuid`.as('site_id'),
            sql<number>`coalesce(max(position), 0) + 1`.as('position'),
          ])
          .where('inspection_id', '=', inspectionId),
      )
      .onConflict((oc) => oc.columns(['inspection_id', 'site_id']).doNothing())
      .execute();
  },

  walks(
    db: Db,
    where: { inspectionId?: string; siteId?: string; walkId?: string },
    limit = 200,
  ): Promise<WalkRow[]> {
    let q = db
      .selectFrom('checklist_walks as w')
      .innerJoin('sites as s', 's.id', 'w.site_id')
      .innerJoin('checklists as l', 'l.id', 'w.checklist_id')
      .innerJoin('users as u', 'u.id', 'w.walked_by')
      .select([
        'w.id',
        'w.inspection_id',
        'w.site_id',
        's.name as site_name',
        's.kind as site_kind',
        'w.checklist_id',
        'l.name as checklist_name',
        'w.walked_by',
        'u.display_name as walked_by_name',
        'w.found_at',
        'w.created_at',
      ])
      .orderBy('w.created_at', 'desc')
      .orderBy('w.id', 'desc')
      .limit(limit);
    if (where.inspectionId) q = q.where('w.inspection_id', '=', where.inspectionId);
    if (where.siteId) q = q.where('w.site_id', '=', where.siteId);
    if (where.walkId) q = q.where('w.id', '=', where.walkId);
    return q.execute();
  },

  results(db: Db, walkIds: string[]): Promise<WalkResultRow[]> {
    if (!walkIds.length) return Promise.resolve([]);
    return db
      .selectFrom('checklist_walk_results as r')
      .innerJoin('categories as c', 'c.id', 'r.category_id')
      .leftJoin('tasks as t', 't.id', 'r.task_id')
      .select([
        'r.walk_id',
        'r.item_id',
        'r.position',
        'r.item_text',
        'r.category_id',
        'c.name as category_name',
        'r.result',
        'r.note',
        'r.attachment_ids',
        'r.lat',
        'r.lng',
        'r.task_id',
        't.number as task_number',
      ])
      .where('r.walk_id', '=', sql<string>`ANY(${walkIds}::uuid[])`)
      .orderBy('r.walk_id')
      .orderBy('r.position')
      .execute();
  },

  siteExists(db: Db, id: string) {
    return db.selectFrom('sites').select('id').where('id', '=', id).executeTakeFirst();
  },
};
