import { sql, type ExpressionBuilder } from 'kysely';
import type { DB } from '../database/db.generated.js';
import type { Db } from '../database/kysely.js';
import type { InfoItemStatus } from './info-item-lifecycle.js';

/**
 * 信息报送 rows: info_items, their photos (info_item_attachments, in order) and their trail
 * (info_item_events, append-only). Every function takes the transaction it runs in.
 */

export interface InfoItemRow {
  id: string;
  unit_id: string;
  unit_name: string;
  column_code: string;
  kind: string | null;
  title: string;
  body: string;
  work_date: string;
  status: InfoItemStatus;
  return_reason: string | null;
  submitted_by_name: string;
  submitted_at: Date;
  adopted_at: Date | null;
  issue_number: number | null;
  published_at: Date | null;
  version: number;
  updated_at: Date;
  photos: { id: string; mime: string; originalName: string | null }[];
}

export interface InfoItemFilter {
  id?: string;
  /** A unit principal's scope: only this unit's items. */
  unitId?: string;
  status?: InfoItemStatus;
  column?: string;
  from?: string;
  to?: string;
  /** Keyset: items submitted before (submitted_at, id). */
  before?: { at: Date; id: string };
  limit?: number;
}

export interface InfoContent {
  column: string;
  kind: string | null;
  title: string;
  body: string;
  workDate: string;
}

export interface InfoEvent {
  itemId: string;
  action: string;
  from: InfoItemStatus | null;
  to: InfoItemStatus;
  actor: {
    kind: 'user' | 'api_key' | 'system';
    id: string | null;
    name: string;
    role: string | null;
  };
  note?: string | null;
  data?: Record<string, unknown>;
  at: Date;
}

const photosOf = (eb: ExpressionBuilder<DB & { i: DB['info_items'] }, 'i'>) =>
  eb
    .selectFrom('info_item_attachments as ia')
    .innerJoin('attachments as a', 'a.id', 'ia.attachment_id')
    .whereRef('ia.item_id', '=', 'i.id')
    .select(
      sql<InfoItemRow['photos']>`coalesce(json_agg(json_build_object(
        'id', a.id, 'mime', a.mime, 'originalName', a.original_name) ORDER BY ia.position), '[]')`.as(
        'photos',
      ),
    );

