import { reactive } from 'vue';
import { fetchCatalog, type Category, type Checklist, type Site, type Unit } from './api';
import { getValue, setValue } from './db';

/**
 * Categories, sites and units: kept in IndexedDB so that the app opens with no network after the
 * first visit, and refreshed from the server whenever it answers.
 */
export interface CatalogData {
  categories: Category[];
  sites: Site[];
  units: Unit[];
  /** 点位检查清单 per site kind, for 按清单检查 offline. */
  checklists: Checklist[];
  savedAt: string | null;
}

export const catalog = reactive<CatalogData & { ready: boolean }>({
  categories: [],
  sites: [],
  units: [],
  checklists: [],
  savedAt: null,
  ready: false,
});

const KEY = 'catalog';

/** What the phone holds (instantly), then what the server has (when it answers). */
export async function loadCatalog(): Promise<void> {
  const kept = await getValue<CatalogData>(KEY);
  // A catalog kept before checklists existed has none: an empty list until the server answers.
  if (kept) Object.assign(catalog, { checklists: [] }, kept, { ready: true });
  await refreshCatalog();
}

export async function refreshCatalog(): Promise<boolean> {
  try {
    const fresh = await fetchCatalog();
    const data: CatalogData = { ...fresh, savedAt: new Date().toISOString() };
    await setValue(KEY, JSON.parse(JSON.stringify(data)));
    Object.assign(catalog, data, { ready: true });
    return true;
  } catch {
    return false;
  }
}

export const unitName = (id: string | null | undefined): string =>
  catalog.units.find((u) => u.id === id)?.name ?? '';
export const categoryOf = (id: string): Category | undefined =>
  catalog.categories.find((c) => c.id === id);
/** The checklist of a site's kind, with its active items only; undefined when there is none. */
export function checklistOf(site: Site | undefined): Checklist | undefined {
  const list = site && catalog.checklists.find((c) => c.siteKind === site.kind);
  return list && { ...list, items: list.items.filter((i) => i.active) };
}
export const siteOf = (id: string | undefined): Site | undefined =>
  catalog.sites.find((s) => s.id === id);

/** 常用语: the category's own (from the server, when it has them), else a few general ones. */
export function quickPhrases(c: Category | undefined): string[] {
  if (c?.quickPhrases?.length) return c.quickPhrases;
  const name = c?.name ?? '';
  return [`发现${name}问题`, '影响市容环境', '需尽快整改', '现场已告知负责人'];
}

const RECENT_KEY = 'recentCategories';

export async function recentCategoryIds(): Promise<string[]> {
  return (await getValue<string[]>(RECENT_KEY)) ?? [];
}

export async function rememberCategory(id: string): Promise<void> {
  const now = await recentCategoryIds();
  await setValue(RECENT_KEY, [id, ...now.filter((x) => x !== id)].slice(0, 8));
}
