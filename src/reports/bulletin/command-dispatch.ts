import type { BulletinSection } from './bulletin-model.js';
import type {
  DispatchFacts,
  RequirementNumberingFacts,
  TitledName,
} from './command-dispatch-facts.js';
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

/**
 * '检查发现问题N处，已全部整改。' — the facts from the tasks the inspection raised, counted in
 * the measure word of their categories (处, 起, 条 …; '个' when they differ).
 */
function problemsSentence(f: DispatchFacts, lead: string): string {
  const found = f.problemsFound;
  if (found <= 0) return '';
  const word = escapeBulletinText((f.problemsMeasureWord ?? '').trim()) || '处';
  const done = Math.min(f.problemsRectified, found);
  const outcome =
    done >= found ? '已全部整改' : done > 0 ? `已整改${formatCount(done)}${word}` : '正在督促整改';
  return `${lead}问题${formatCount(found)}${word}，${outcome}。`;
}

/** How the n-th requirement (from 0) is numbered. */
function requirementLabel(numbering: RequirementNumberingFacts, i: number): string {
  if (numbering === 'digits') return `${i + 1}.`;
  if (numbering === 'none') return '';
  return `${chineseOrdinal(i + 1)}${numbering === 'shi' ? '是' : '要'}`;
}

/**
 * '{lead}：**一要{heading}。**{body}。**二要…' — the heading is bold and closed with 。, the body
 * follows unbolded; a requirement with no heading is written plainly as '一要{body}'. When no
 * requirement has a heading they are one sentence: '{lead}：一是…；二是…。'. A single unnumbered
 * requirement reads '{lead}：各单位要…。'.
 */
function requirementsText(
  requirements: DispatchFacts['requirements'],
  lead: string,
  numbering: RequirementNumberingFacts,
): string {
  const items = requirements.filter(
    (r) => asSentence(r.heading) !== '' || asSentence(r.body) !== '',
  );
  if (items.length === 0) return '';
  if (items.every((r) => asSentence(r.heading) === '')) {
    const clauses = items.map((r, i) => `${requirementLabel(numbering, i)}${asClause(r.body)}`);
    return `${lead}：${clauses.join(numbering === 'none' ? '' : '；')}。`;
  }
  const parts = items.map((r, i) => {
    const heading = escapeBulletinText(asSentence(r.heading));
    const body = escapeBulletinText(asSentence(r.body));
    const label = requirementLabel(numbering, i);
    return heading === '' ? `${label}${body}` : `**${label}${heading}**${body}`;
  });
  return `${lead}：${parts.join('')}`;
}

function sourceText(source: string): string {
  const trimmed = escapeBulletinText(source.trim());
  return trimmed === '' ? '' : `（${trimmed}）`;
}

/** Text typed as a clause: trimmed, without closing punctuation, escaped. */
function asClause(text: string | undefined): string {
  return escapeBulletinText(
    (text ?? '')
      .trim()
      .replace(TRAILING_SOFT_PUNCTUATION, '')
      .replace(/[。！？]+$/, ''),
  );
}

/** People as the text names them, title before name: '区委常委、宣传部部长王建华'. */
function titledNames(people: TitledName[] | undefined): string[] {
  return (people ?? [])
    .map((p) => `${escapeBulletinText(p.title.trim())}${escapeBulletinText(p.name.trim())}`)
    .filter((text) => text !== '');
}

/**
 * Who the paragraph is about: the leaders with titles when given, else the lead persons'
 * names. A titled subject is preceded by the date ('11月7日，区委常委…王建华到…'); a bare name
 * takes it after ('王建华7日到…'), as issue 671 writes.
 */
function subjectOf(f: DispatchFacts): { text: string; titled: boolean } {
  const leaders = titledNames(f.leaders);
  if (leaders.length > 0) {
    return {
      text: leaders.join('、'),
      titled: (f.leaders ?? []).some((p) => p.title.trim() !== ''),
    };
  }
  return { text: clean(f.leadPersons).join('、'), titled: false };
}

/** '2026-11-07' → '11月7日'. */
function monthDay(date: string): string {
  const [, month, day] = date.split('-').map(Number);
  return `${month}月${day}日`;
}

function opening(f: DispatchFacts): string {
  const who = subjectOf(f);
  return who.titled ? `${monthDay(f.date)}，${who.text}` : `${who.text}${formatDayOfMonth(f.date)}`;
}

