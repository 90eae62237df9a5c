import { sql, type Selectable } from 'kysely';
import type { Categories, Inspections, Units } from '../../database/db.generated.js';
import type { Db } from '../../database/kysely.js';
import { shanghaiDate } from '../shanghai-time.js';
import type { ClosedTaskCount } from './bulletin-model.js';
import type {
  DispatchFacts,
  RemarkFacts,
  RequirementNumberingFacts,
  TitledName,
} from './command-dispatch-facts.js';

/**
 * The facts a 快报 is written from, read with SQL aggregates for a period [start, end): a few
 * rows per inspection and per unit × category, never the tasks themselves. Every ORDER BY is
 * total, so the same period and data always give the same text. The aggregates stay SQL; their
 * rows are typed from the generated table types, so a renamed column breaks the compile here.
 */

type InspectionRow = Pick<
  Selectable<Inspections>,
  | 'id'
  | 'lead_persons'
  | 'lead_rank'
  | 'location'
  | 'activity'
  | 'accompanying'
  | 'target'
  | 'focus'
  | 'requirements'
  | 'source'
  | 'convener'
  | 'purpose'
  | 'leaders'
  | 'escorts'
  | 'participant_groups'
  | 'remarks'
  | 'requirements_by'
  | 'looked_at'
> & {
  kind: DispatchFacts['kind'];
  requirement_numbering: RequirementNumberingFacts;
  /** held_on as YYYY-MM-DD. */
  date: string;
  units: Selectable<Units>['name'][];
  sites: string[];
  /** The sites' aliases, index by index ('' for none). */
  site_aliases: string[];
  found: number;
  rectified: number;
  /** The distinct measure words of the found problems' categories. */
  measure_words: string[];
};

/**
 * An inspection is dated by day (held_on), a period by instant. A day belongs to the period
 * when it lies in [the day the period starts in, the day it ends in): an issue ending on
 * Friday at 15:00 leaves Friday to the next issue, which starts at Friday 15:00 and so takes
 * all of Friday. Consecutive issues thus share out the days with no gap and no overlap, and an
 * inspection logged on Friday evening is not lost between them.
 *
 * problemsFound counts the tasks the inspection raised that were not cancelled (duplicates and
 * mistakes are not problems); problemsRectified those of them closed before the period end, so
 * regenerating the issue later reads the same. A voided inspection (logged by mistake) is left
 * out; its tasks, if closed, still count in 综合整治 like any other. The problems are counted in
 * their categories' measure word when they share one, else in the neutral 个 (see measureWordOf).
 */
const inspectionsSql = (from: string, to: string, end: Date) => sql<InspectionRow>`
  SELECT i.id, i.kind, i.lead_persons, i.lead_rank, to_char(i.held_on, 'YYYY-MM-DD') AS date,
         i.location, i.activity, i.accompanying, i.target, i.focus, i.requirements, i.source,
         i.convener, i.purpose, i.leaders, i.escorts, i.participant_groups, i.remarks,
         i.requirements_by, i.requirement_numbering, i.looked_at,
         coalesce((SELECT array_agg(u.name ORDER BY iu.position, u.name)
                     FROM inspection_units iu JOIN units u ON u.id = iu.unit_id
                    WHERE iu.inspection_id = i.id), '{}') AS units,
         coalesce((SELECT array_agg(s.name ORDER BY isi.position, s.name)
                     FROM inspection_sites isi JOIN sites s ON s.id = isi.site_id
                    WHERE isi.inspection_id = i.id), '{}') AS sites,
         coalesce((SELECT array_agg(coalesce(isi.alias, '') ORDER BY isi.position, s.name)
                     FROM inspection_sites isi JOIN sites s ON s.id = isi.site_id
                    WHERE isi.inspection_id = i.id), '{}') AS site_aliases,
         tc.found, tc.rectified, tc.measure_words
    FROM inspections i
   CROSS JOIN LATERAL (
         SELECT count(*)::int AS found,
                count(*) FILTER (WHERE t.status = 'closed' AND t.closed_at < ${end})::int AS rectified,
                coalesce(array_agg(DISTINCT btrim(c.measure_word) ORDER BY btrim(c.measure_word))
                           FILTER (WHERE btrim(c.measure_word) <> ''), '{}') AS measure_words
           FROM tasks t
           JOIN categories c ON c.id = t.category_id
          WHERE t.inspection_id = i.id AND t.status <> 'cancelled') tc
   WHERE i.held_on >= ${from}::date AND i.held_on < ${to}::date AND i.voided_at IS NULL
   ORDER BY i.lead_rank, i.held_on, i.id`;

