/**
 * The order the 快报 page sends when the clerk moves a section or a paragraph up or down:
 * every section and paragraph of the issue, each once (PUT /bulletins/{id}/layout).
 */

export interface LayoutSection {
  key: string;
  paragraphs: { key: string }[];
}

export interface ArrangedSection {
  key: string;
  paragraphs: string[];
}

const keysOf = (sections: readonly LayoutSection[]): ArrangedSection[] =>
  sections.map((s) => ({ key: s.key, paragraphs: s.paragraphs.map((p) => p.key) }));

function swap<T>(list: T[], i: number, j: number): T[] {
  const next = [...list];
  [next[i], next[j]] = [next[j], next[i]];
  return next;
}

/** Section `key` one place up (-1) or down (+1); null when it is already at that end. */
export function moveSection(
  sections: readonly LayoutSection[],
  key: string,
  by: -1 | 1,
): ArrangedSection[] | null {
  const order = keysOf(sections);
  const i = order.findIndex((s) => s.key === key);
  const j = i + by;
  if (i < 0 || j < 0 || j >= order.length) return null;
  return swap(order, i, j);
}

/**
 * Paragraph `key` one place up or down. At the top (bottom) of its section it moves to the end
 * (start) of the previous (next) section, so a paragraph can go from 简讯 to 文明培育 by clicks;
 * null at the very top or bottom of the issue.
 */
export function moveParagraph(
  sections: readonly LayoutSection[],
  key: string,
  by: -1 | 1,
): ArrangedSection[] | null {
  const order = keysOf(sections);
  const si = order.findIndex((s) => s.paragraphs.includes(key));
  if (si < 0) return null;
  const list = order[si].paragraphs;
  const pi = list.indexOf(key);
  const pj = pi + by;
  if (pj >= 0 && pj < list.length) {
    order[si] = { ...order[si], paragraphs: swap(list, pi, pj) };
    return order;
  }
  const sj = si + by;
  if (sj < 0 || sj >= order.length) return null;
  order[si] = { ...order[si], paragraphs: list.filter((k) => k !== key) };
  const target = order[sj].paragraphs;
  order[sj] = {
    ...order[sj],
    paragraphs: by < 0 ? [...target, key] : [key, ...target],
  };
  return order;
}
