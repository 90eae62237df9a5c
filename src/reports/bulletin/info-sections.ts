import { createHash } from 'node:crypto';
import type {
  BulletinParagraph,
  BulletinSection,
  BulletinSectionKey,
  ClosedTaskCount,
} from './bulletin-model.js';
import { escapeBulletinText } from './bulletin-text.js';
import { renderComprehensiveRectification, unitFigures } from './rectification-brief.js';

/**
 * Units' 信息报送 items in the 快报. Pure: the items and the period's closed-task counts in, the
 * sections out. The rules, as issue 671 writes them:
 *
 * - **Own item or 简讯.** An item whose text is longer than `briefMaxChars` (config/
 *   info-columns.json, counted without whitespace) is an item of its own, in a section headed by its 栏目 (【文明培育】,
 *   【新时代文明实践】…), placed before 简讯: the bold title, then the text paragraph by paragraph,
 *   the unit in brackets at the end ('（东辛房街道）'). A shorter one goes into 简讯 as
 *   '**【文明培育】区农业农村局：**近日，…。'.
 * - **Folding.** In 简讯, items of the same 栏目 and the same 工作类型 (`kind`, optional; items
 *   without one form one group per 栏目) make one paragraph: the lead item is the longest text
 *   (then the earliest adopted, then unit order), and the other units are named after it,
 *   '**区科信局、城子街道**也开展了相关活动。' (the 栏目's `foldTail`: 相关活动, 相关工作 …), in unit
 *   order (units.sort_order, then pinyin), each once; the lead unit is not named again.
 * - **综合整治 figures.** In the 栏目 marked `closedTaskFigures`, a unit that sent a 简讯 item and
 *   closed tasks in the period gets its figures joined to its own text ('…，整治店外经营问题6起、
 *   停车秩序问题13起。') instead of the generated statistics paragraph; such a unit is never folded
 *   away (its figures would be lost), it leads a paragraph of its own. Units with figures and no
 *   item (or only an item of its own) keep the generated paragraph, after the 简讯 items of that 栏目.
 * - **Keys and items.** Every paragraph lists the items it prints in `infoItemIds`, so
 *   publishing marks exactly those (`printedInfoItemIds`). Its key is `info:<item id>` for an
 *   item of its own (later paragraphs add `:2`, `:3` …) and for a 简讯 paragraph of one item;
 *   a folded one adds `+` and 8 hex digits of a hash of all its items, so the key stays short
 *   (keys are path segments, 200 characters at most) and changes when the folded set changes —
 *   an office edit of the old paragraph then shows as stale instead of silently covering a unit
 *   it never named.
 */

export interface InfoColumn {
  /** Stored on the item, e.g. 'civility'. */
  code: string;
  /** The section heading of an item of its own, e.g. '新时代文明实践'. */
  name: string;
  /** The 【】 label in 简讯, e.g. '文明实践'. */
  briefLabel: string;
  /** What the folded units did: '相关活动' → '**X、Y**也开展了相关活动。' */
  foldTail: string;
  /** The 栏目 whose items the closed tasks' figures join (综合整治). */
  closedTaskFigures?: boolean;
}

export interface InfoColumnsConfig {
  /** Texts of more characters than this are items of their own; the rest go into 简讯. */
  briefMaxChars: number;
  columns: InfoColumn[];
}

/** An adopted item not yet published, as the bulletin needs it. */
export interface AdoptedInfoItem {
  id: string;
  unitName: string;
  /** units.sort_order: lower first. */
  unitRank: number;
  column: string;
  /** 工作类型, the folding tag; null when the unit gave none. */
  kind: string | null;
  title: string;
  body: string;
  adoptedAt: Date;
}

export const INFO_KEY_PREFIX = 'info:';
/** The 简讯 section (its key predates 信息报送: it held only the 综合整治 statistics). */
const BRIEF_SECTION: BulletinSectionKey = 'comprehensive_rectification';