export const infoItemsRepository = {
  async insert(
    db: Db,
    unitId: string,
    c: InfoContent,
    by: { kind: 'user' | 'api_key'; id: string; name: string },
    now: Date,
  ): Promise<string> {
    const { id } = await db
      .insertInto('info_items')
      .values({
        unit_id: unitId,
        column_code: c.column,
        kind: c.kind,
        title: c.title,
        body: c.body,
        work_date: c.workDate,
        submitted_by_kind: by.kind,
        submitted_by_id: by.id,
        submitted_by_name: by.name,
        submitted_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  },

  /** Replaces the photos, in the order given. */
  async setPhotos(db: Db, itemId: string, attachmentIds: string[]): Promise<void> {
    await db.deleteFrom('info_item_attachments').where('item_id', '=', itemId).execute();
    if (attachmentIds.length === 0) return;
    await db
      .insertInto('info_item_attachments')
      .values(
        attachmentIds.map((attachment_id, position) => ({
          item_id: itemId,
          attachment_id,
          position,
        })),
      )
      .execute();
  },

  /** The row (within `unitId` when given), locked FOR UPDATE until the transaction ends. */
  lock(
    db: Db,
    id: string,
    unitId: string | undefined,
  ): Promise<{ status: InfoItemStatus; version: number; unit_id: string } | undefined> {
    return db
      .selectFrom('info_items')
      .select(['status', 'version', 'unit_id'])
      .where('id', '=', id)
      .$if(unitId !== undefined, (qb) => qb.where('unit_id', '=', unitId!))
      .forUpdate()
      .executeTakeFirst();
  },

  /** Writes the changed columns and moves the version on. */
  async update(
    db: Db,
    id: string,
    set: Partial<{
      column_code: string;
      kind: string | null;
      title: string;
      body: string;
      work_date: string;
      status: InfoItemStatus;
      return_reason: string | null;
      reviewed_by: string | null;
      reviewed_at: Date | null;
      adopted_at: Date | null;
      submitted_at: Date;
    }>,
    now: Date,
  ): Promise<void> {
    await db
      .updateTable('info_items')
      .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .execute();
  },

  list(db: Db, f: InfoItemFilter): Promise<InfoItemRow[]> {
    return db
      .selectFrom('info_items as i')
      .innerJoin('units as u', 'u.id', 'i.unit_id')
      .select((eb) => [
        'i.id',
        'i.unit_id',
        'u.name as unit_name',
        'i.column_code',
        'i.kind',
        'i.title',
        'i.body',
        eb.fn<string>('to_char', [eb.ref('i.work_date'), sql.lit('YYYY-MM-DD')]).as('work_date'),
        'i.status',
        'i.return_reason',
        'i.submitted_by_name',
        'i.submitted_at',
        'i.adopted_at',
        'i.issue_number',
        'i.published_at',
        'i.version',
        'i.updated_at',
        photosOf(eb).as('photos'),
      ])
      .$if(f.id !== undefined, (qb) => qb.where('i.id', '=', f.id!))
      .$if(f.unitId !== undefined, (qb) => qb.where('i.unit_id', '=', f.unitId!))
      .$if(f.status !== undefined, (qb) => qb.where('i.status', '=', f.status!))
      .$if(f.column !== undefined, (qb) => qb.where('i.column_code', '=', f.column!))
      .$if(f.from !== undefined, (qb) => qb.where('i.work_date', '>=', sql<Date>`${f.from}::date`))
      .$if(f.to !== undefined, (qb) => qb.where('i.work_date', '<=', sql<Date>`${f.to}::date`))
      .$if(f.before !== undefined, (qb) =>
        qb.where(
          sql<boolean>`(i.submitted_at, i.id) < (${f.before!.at}::timestamptz, ${f.before!.id}::uuid)`,
        ),
      )
      .orderBy('i.submitted_at', 'desc')
      .orderBy('i.id', 'desc')
      .$if(f.limit !== undefined, (qb) => qb.limit(f.limit!))
      .execute() as Promise<InfoItemRow[]>;
  },

  async insertEvent(db: Db, e: InfoEvent): Promise<void> {
    await db
      .insertInto('info_item_events')
      .values({
        item_id: e.itemId,
        action: e.action,
        from_status: e.from,
        to_status: e.to,
        actor_kind: e.actor.kind,
        actor_id: e.actor.id,
        actor_name: e.actor.name,
        actor_role: e.actor.role,
        note: e.note ?? null,
        data: JSON.stringify(e.data ?? {}),
        created_at: e.at,
      })
      .execute();
  },

  events(db: Db, itemId: string) {
    return db
      .selectFrom('info_item_events')
      .select(['action', 'from_status', 'to_status', 'actor_name', 'note', 'created_at'])
      .where('item_id', '=', itemId)
      .orderBy('id')
      .execute();
  },

  /** Adopted, not yet published: what the next 快报 prints. */
  adoptedForBulletin(db: Db) {
    return db
      .selectFrom('info_items as i')
      .innerJoin('units as u', 'u.id', 'i.unit_id')
      .select([
        'i.id',
        'u.name as unit_name',
        'u.sort_order as unit_rank',
        'i.column_code',
        'i.kind',
        'i.title',
        'i.body',
        'i.adopted_at',
      ])
      .where('i.status', '=', 'adopted')
      .orderBy('i.adopted_at')
      .orderBy('i.id')
      .execute();
  },

  /** Marks the adopted ones among `ids` published in issue `issueNumber`; returns those marked. */
  async markPublished(
    db: Db,
    ids: string[],
    bulletin: { id: string; issueNumber: number },
    now: Date,
  ): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .updateTable('info_items')
      .set((eb) => ({
        status: 'published',
        bulletin_id: bulletin.id,
        issue_number: bulletin.issueNumber,
        published_at: now,
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where(sql<boolean>`id::text = ANY(${ids}::text[])`)
      .where('status', '=', 'adopted')
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  },
};
