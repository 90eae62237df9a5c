import { randomUUID } from 'node:crypto';
import { paragraphNotFound } from '../report-errors.js';
import type { EffectiveBulletin, ParagraphEdits } from './bulletin-edits.js';
import { layoutMismatch, sectionNotFound } from './bulletin-errors.js';
import type { BulletinSection, BulletinSectionKey } from './bulletin-model.js';

/**
 * How the office shapes an issue over what generation wrote: the order of sections and
 * paragraphs, paragraphs and sections of its own (喜报, 专题部署, 文明培育 …), and generated ones it
 * deleted. Stored beside `generated` and `edited`, never merged into them, so regeneration can
 * rewrite the generated text and the office's shaping still applies:
 *
 * - a generated paragraph keeps its place, with the office's edit if any;
 * - a generated paragraph or section the office deleted stays deleted;
 * - a paragraph generation newly produces goes into its section after the generated paragraph it
 *   follows in the generated order (a new section likewise among the sections);
 * - a generated paragraph generation no longer produces drops out (its edit, if any, is reported
 *   as stale and kept, as before);
 * - the office's own paragraphs and sections are kept as they are.
 */

/** Keys of what the office added start with this; generated keys never do. */
export const OFFICE_KEY_PREFIX = 'office:';

export const isOfficeKey = (key: string): boolean => key.startsWith(OFFICE_KEY_PREFIX);

export const newOfficeKey = (): string => `${OFFICE_KEY_PREFIX}${randomUUID()}`;

export interface ShapeSection {
  key: string;
  /** Without the 【】 brackets. */
  heading: string;
  /** Paragraph keys in print order. */
  paragraphs: string[];
}

export interface BulletinShape {
  sections: ShapeSection[];
  /** Generated paragraph and section keys the office deleted. */
  removed: string[];
  /** The office's own paragraphs: key → text. */
  added: Record<string, string>;
}

export type ParagraphOrigin = 'generated' | 'office';

export interface ShapedParagraph {
  key: string;
  text: string;
  /** '' for the office's own paragraphs. */
  generatedText: string;
  edited: boolean;
  origin: ParagraphOrigin;
}

export interface ShapedSection {
  key: string;
  heading: string;
  origin: ParagraphOrigin;
  paragraphs: ShapedParagraph[];
}

export interface ShapedBulletin {
  sections: ShapedSection[];
  staleEdits: EffectiveBulletin['staleEdits'];
}

function insertAt<T>(list: T[], index: number, item: T): T[] {
  return [...list.slice(0, index), item, ...list.slice(index)];
}

/** The layout in force: the stored shape (or the generated order) brought up to date with `generated`. */
export function layoutOf(
  generated: readonly BulletinSection[],
  shape: BulletinShape | null,
): BulletinShape {
  if (!shape) {
    return {
      sections: generated.map((s) => ({
        key: s.key,
        heading: s.heading,
        paragraphs: s.paragraphs.map((p) => p.key),
      })),
      removed: [],
      added: {},
    };
  }
  const removed = new Set(shape.removed);
  const generatedKeys = new Set(generated.flatMap((s) => s.paragraphs.map((p) => p.key)));
  const generatedSections = new Set(generated.map((s) => s.key as string));
  const keep = (key: string): boolean =>
    isOfficeKey(key) ? Object.hasOwn(shape.added, key) : generatedKeys.has(key);
  let sections: ShapeSection[] = shape.sections
    .map((s) => ({ ...s, paragraphs: s.paragraphs.filter(keep) }))
    .filter((s) => isOfficeKey(s.key) || generatedSections.has(s.key) || s.paragraphs.length > 0);

  // Sections generation has that the layout lacks (new since it was saved), after the
  // generated section they follow.
  generated.forEach((g, gi) => {
    if (removed.has(g.key) || sections.some((s) => s.key === g.key)) return;
    const before = generated
      .slice(0, gi)
      .map((p) => sections.findIndex((s) => s.key === p.key))
      .filter((i) => i >= 0);
    const at = before.length ? Math.max(...before) + 1 : 0;
    sections = insertAt(sections, at, { key: g.key, heading: g.heading, paragraphs: [] });
  });

  // Paragraphs generation has that the layout lacks: beside their generated neighbours.
  const placed = new Set(sections.flatMap((s) => s.paragraphs));
  for (const g of generated) {
    const target = sections.find((s) => s.key === g.key);
    if (!target) continue;
    const order = g.paragraphs.map((p) => p.key);
    order.forEach((key, i) => {
      if (placed.has(key) || removed.has(key)) return;
      const prev = order
        .slice(0, i)
        .reverse()
        .find((k) => target.paragraphs.includes(k));
      const next = order.slice(i + 1).find((k) => target.paragraphs.includes(k));
      const at =
        prev !== undefined
          ? target.paragraphs.indexOf(prev) + 1
          : next !== undefined
            ? target.paragraphs.indexOf(next)
            : target.paragraphs.length;
      target.paragraphs = insertAt(target.paragraphs, at, key);
      placed.add(key);
    });
  }
  return { sections, removed: [...shape.removed], added: { ...shape.added } };
}

