import type { BulletinSection, InspectionFacts } from './bulletin-model.js';
import { escapeBulletinText } from './bulletin-text.js';
import { chineseOrdinal, formatCount, formatDayOfMonth } from './number-style.js';

/**
 * The 指挥调度 section: one paragraph per 督导检查 or 调度会, in the house style of issue 671's
 * 专题部署 paragraph. Every sentence ends in 。 and there is no whitespace in the text: issue 671
 * as extracted shows '部署会 朱峰、朱凯参加', but its stray spaces elsewhere ('和 20 余位') show
 * they are PDF artefacts, and the printed style separates the clause with '，'.
 */

const SENTENCE_END = /[。！？]$/;
// A heading typed as '压实责任，' or '提高站位;' still closes with 。 in print.
const TRAILING_SOFT_PUNCTUATION = /[，、；：,;:.\s]+$/;

/** Trims and closes the text with 。 unless it already ends a sentence; '' stays ''. */
function asSentence(text: string): string {
  const trimmed = text.trim().replace(TRAILING_SOFT_PUNCTUATION, '');
  if (trimmed === '') return '';
  return SENTENCE_END.test(trimmed) ? trimmed : `${trimmed}。`;
}

/** Names as paragraph text: trimmed, escaped (they are typed by people), empty ones dropped. */
function clean(names: string[]): string[] {
  return names.map((name) => escapeBulletinText(name.trim())).filter((name) => name !== '');
}

/**
 * Joins names with 、, except that an entry starting with 相关 is attached with 及, as issue 671
 * writes '…区城管委(区城管执法局)及相关镇街负责同志参会'.
 */
function joinNames(names: string[]): string {
  return clean(names)
    .map((name, i) => (i === 0 ? name : `${name.startsWith('相关') ? '及' : '、'}${name}`))
    .join('');
}

function endsWithRelatedEntry(names: string[]): boolean {
  const list = clean(names);
  return list.length > 0 && list[list.length - 1].startsWith('相关');
}

/** '检查发现问题N处，已全部整改。' — the facts from the tasks the inspection raised. */
function problemsSentence(found: number, rectified: number): string {
  if (found <= 0) return '';
  const done = Math.min(rectified, found);
  const outcome =
    done >= found ? '已全部整改' : done > 0 ? `已整改${formatCount(done)}处` : '正在督促整改';
  return `检查发现问题${formatCount(found)}处，${outcome}。`;
}

/**
 * '要求：**一要{heading}。**{body}。**二要…' — the heading is bold and closed with 。, the body
 * follows unbolded. A requirement with no heading is written plainly as '一要{body}'.
 */
function requirementsText(requirements: InspectionFacts['requirements'], lead: string): string {
  const items = requirements
    .map((r) => ({
      heading: escapeBulletinText(asSentence(r.heading)),
      body: escapeBulletinText(asSentence(r.body)),
    }))
    .filter((r) => r.heading !== '' || r.body !== '');
  if (items.length === 0) return '';
  const parts = items.map(({ heading, body }, i) => {
    const ordinal = `${chineseOrdinal(i + 1)}要`;
    return heading === '' ? `${ordinal}${body}` : `**${ordinal}${heading}**${body}`;
  });
  return `${lead}：${parts.join('')}`;
}

function sourceText(source: string): string {
  const trimmed = escapeBulletinText(source.trim());
  return trimmed === '' ? '' : `（${trimmed}）`;
}

/**
 * Who took part in an inspection, as one clause after the activity: named people first, then
 * the units, separated by '，' as official reports list 'A、B，C、D相关负责同志参加'.
 */
function inspectionParticipants(f: InspectionFacts): string {
  const people = joinNames(f.accompanying);
  const units = joinNames(f.participatingUnits);
  // '及相关镇街相关负责同志' would say 相关 twice.
  const unitsClause =
    units === ''
      ? ''
      : `${units}${endsWithRelatedEntry(f.participatingUnits) ? '' : '相关'}负责同志`;
  const who = [people, unitsClause].filter((part) => part !== '').join('，');
  return who === '' ? '。' : `，${who}参加。`;
}

/** '先后查看了A、B等公园广场，重点检查了环境卫生、秩序管理情况。' */
function inspectionScope(f: InspectionFacts): string {
  const sites = clean(f.sitesVisited);
  const target = escapeBulletinText(f.target.trim());
  const focus = escapeBulletinText(f.focus.trim());
  const clauses: string[] = [];
  if (sites.length > 0) {
    const where = `${sites.join('、')}${target === '' ? '' : `等${target}`}`;
    clauses.push(`${sites.length > 1 ? '先后' : ''}查看了${where}`);
  }
  if (focus !== '') {
    clauses.push(`重点检查了${focus}${focus.endsWith('情况') ? '' : '情况'}`);
  }
  return clauses.length === 0 ? '' : `${clauses.join('，')}。`;
}

/** A meeting as issue 671 writes one: '…召开X会，A、B参加。C、D负责同志参会。' */
function meetingParticipants(f: InspectionFacts): string {
  const people = joinNames(f.accompanying);
  const units = joinNames(f.participatingUnits);
  const sentences = [
    people === '' ? '' : `${people}参加。`,
    units === '' ? '' : `${units}负责同志参会。`,
  ]
    .filter((s) => s !== '')
    .join('');
  return sentences === '' ? '。' : `，${sentences}`;
}

/**
 * One paragraph of 指挥调度. For an inspection:
 * '王建华7日到永定镇开展公园广场创城督导检查，朱峰、朱凯，永定镇、区城管委相关负责同志参加。
 * 先后查看了A、B等公园广场，重点检查了环境卫生、秩序管理情况。检查发现问题6处，已全部整改。
 * 要求：**一要…。**…。（本刊）'
 * For a meeting (location is not written, as in issue 671):
 * '王建华7日召开X部署会，朱峰、朱凯参加。A、B及相关镇街负责同志参会。会议要求：**一要…。**…。（本刊）'
 */
export function renderInspectionParagraph(f: InspectionFacts): string {
  const leads = clean(f.leadPersons).join('、');
  const day = formatDayOfMonth(f.date);
  const activity = escapeBulletinText(f.activity.trim());
  const location = escapeBulletinText(f.location.trim());
  if (f.kind === 'meeting') {
    return [
      `${leads}${day}召开${activity}`,
      meetingParticipants(f),
      problemsSentence(f.problemsFound, f.problemsRectified),
      requirementsText(f.requirements, '会议要求'),
      sourceText(f.source),
    ].join('');
  }
  return [
    `${leads}${day}${location === '' ? '' : `到${location}`}开展${activity}`,
    inspectionParticipants(f),
    inspectionScope(f),
    problemsSentence(f.problemsFound, f.problemsRectified),
    requirementsText(f.requirements, '要求'),
    sourceText(f.source),
  ].join('');
}

/** Most senior lead first; within one lead, in date order; id only makes the order total. */
function compareFacts(a: InspectionFacts, b: InspectionFacts): number {
  if (a.leadRank !== b.leadRank) return a.leadRank - b.leadRank;
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The 指挥调度 section, one paragraph per inspection or meeting, keyed by its id. */
export function renderCommandDispatch(list: InspectionFacts[]): BulletinSection {
  return {
    key: 'command_dispatch',
    heading: '指挥调度',
    paragraphs: [...list]
      .sort(compareFacts)
      .map((f) => ({ key: f.id, text: renderInspectionParagraph(f) })),
  };
}
