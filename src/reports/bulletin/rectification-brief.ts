import type { BulletinParagraph, BulletinSection, ClosedTaskCount } from './bulletin-model.js';
import { formatCount } from './number-style.js';
import { escapeBulletinText } from './bulletin-text.js';

export interface ComprehensiveRectificationOptions {
  /** How many units, busiest first, get a paragraph of their own. Default 1, at least 1. */
  featuredUnits?: number;
}

interface CategoryTotal {
  name: string;
  measureWord: string;
  count: number;
}

interface UnitTotal {
  name: string;
  rank: number | undefined;
  total: number;
  categories: Map<string, CategoryTotal>;
}

// Units and categories are Chinese names; pinyin order is what readers expect for ties, and it
// gives issue 671's '城子街道、妙峰山镇、永定镇'.
const byName = new Intl.Collator('zh-Hans-CN').compare;

function groupByUnit(rows: ClosedTaskCount[]): UnitTotal[] {
  const units = new Map<string, UnitTotal>();
  for (const row of rows) {
    if (!Number.isSafeInteger(row.count) || row.count < 0) {
      throw new RangeError(`closed task count must be a non-negative integer, got ${row.count}`);
    }
    if (row.count === 0) continue;
    const unitName = row.unitName.trim();
    const categoryName = row.categoryName.trim();
    let unit = units.get(unitName);
    if (!unit) {
      unit = { name: unitName, rank: row.unitRank, total: 0, categories: new Map() };
      units.set(unitName, unit);
    } else if (
      row.unitRank !== undefined &&
      (unit.rank === undefined || row.unitRank < unit.rank)
    ) {
      unit.rank = row.unitRank;
    }
    unit.total += row.count;
    // The aggregate should give one row per unit × category; merge defensively if it does not.
    const category = unit.categories.get(categoryName);
    if (category) {
      category.count += row.count;
    } else {
      unit.categories.set(categoryName, {
        name: categoryName,
        measureWord: row.measureWord.trim(),
        count: row.count,
      });
    }
  }
  return [...units.values()];
}

/** Busiest unit first; then the configured unit rank (unranked last); then pinyin. */
function compareUnits(a: UnitTotal, b: UnitTotal): number {
  if (a.total !== b.total) return b.total - a.total;
  const rankA = a.rank ?? Number.POSITIVE_INFINITY;
  const rankB = b.rank ?? Number.POSITIVE_INFINITY;
  if (rankA !== rankB) return rankA < rankB ? -1 : 1;
  return byName(a.name, b.name);
}

function compareCategories(a: CategoryTotal, b: CategoryTotal): number {
  return a.count !== b.count ? b.count - a.count : byName(a.name, b.name);
}

/**
 * '店外经营' → '店外经营问题6起'. One rule for every category: the name, then 问题 unless the name
 * already ends with it, then the count and measure word. Issue 671 writes '违规电子显示屏4处'
 * without 问题; we accept '违规电子显示屏问题4处' rather than keep a list of exceptions.
 */
function categoryItem(category: CategoryTotal): string {
  const name = escapeBulletinText(category.name);
  const label = name.endsWith('问题') ? name : `${name}问题`;
  return `${label}${formatCount(category.count)}${escapeBulletinText(category.measureWord)}`;
}

function unitParagraph(unit: UnitTotal): BulletinParagraph {
  const items = [...unit.categories.values()].sort(compareCategories).map(categoryItem);
  return {
    key: `comprehensive_rectification:${unit.name}`,
    text: `**【综合整治】${escapeBulletinText(unit.name)}：**近日，开展环境秩序综合整治，整治${items.join('、')}。`,
  };
}

/**
 * The 综合整治 item of 简讯, from the tasks closed in the period, as issue 671 writes it:
 * '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治，整治店外经营问题6起、…环境卫生问题
 * 10余起。**城子街道、妙峰山镇、永定镇**也开展了相关工作。'
 * The busiest `featuredUnits` units get a paragraph each, categories by count; the rest are named
 * in bold after the last one, busiest first. Null when nothing was closed.
 */
export function renderComprehensiveRectification(
  rows: ClosedTaskCount[],
  opts: ComprehensiveRectificationOptions = {},
): BulletinSection | null {
  const units = groupByUnit(rows).sort(compareUnits);
  if (units.length === 0) return null;
  const requested = opts.featuredUnits ?? 1;
  const featuredCount = Number.isFinite(requested) ? Math.max(1, Math.floor(requested)) : 1;
  const featured = units.slice(0, featuredCount).map(unitParagraph);
  const others = units.slice(featuredCount).map((unit) => escapeBulletinText(unit.name));
  if (others.length > 0) {
    const last = featured[featured.length - 1];
    last.text += `**${others.join('、')}**也开展了相关工作。`;
  }
  return { key: 'comprehensive_rectification', heading: '简讯', paragraphs: featured };
}

/**
 * Per unit, what it rectified in the period as the 综合整治 item lists it ('店外经营问题6起、
 * 停车秩序问题13起'), for joining a unit's own 综合整治 信息 (info-sections.ts).
 */
export function unitFigures(rows: ClosedTaskCount[]): Map<string, string> {
  return new Map(
    groupByUnit(rows).map((unit) => [
      unit.name,
      [...unit.categories.values()].sort(compareCategories).map(categoryItem).join('、'),
    ]),
  );
}