/** What prints, in the office's order: edits applied, the office's paragraphs in place. */
export function shapeBulletin(
  generated: readonly BulletinSection[],
  edits: ParagraphEdits,
  shape: BulletinShape | null,
): ShapedBulletin {
  const layout = layoutOf(generated, shape);
  const texts = new Map(generated.flatMap((s) => s.paragraphs.map((p) => [p.key, p.text])));
  const used = new Set<string>();
  const sections = layout.sections.map((s) => ({
    key: s.key,
    heading: s.heading,
    origin: (isOfficeKey(s.key) ? 'office' : 'generated') as ParagraphOrigin,
    paragraphs: s.paragraphs.map((key): ShapedParagraph => {
      if (isOfficeKey(key)) {
        return {
          key,
          text: layout.added[key],
          generatedText: '',
          edited: false,
          origin: 'office',
        };
      }
      const generatedText = texts.get(key) ?? '';
      const edit = Object.hasOwn(edits, key) ? edits[key] : undefined;
      if (edit !== undefined) used.add(key);
      return {
        key,
        text: edit ?? generatedText,
        generatedText,
        edited: edit !== undefined,
        origin: 'generated',
      };
    }),
  }));
  // An edit of a paragraph the office deleted went with it; one of a paragraph generation no
  // longer writes is kept and shown.
  const removed = new Set(layout.removed);
  const staleEdits = Object.keys(edits)
    .filter((key) => !used.has(key) && !removed.has(key))
    .sort()
    .map((key) => ({ key, text: edits[key] }));
  return { sections, staleEdits };
}

/** The section holding paragraph `key`, or undefined. */
export function sectionOf(layout: BulletinShape, key: string): ShapeSection | undefined {
  return layout.sections.find((s) => s.paragraphs.includes(key));
}

/**
 * Adds the office's paragraph `key` to section `sectionKey`: after paragraph `afterKey`, at the
 * top when `afterKey` is null, at the end when it is undefined.
 */
export function addParagraph(
  layout: BulletinShape,
  p: { key: string; sectionKey: string; afterKey?: string | null; text: string },
): BulletinShape {
  const section = layout.sections.find((s) => s.key === p.sectionKey);
  if (!section) throw sectionNotFound(p.sectionKey);
  let at = section.paragraphs.length;
  if (p.afterKey === null) at = 0;
  else if (p.afterKey !== undefined) {
    const i = section.paragraphs.indexOf(p.afterKey);
    if (i < 0)
      throw layoutMismatch('afterKey', `段落 ${p.afterKey} 不在栏目 ${section.heading} 中`);
    at = i + 1;
  }
  return {
    ...layout,
    sections: layout.sections.map((s) =>
      s === section ? { ...s, paragraphs: insertAt(s.paragraphs, at, p.key) } : s,
    ),
    added: { ...layout.added, [p.key]: p.text },
  };
}

/** Removes paragraph `key`: the office's is gone, a generated one is remembered as deleted. */
export function removeParagraph(layout: BulletinShape, key: string): BulletinShape {
  const section = sectionOf(layout, key);
  if (!section) throw paragraphNotFound(key);
  const added = { ...layout.added };
  delete added[key];
  return {
    sections: layout.sections.map((s) =>
      s === section ? { ...s, paragraphs: s.paragraphs.filter((k) => k !== key) } : s,
    ),
    removed: isOfficeKey(key) ? layout.removed : [...layout.removed, key],
    added,
  };
}