const byName = new Intl.Collator('zh-Hans-CN').compare;
// A closing quote after the stop belongs to the sentence (…活动。”); a bracket does not end one.
const ENDS_SENTENCE = /[。！？!?…][”’」』"]?$/;

/** Body text as paragraphs: one per non-empty line, each escaped for the bulletin. */
function bodyParagraphs(body: string): string[] {
  return body
    .split(/\r\n|[\r\n\u2028\u2029\u0085]/)
    .map((line) => escapeBulletinText(line).trim())
    .filter((line) => line !== '');
}

/** The length the threshold is measured on: the characters that print. */
export function printedLength(body: string): number {
  return [...body.replace(/\s+/g, '')].length;
}

function asSentence(text: string): string {
  return ENDS_SENTENCE.test(text) ? text : `${text}。`;
}

/** '近日，开展…检查10余次。' + '店外经营问题6起' → '近日，开展…检查10余次，整治店外经营问题6起。' */
export function joinFigures(text: string, figures: string): string {
  const stem = text.replace(/[。；;，,、\s]+$/u, '');
  return `${stem}，整治${figures}。`;
}

function compareUnitItems(a: AdoptedInfoItem, b: AdoptedInfoItem): number {
  if (a.unitRank !== b.unitRank) return a.unitRank - b.unitRank;
  return byName(a.unitName, b.unitName);
}

/** The lead of a group: the longest text, then the earliest adopted, then unit order. */
function compareLead(a: AdoptedInfoItem, b: AdoptedInfoItem): number {
  const la = printedLength(a.body);
  const lb = printedLength(b.body);
  if (la !== lb) return lb - la;
  const ta = a.adoptedAt.getTime();
  const tb = b.adoptedAt.getTime();
  if (ta !== tb) return ta - tb;
  return compareUnitItems(a, b);
}

function compareAdopted(a: AdoptedInfoItem, b: AdoptedInfoItem): number {
  const d = a.adoptedAt.getTime() - b.adoptedAt.getTime();
  return d !== 0 ? d : compareUnitItems(a, b);
}

function columnOf(config: InfoColumnsConfig, code: string): InfoColumn {
  return (
    config.columns.find((c) => c.code === code) ?? {
      // A 栏目 taken out of the config after the item was adopted still prints, under its code.
      code,
      name: code,
      briefLabel: code,
      foldTail: '相关活动',
    }
  );
}

/** The 栏目 in config order, then any unknown ones the items carry, by code. */
function columnsInOrder(config: InfoColumnsConfig, items: AdoptedInfoItem[]): InfoColumn[] {
  const known = new Set(config.columns.map((c) => c.code));
  const unknown = [...new Set(items.map((i) => i.column).filter((c) => !known.has(c)))].sort();
  return [...config.columns, ...unknown.map((code) => columnOf(config, code))];
}

/** The paragraphs of an item of its own: bold title, the text, the unit in brackets. */
export function ownItemParagraphs(item: AdoptedInfoItem): BulletinParagraph[] {
  const lines = bodyParagraphs(item.body);
  if (lines.length === 0) lines.push('');
  const unit = escapeBulletinText(item.unitName.trim());
  return lines.map((line, i) => {
    let text = i === 0 ? `**${escapeBulletinText(item.title.trim())}** ${line}`.trimEnd() : line;
    if (i === lines.length - 1) text += `（${unit}）`;
    return {
      key: `${INFO_KEY_PREFIX}${item.id}${i === 0 ? '' : `:${i + 1}`}`,
      text,
      infoItemIds: [item.id],
    };
  });
}

/**
 * One 简讯 paragraph per group, see the file comment. `figures` maps a unit name to its
 * 综合整治 figures (only passed for the figures 栏目).
 */
export function briefParagraphs(
  column: InfoColumn,
  items: AdoptedInfoItem[],
  figures: Map<string, string> = new Map(),
): BulletinParagraph[] {
  const groups = new Map<string, AdoptedInfoItem[]>();
  for (const item of [...items].sort(compareAdopted)) {
    const tag = item.kind?.trim() ?? '';
    groups.set(tag, [...(groups.get(tag) ?? []), item]);
  }
  const paragraphs: BulletinParagraph[] = [];
  const label = escapeBulletinText(column.briefLabel);
  for (const group of groups.values()) {
    // Units with figures lead paragraphs of their own; the rest fold under the longest text.
    const sorted = [...group].sort(compareLead);
    const leads: AdoptedInfoItem[] = [];
    const ledUnits = new Set<string>();
    for (const item of sorted) {
      const unit = item.unitName.trim();
      if (ledUnits.has(unit)) continue;
      if (leads.length === 0 || figures.has(unit)) {
        leads.push(item);
        ledUnits.add(unit);
      }
    }
    const folded = sorted.filter((i) => !ledUnits.has(i.unitName.trim()));
    const foldedUnits = [...new Map(folded.map((i) => [i.unitName.trim(), i])).values()]
      .sort(compareUnitItems)
      .map((i) => escapeBulletinText(i.unitName.trim()));
    leads.forEach((lead, n) => {
      const unit = lead.unitName.trim();
      const body = bodyParagraphs(lead.body).join('');
      const unitFigures = figures.get(unit);
      let text = `**【${label}】${escapeBulletinText(unit)}：**${
        unitFigures ? joinFigures(body, unitFigures) : asSentence(body)
      }`;
      // The items this paragraph stands for: the lead, the unit's other items of the group,
      // and, on the last lead, the folded ones.
      const own = sorted.filter((i) => i.unitName.trim() === unit);
      const ids = [lead, ...own.filter((i) => i !== lead)].map((i) => i.id);
      if (n === leads.length - 1 && foldedUnits.length > 0) {
        text += `**${foldedUnits.join('、')}**也开展了${escapeBulletinText(column.foldTail)}。`;
        ids.push(...folded.map((i) => i.id));
      }
      paragraphs.push({ key: briefKey(ids), text, infoItemIds: ids });
    });
  }
  return paragraphs;
}

export interface ComposeOptions {
  featuredUnits: number;
}

/**
 * The draft's sections with the adopted items placed: items of their own as sections before
 * 简讯, short ones into 简讯 by 栏目 with the 综合整治 figures joined (see the file comment).
 * Without items the sections come back as they were.
 */
export function composeInfoSections(
  sections: BulletinSection[],
  items: AdoptedInfoItem[],
  closed: ClosedTaskCount[],
  config: InfoColumnsConfig,
  opts: ComposeOptions,
): BulletinSection[] {
  if (items.length === 0) return sections;
  const own = items.filter((i) => printedLength(i.body) > config.briefMaxChars);
  const brief = items.filter((i) => printedLength(i.body) <= config.briefMaxChars);
  const columns = columnsInOrder(config, items);
  const figuresColumn = columns.find((c) => c.closedTaskFigures);

  const ownSections: BulletinSection[] = [];
  for (const column of columns) {
    const inColumn = own.filter((i) => i.column === column.code).sort(compareAdopted);
    if (inColumn.length === 0) continue;
    ownSections.push({
      key: `info:${column.code}`,
      heading: column.name,
      paragraphs: inColumn.flatMap(ownItemParagraphs),
    });
  }

  // Figures go to the units that sent a short 综合整治 item; the others keep the statistics.
  const allFigures = unitFigures(closed);
  const reportingUnits = new Set(
    brief.filter((i) => i.column === figuresColumn?.code).map((i) => i.unitName.trim()),
  );
  const joined = new Map([...allFigures].filter(([unit]) => reportingUnits.has(unit)));
  const statistics =
    renderComprehensiveRectification(
      closed.filter((r) => !reportingUnits.has(r.unitName.trim())),
      opts,
    )?.paragraphs ?? [];

  const briefs: BulletinParagraph[] = [];
  for (const column of columns) {
    const inColumn = brief.filter((i) => i.column === column.code);
    const isFigures = column === figuresColumn;
    briefs.push(...briefParagraphs(column, inColumn, isFigures ? joined : undefined));
    if (isFigures) briefs.push(...statistics);
  }
  if (!figuresColumn) briefs.push(...statistics);

  const out = sections.filter((s) => s.key !== BRIEF_SECTION);
  const briefAt = sections.findIndex((s) => s.key === BRIEF_SECTION);
  const existing = briefAt === -1 ? undefined : sections[briefAt];
  const briefSection: BulletinSection = {
    key: BRIEF_SECTION,
    heading: existing?.heading ?? '简讯',
    paragraphs: briefs,
  };
  const at = briefAt === -1 ? out.length : briefAt;
  out.splice(at, 0, ...ownSections, briefSection);
  return out;
}

/** `info:<lead id>`, plus `+<hash of every id>` when items are folded in. */
export function briefKey(ids: string[]): string {
  if (ids.length === 1) return `${INFO_KEY_PREFIX}${ids[0]}`;
  const digest = createHash('sha256')
    .update([...ids].sort().join(','))
    .digest('hex')
    .slice(0, 8);
  return `${INFO_KEY_PREFIX}${ids[0]}+${digest}`;
}

/**
 * The items an issue prints: those of the generated paragraphs whose keys are among `printed`
 * (the paragraphs the issue shows, edits applied), each once.
 */
export function printedInfoItemIds(
  generated: readonly BulletinSection[],
  printed: ReadonlySet<string>,
): string[] {
  const ids = generated.flatMap((s) =>
    s.paragraphs.filter((p) => printed.has(p.key)).flatMap((p) => p.infoItemIds ?? []),
  );
  return [...new Set(ids)];
}