/** The objects of a jsonb array, each read as a record of strings ('' for what is missing). */
function recordsOf<K extends string>(value: unknown, keys: readonly K[]): Record<K, string>[] {
  if (!Array.isArray(value)) return [];
  return value.map((item: unknown) => {
    const r = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    return Object.fromEntries(keys.map((k) => [k, typeof r[k] === 'string' ? r[k] : ''])) as Record<
      K,
      string
    >;
  });
}

const requirementsOf = (value: unknown): DispatchFacts['requirements'] =>
  recordsOf(value, ['heading', 'body'] as const);
const peopleOf = (value: unknown): TitledName[] => recordsOf(value, ['title', 'name'] as const);
const remarksOf = (value: unknown): RemarkFacts[] =>
  recordsOf(value, ['speaker', 'verb', 'text'] as const);

/**
 * The measure word the problems an inspection found are counted in: their categories' when
 * they share one (发现问题3起), 处 when none is known, else the neutral 个 (发现问题5个): '问题
 * 3起、2处' summed as '5处' would be wrong, and 个 is how reports count mixed problems.
 */
export function measureWordOf(words: string[]): string {
  if (words.length === 0) return '处';
  return words.length === 1 ? words[0] : '个';
}

export async function readInspectionFacts(
  db: Db,
  start: Date,
  end: Date,
): Promise<DispatchFacts[]> {
  const { rows } = await inspectionsSql(shanghaiDate(start), shanghaiDate(end), end).execute(db);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    leadPersons: r.lead_persons,
    leadRank: r.lead_rank,
    date: r.date,
    location: r.location,
    activity: r.activity,
    accompanying: r.accompanying,
    participatingUnits: r.units,
    sitesVisited: r.sites,
    target: r.target ?? '',
    focus: r.focus ?? '',
    requirements: requirementsOf(r.requirements),
    source: r.source,
    problemsFound: r.found,
    problemsRectified: r.rectified,
    problemsMeasureWord: measureWordOf(r.measure_words),
    convener: r.convener ?? '',
    purpose: r.purpose ?? '',
    leaders: peopleOf(r.leaders),
    escorts: peopleOf(r.escorts),
    participantGroups: r.participant_groups,
    remarks: remarksOf(r.remarks),
    requirementsBy: r.requirements_by ?? '',
    requirementNumbering: r.requirement_numbering,
    lookedAt: r.looked_at ?? '',
    siteAliases: r.site_aliases,
  }));
}

/**
 * Tasks closed (销号) in [start, end), per unit × category: the category's bulletin name when
 * it has one, its measure word, the unit's sort order as its rank for ties.
 */
interface ClosedRow {
  unit_name: Selectable<Units>['name'];
  unit_rank: Selectable<Units>['sort_order'];
  category_name: Selectable<Categories>['name'];
  measure_word: Selectable<Categories>['measure_word'];
  count: number;
}

const closedSql = (start: Date, end: Date) => sql<ClosedRow>`
  SELECT u.name AS unit_name, u.sort_order AS unit_rank,
         coalesce(nullif(btrim(c.bulletin_name), ''), c.name) AS category_name,
         c.measure_word, count(*)::int AS count
    FROM tasks t
    JOIN units u ON u.id = t.unit_id
    JOIN categories c ON c.id = t.category_id
   WHERE t.status = 'closed' AND t.closed_at >= ${start} AND t.closed_at < ${end}
   GROUP BY u.name, u.sort_order, 3, c.measure_word
   ORDER BY u.sort_order, u.name, 3, c.measure_word`;

export async function readClosedTaskCounts(
  db: Db,
  start: Date,
  end: Date,
): Promise<ClosedTaskCount[]> {
  const { rows } = await closedSql(start, end).execute(db);
  return rows.map((r) => ({
    unitName: r.unit_name,
    unitRank: r.unit_rank,
    categoryName: r.category_name,
    measureWord: r.measure_word,
    count: r.count,
  }));
}