/** Sets the text of the office's own paragraph. */
export function setOfficeText(layout: BulletinShape, key: string, text: string): BulletinShape {
  if (!Object.hasOwn(layout.added, key) || !sectionOf(layout, key)) throw paragraphNotFound(key);
  return { ...layout, added: { ...layout.added, [key]: text } };
}

/**
 * Adds an empty section of the office's: after section `afterKey`, first when null, last when
 * undefined.
 */
export function addSection(
  layout: BulletinShape,
  s: { key: string; heading: string; afterKey?: string | null },
): BulletinShape {
  let at = layout.sections.length;
  if (s.afterKey === null) at = 0;
  else if (s.afterKey !== undefined) {
    const i = layout.sections.findIndex((x) => x.key === s.afterKey);
    if (i < 0) throw sectionNotFound(s.afterKey, 'afterKey');
    at = i + 1;
  }
  return {
    ...layout,
    sections: insertAt(layout.sections, at, { key: s.key, heading: s.heading, paragraphs: [] }),
  };
}

/** Removes a section and every paragraph in it. */
export function removeSection(layout: BulletinShape, key: string): BulletinShape {
  const section = layout.sections.find((s) => s.key === key);
  if (!section) throw sectionNotFound(key, 'key');
  const added = { ...layout.added };
  for (const p of section.paragraphs) delete added[p];
  const removed = [
    ...layout.removed,
    ...section.paragraphs.filter((p) => !isOfficeKey(p)),
    ...(isOfficeKey(key) ? [] : [key]),
  ];
  return { sections: layout.sections.filter((s) => s !== section), removed, added };
}

export interface ArrangedSection {
  key: string;
  heading?: string;
  paragraphs: string[];
}

/**
 * The layout in the order the office sent: the same sections and paragraphs, each exactly once,
 * paragraphs free to move between sections; headings may be renamed. Anything else is a 422
 * naming the first field that does not fit (the client's view was stale, or it lost a key).
 */
export function arrange(layout: BulletinShape, order: readonly ArrangedSection[]): BulletinShape {
  const sectionKeys = new Set(layout.sections.map((s) => s.key));
  const paragraphKeys = new Set(layout.sections.flatMap((s) => s.paragraphs));
  const seenSections = new Set<string>();
  const seenParagraphs = new Set<string>();
  order.forEach((s, i) => {
    if (!sectionKeys.has(s.key)) throw layoutMismatch(`sections.${i}.key`, `没有栏目 ${s.key}`);
    if (seenSections.has(s.key)) throw layoutMismatch(`sections.${i}.key`, `栏目 ${s.key} 重复`);
    seenSections.add(s.key);
    s.paragraphs.forEach((p, j) => {
      const f = `sections.${i}.paragraphs.${j}`;
      if (!paragraphKeys.has(p)) throw layoutMismatch(f, `没有段落 ${p}`);
      if (seenParagraphs.has(p)) throw layoutMismatch(f, `段落 ${p} 重复`);
      seenParagraphs.add(p);
    });
  });
  const missingSection = [...sectionKeys].find((k) => !seenSections.has(k));
  if (missingSection !== undefined) {
    throw layoutMismatch('sections', `缺少栏目 ${missingSection}（删除栏目请用删除操作）`);
  }
  const missingParagraph = [...paragraphKeys].find((k) => !seenParagraphs.has(k));
  if (missingParagraph !== undefined) {
    throw layoutMismatch('sections', `缺少段落 ${missingParagraph}（删除段落请用删除操作）`);
  }
  const headings = new Map(layout.sections.map((s) => [s.key, s.heading]));
  return {
    ...layout,
    sections: order.map((s) => ({
      key: s.key,
      heading: s.heading ?? headings.get(s.key) ?? '',
      paragraphs: [...s.paragraphs],
    })),
  };
}

/** A section heading as the office typed it, without 【】 or spaces around it. */
export function normaliseHeading(heading: string): string {
  return heading
    .trim()
    .replace(/^【\s*/, '')
    .replace(/\s*】$/, '')
    .trim();
}

/** For the renderers' model: an office section's key read as a section key (they only print). */
export const asSectionKey = (key: string): BulletinSectionKey => key as BulletinSectionKey;
