import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { dbOf } from '../database/kysely.js';

interface ChecklistConfig {
  siteKind: string;
  name: string;
  items: { text: string; categoryCode: string }[];
}

/** Reads `config/checklists.json`, checking its shape (a wrong file stops the start, naming the entry). */
export function readChecklistConfig(configDir: string): ChecklistConfig[] {
  const file = join(configDir, 'checklists.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { checklists?: unknown };
  if (!Array.isArray(doc.checklists)) throw new Error(`${file}: "checklists" must be an array`);
  const text = (v: unknown, max: number): boolean =>
    typeof v === 'string' && v.trim().length > 0 && v.length <= max;
  return doc.checklists.map((raw: unknown, i): ChecklistConfig => {
    const c = raw as Partial<ChecklistConfig>;
    const bad = (what: string): Error => new Error(`${file}: checklists[${i}] ${what}`);
    if (!text(c.siteKind, 20)) throw bad('siteKind: 1–20 characters');
    if (!text(c.name, 100)) throw bad('name: 1–100 characters');
    if (!Array.isArray(c.items) || c.items.length === 0) throw bad('items: a non-empty array');
    c.items.forEach((item, j) => {
      if (!text(item?.text, 200)) throw bad(`items[${j}].text: 1–200 characters`);
      if (!text(item?.categoryCode, 32)) throw bad(`items[${j}].categoryCode: required`);
    });
    return c as ChecklistConfig;
  });
}

/**
 * Loads the default checklists insert-only, after the categories (their codes must exist): a
 * site kind without a checklist gets the configured one with its items; an existing checklist is
 * the office's and is left alone. One transaction.
 */
export async function seedChecklists(ds: DataSource, configDir: string): Promise<number> {
  const lists = readChecklistConfig(configDir);
  return ds.transaction(async (em) => {
    const db = dbOf(em);
    const codes = [...new Set(lists.flatMap((l) => l.items.map((i) => i.categoryCode)))];
    const categories = await db
      .selectFrom('categories')
      .select(['id', 'code'])
      .where('code', 'in', codes)
      .execute();
    const idOf = new Map(categories.map((c) => [c.code, c.id]));
    let inserted = 0;
    for (const list of lists) {
      const row = await db
        .insertInto('checklists')
        .values({ site_kind: list.siteKind.trim(), name: list.name.trim() })
        .onConflict((oc) => oc.column('site_kind').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) continue;
      await db
        .insertInto('checklist_items')
        .values(
          list.items.map((item, i) => {
            const categoryId = idOf.get(item.categoryCode);
            if (!categoryId) {
              throw new Error(
                `config/checklists.json: ${list.siteKind} item ${i + 1}: unknown category ${item.categoryCode}`,
              );
            }
            return {
              checklist_id: row.id,
              position: i + 1,
              text: item.text.trim(),
              category_id: categoryId,
            };
          }),
        )
        .execute();
      inserted += 1;
    }
    return inserted;
  });
}
