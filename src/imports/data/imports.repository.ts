import { sql } from 'kysely';
import type { Db } from '../../database/kysely.js';
import type { DeadlineRule } from '../../tasks/deadline/deadline.js';
import type { CatalogCategory, CatalogSite, CatalogUnit, ImportMapping } from '../import-rows.js';
import type { ImportCell } from '../xlsx-rows.js';

/** The rows of import_batches and import_mappings, and the catalogue an import resolves against. */

export type ImportStatus = 'draft' | 'confirmed' | 'discarded';

export interface ImportBatchRow {
  id: string;
  source: string;
  status: ImportStatus;
  filename: string | null;
  headers: string[];
  rows: { row: number; cells: ImportCell[] }[];
  mapping: ImportMapping;
  created_at: Date;
  confirmed_at: Date | null;
  task_count: number | null;
}

export async function insertBatch(
  db: Db,
  b: Pick<ImportBatchRow, 'source' | 'filename' | 'headers' | 'rows' | 'mapping'> & {
    createdBy: string;
    now: Date;
  },
): Promise<string> {
  const row = await db
    .insertInto('import_batches')
    .values({
      source: b.source,
      filename: b.filename,
      headers: JSON.stringify(b.headers),
      rows: JSON.stringify(b.rows),
      row_count: b.rows.length,
      mapping: JSON.stringify(b.mapping),
      created_by: b.createdBy,
      created_at: b.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One batch; `lock` takes it FOR UPDATE so that two confirmations run one after the other. */
export async function findBatch(
  db: Db,
  id: string,
  lock = false,
): Promise<ImportBatchRow | undefined> {
  let q = db
    .selectFrom('import_batches')
    .select([
      'id',
      'source',
      'status',
      'filename',
      'headers',
      'rows',
      'mapping',
      'created_at',
      'confirmed_at',
      'task_count',
    ])
    .where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row as unknown as ImportBatchRow | undefined;
}

export async function updateBatchMapping(
  db: Db,
  id: string,
  mapping: ImportMapping,
): Promise<void> {
  await db
    .updateTable('import_batches')
    .set({ mapping: JSON.stringify(mapping) })
    .where('id', '=', id)
    .execute();
}

export async function markBatchConfirmed(
  db: Db,
  id: string,
  now: Date,
  taskCount: number,
): Promise<void> {
  await db
    .updateTable('import_batches')
    .set({ status: 'confirmed', confirmed_at: now, task_count: taskCount })
    .where('id', '=', id)
    .execute();
}

export async function markBatchDiscarded(db: Db, id: string): Promise<void> {
  await db
    .updateTable('import_batches')
    .set({ status: 'discarded' })
    .where('id', '=', id)
    .execute();
}

export async function rememberedMapping(db: Db, source: string): Promise<ImportMapping | null> {
  const row = await db
    .selectFrom('import_mappings')
    .select('mapping')
    .where('source', '=', source)
    .executeTakeFirst();
  return (row?.mapping as ImportMapping | undefined) ?? null;
}

export async function rememberMapping(
  db: Db,
  source: string,
  mapping: ImportMapping,
  now: Date,
): Promise<void> {
  await db
    .insertInto('import_mappings')
    .values({ source, mapping: JSON.stringify(mapping), updated_at: now })
    .onConflict((oc) =>
      oc.column('source').doUpdateSet({ mapping: JSON.stringify(mapping), updated_at: now }),
    )
    .execute();
}

/** The active catalogue, loaded once per preview or confirmation. */
export async function activeCatalog(db: Db): Promise<{
  categories: CatalogCategory[];
  sites: CatalogSite[];
  units: CatalogUnit[];
}> {
  // In sequence: `db` is the confirmation's transaction, one connection.
  const categories = await db
    .selectFrom('categories')
    .select([
      'id',
      'code',
      'name',
      'deadline_rule as deadlineRule',
      'duplicate_radius_m as duplicateRadiusM',
    ])
    .where('active', '=', true)
    .execute();
  const sites = await db
    .selectFrom('sites')
    .select(['id', 'code', 'name', 'address', 'lat', 'lng', 'default_unit_id as defaultUnitId'])
    .where('active', '=', true)
    .execute();
  const units = await db
    .selectFrom('units')
    .select(['id', 'code', 'name'])
    .where('active', '=', true)
    .execute();
  return {
    categories: categories.map((c) => ({ ...c, deadlineRule: c.deadlineRule as DeadlineRule })),
    sites,
    units,
  };
}

export interface OpenTaskRow {
  id: string;
  number: string;
  category_id: string;
  site_id: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  description: string;
}

/** Open tasks of these categories: what an imported row may duplicate. */
export async function openTasksOf(db: Db, categoryIds: readonly string[]): Promise<OpenTaskRow[]> {
  if (categoryIds.length === 0) return [];
  return db
    .selectFrom('tasks')
    .select(['id', 'number', 'category_id', 'site_id', 'address', 'lat', 'lng', 'description'])
    .where('category_id', 'in', categoryIds)
    .where(sql<boolean>`status IN ('pending_dispatch', 'assigned', 'submitted', 'on_hold')`)
    .execute();
}

/**
 * What the import template lists: the active categories and units in the office's order, and
 * one active site (with its default unit, if that is active) for the example row.
 */
export async function templateCatalog(db: Db): Promise<{
  categories: { name: string; code: string; groupName: string }[];
  units: { name: string; code: string }[];
  exampleSite: { name: string; address: string | null; defaultUnitName: string | null } | null;
}> {
  const [categories, units, site] = await Promise.all([
    db
      .selectFrom('categories')
      .select(['name', 'code', 'group_name as groupName'])
      .where('active', '=', true)
      .orderBy('sort_order')
      .orderBy('code')
      .execute(),
    db
      .selectFrom('units')
      .select(['name', 'code'])
      .where('active', '=', true)
      .orderBy('sort_order')
      .orderBy('code')
      .execute(),
    db
      .selectFrom('sites as s')
      .leftJoin('units as u', (j) =>
        j.onRef('u.id', '=', 's.default_unit_id').on('u.active', '=', true),
      )
      .select(['s.name', 's.address', 'u.name as defaultUnitName'])
      .where('s.active', '=', true)
      .orderBy('s.name')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return { categories, units, exampleSite: site ?? null };
}