/** 'A、B和C': a list whose last item is joined with 和. */
function joinWithHe(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join('、')}和${items[items.length - 1]}`;
}

/** Visited sites as written, each with its alias in brackets: 石门营文化公园（石门营广场）. */
function siteNames(f: DispatchFacts): string[] {
  return f.sitesVisited
    .map((name, i) => {
      const site = escapeBulletinText(name.trim());
      const alias = escapeBulletinText((f.siteAliases?.[i] ?? '').trim());
      return site === '' ? '' : alias === '' ? site : `${site}（${alias}）`;
    })
    .filter((name) => name !== '');
}

function unitsClause(f: DispatchFacts, related: boolean): string {
  const units = joinNames(f.participatingUnits);
  if (units === '') return '';
  // '及相关镇街相关负责同志' would say 相关 twice.
  const prefix = related && !endsWithRelatedEntry(f.participatingUnits) ? '相关' : '';
  return `${units}${prefix}负责同志`;
}

/**
 * Who took part in a visit, as one clause after the activity: the visited unit's officials
 * 陪同, then named people, units and groups 参加, separated by '，' as official reports list
 * 'A、B，C、D相关负责同志参加'.
 */
function visitParticipants(f: DispatchFacts): string {
  const escorts = titledNames(f.escorts).join('、');
  const takingPart = [
    joinNames(f.accompanying),
    unitsClause(f, true),
    joinNames(f.participantGroups ?? []),
  ]
    .filter((part) => part !== '')
    .join('，');
  const clauses = [
    escorts === '' ? '' : `${escorts}陪同${f.kind === 'survey' ? '调研' : '检查'}`,
    takingPart === '' ? '' : `${takingPart}参加`,
  ].filter((c) => c !== '');
  return clauses.length === 0 ? '。' : `，${clauses.join('，')}。`;
}

/** '先后查看了A、B等公园广场，重点检查了环境卫生、秩序管理情况。' (a visit without lookedAt). */
function inspectionScope(f: DispatchFacts): string {
  const sites = siteNames(f);
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

/** What was looked at, as the object of 查看: '各项指标落实情况', '停车秩序、环境卫生等情况'. */
function lookedAtObject(lookedAt: string): string {
  if (lookedAt.endsWith('情况')) return lookedAt;
  return `${lookedAt}${lookedAt.includes('、') ? '等' : ''}情况`;
}

const DEFAULT_SURVEY_OBJECT = '创城工作落实情况';

/**
 * '先后到A、B和C查看各项指标落实情况，重点检查了…情况。' — a 调研, or a visit that says what
 * it looked at. With a target the list ends in 等: '先后到A、B、C等公园广场查看…'.
 */
function visitScope(f: DispatchFacts): string {
  const sites = siteNames(f);
  const target = escapeBulletinText(f.target.trim());
  const focus = escapeBulletinText(f.focus.trim());
  const lookedAt = asClause(f.lookedAt);
  const object = lookedAtObject(lookedAt === '' ? DEFAULT_SURVEY_OBJECT : lookedAt);
  const clauses: string[] = [];
  if (sites.length > 0) {
    const where = target === '' ? joinWithHe(sites) : `${sites.join('、')}等${target}`;
    clauses.push(`${sites.length > 1 ? '先后' : ''}到${where}查看${object}`);
  } else if (lookedAt !== '') {
    clauses.push(`重点查看了${object}`);
  }
  if (focus !== '') {
    clauses.push(`重点检查了${focus}${focus.endsWith('情况') ? '' : '情况'}`);
  }
  return clauses.length === 0 ? '' : `${clauses.join('，')}。`;
}

/** A meeting as issue 671 writes one: '…召开X会，A、B参加。C、D负责同志参会。' */
function meetingParticipants(f: DispatchFacts): string {
  const people = joinNames(f.accompanying);
  const others = [unitsClause(f, false), joinNames(f.participantGroups ?? [])]
    .filter((part) => part !== '')
    .join('，');
  const sentences = [people === '' ? '' : `${people}参加。`, others === '' ? '' : `${others}参会。`]
    .filter((s) => s !== '')
    .join('');
  return sentences === '' ? '。' : `，${sentences}`;
}

/** 'X指出，…。X强调，…。' */
function remarksText(f: DispatchFacts): string {
  return (f.remarks ?? [])
    .map((r) => ({
      speaker: escapeBulletinText(r.speaker.trim()),
      verb: escapeBulletinText(r.verb.trim()),
      text: escapeBulletinText(asSentence(r.text)),
    }))
    .filter((r) => r.speaker !== '' && r.text !== '')
    .map((r) => `${r.speaker}${r.verb}，${r.text}`)
    .join('');
}

function requirementsOf(f: DispatchFacts, fallbackLead: string): string {
  const by = escapeBulletinText((f.requirementsBy ?? '').trim());
  return requirementsText(
    f.requirements,
    by === '' ? fallbackLead : `${by}要求`,
    f.requirementNumbering ?? 'yao',
  );
}

/**
 * A meeting. Convened by a body, its leaders attend:
 * '4月7日，区创城办召开创城工作推进会，传达全市创城工作推进会精神。区委常委、宣传部部长王建华
 * 出席会议。各镇街主要领导参加。王建华指出，…。王建华强调，…。王建华要求：一是…；二是…。'
 * Without a convener the leaders convene it, as issue 671 writes (location is not written):
 * '王建华7日召开X部署会，朱峰、朱凯参加。A、B及相关镇街负责同志参会。会议要求：**一要…。**…'
 */
function meetingParagraph(f: DispatchFacts): string {
  const activity = escapeBulletinText(f.activity.trim());
  const convener = escapeBulletinText((f.convener ?? '').trim());
  const purpose = asClause(f.purpose);
  const ofPurpose = purpose === '' ? '' : `，${purpose}`;
  if (convener !== '') {
    const attending = subjectOf(f).text;
    const takingPart = [
      joinNames(f.accompanying),
      unitsClause(f, false),
      joinNames(f.participantGroups ?? []),
    ]
      .filter((part) => part !== '')
      .join('，');
    return [
      `${monthDay(f.date)}，${convener}召开${activity}${ofPurpose}。`,
      attending === '' ? '' : `${attending}出席会议。`,
      takingPart === '' ? '' : `${takingPart}参加。`,
      problemsSentence(f, '检查发现'),
      remarksText(f),
      requirementsOf(f, '会议要求'),
      sourceText(f.source),
    ].join('');
  }
  return [
    `${opening(f)}召开${activity}${ofPurpose}`,
    meetingParticipants(f),
    problemsSentence(f, '检查发现'),
    remarksText(f),
    requirementsOf(f, '会议要求'),
    sourceText(f.source),
  ].join('');
}

/** '到永定镇调研指导创城工作': 调研 leads the activity unless the office wrote it in. */
function surveyActivity(activity: string): string {
  if (activity.startsWith('调研')) return activity;
  return activity.includes('调研') ? `开展${activity}` : `调研${activity}`;
}

/**
 * One paragraph of 指挥调度. For an inspection:
 * '王建华7日到永定镇开展公园广场创城督导检查，朱峰、朱凯，永定镇、区城管委相关负责同志参加。
 * 先后查看了A、B等公园广场，重点检查了环境卫生、秩序管理情况。检查发现问题6处，已全部整改。
 * 要求：**一要…。**…。（本刊）'
 * For a 调研 (or an inspection that says what it looked at):
 * '11月7日，区委常委、宣传部部长王建华到永定镇调研指导创城工作，永定镇党委书记张三陪同调研。
 * 先后到石门营文化公园（石门营广场）、A和B查看各项指标落实情况。王建华要求：各单位要…。（本刊）'
 * For a meeting see meetingParagraph.
 */
export function renderInspectionParagraph(f: DispatchFacts): string {
  if (f.kind === 'meeting') return meetingParagraph(f);
  const survey = f.kind === 'survey';
  const activity = escapeBulletinText(f.activity.trim());
  const location = escapeBulletinText(f.location.trim());
  const saysWhatItLookedAt = survey || asClause(f.lookedAt) !== '';
  return [
    `${opening(f)}${location === '' ? '' : `到${location}`}`,
    survey ? surveyActivity(activity) : `开展${activity}`,
    visitParticipants(f),
    saysWhatItLookedAt ? visitScope(f) : inspectionScope(f),
    problemsSentence(f, survey ? '调研发现' : '检查发现'),
    remarksText(f),
    requirementsOf(f, '要求'),
    sourceText(f.source),
  ].join('');
}

/** Most senior lead first; within one lead, in date order; id only makes the order total. */
function compareFacts(a: DispatchFacts, b: DispatchFacts): number {
  if (a.leadRank !== b.leadRank) return a.leadRank - b.leadRank;
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The 指挥调度 section, one paragraph per inspection or meeting, keyed by its id. */
export function renderCommandDispatch(list: DispatchFacts[]): BulletinSection {
  return {
    key: 'command_dispatch',
    heading: '指挥调度',
    paragraphs: [...list]
      .sort(compareFacts)
      .map((f) => ({ key: f.id, text: renderInspectionParagraph(f) })),
  };
}
