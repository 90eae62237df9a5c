import { sql } from 'kysely';
import type { Db } from '../database/kysely.js';

/**
 * 督导覆盖率: how many of the 点位 planned for inspectors were visited, as SQL aggregates.
 *
 * Visited (one rule, used for coverage, the plan's ticks and 未督导点位 alike): a site counts as
 * visited by an inspector on a day when an inspection that is not voided, created by that
 * inspector (`inspections.created_by`) and held (`held_on`) that day either lists the site
 * (`inspection_sites`, which checklist walks also write) or raised a task at it
 * (`tasks.inspection_id` + `tasks.site_id`). Tasks logged without an inspection do not count.
 *
 * Coverage over the Shanghai days [from, to]: every plan whose period overlaps them counts in
 * full, each (plan, site) once; a planned site is visited when its plan's inspector visited it
 * from the plan's first day up to the plan's last day or `to`, whichever is earlier — so a month
 * plan in a weekly digest shows its progress to that week's end. Rates are visited ÷ planned,
 * per inspector, per site kind (`sites.kind`), per unit (the site's `default_unit_id`) and
 * overall.
 */

export interface CoverageFigures {
  /** (plan, site) pairs planned. */
  planned: number;
  /** Of `planned`, those visited (see above). */
  visited: number;
  /** visited ÷ planned, 0–1; null when nothing is planned. */
  rate: number | null;
}

export interface InspectorCoverage extends CoverageFigures {
  inspectorId: string;
  inspectorName: string;
}

export interface SiteKindCoverage extends CoverageFigures {
  kind: string;
}

export interface UnitCoverage extends CoverageFigures {
  /** The site's default unit; null for sites with none. */
  unitId: string | null;
  unitName: string;
}

export interface PlanCoverage {
  /** First and last day, inclusive, Asia/Shanghai. */
  from: string;
  to: string;
  /** Plans whose period overlaps the days. */
  plans: number;
  overall: CoverageFigures;
  byInspector: InspectorCoverage[];
  bySiteKind: SiteKindCoverage[];
  byUnit: UnitCoverage[];
}

/** No plan in the period. */
export const emptyCoverage = (from: string, to: string): PlanCoverage => ({
  from,
  to,
  plans: 0,
  overall: { planned: 0, visited: 0, rate: null },
  byInspector: [],
  bySiteKind: [],
  byUnit: [],
});

const figures = (planned: number, visited: number): CoverageFigures => ({
  planned,
  visited,
  rate: planned > 0 ? visited / planned : null,
});

/**
 * True when `inspector` visited `site` on a day in [first, last] (all SQL expressions): the
 * visit rule above, written once.
 */
export const visitedSql = (
  inspector: ReturnType<typeof sql.ref>,
  site: ReturnType<typeof sql.ref>,
  first: ReturnType<typeof sql.ref> | ReturnType<typeof sql<string>>,
  last: ReturnType<typeof sql.ref> | ReturnType<typeof sql<string>>,
) => sql<boolean>`(
  EXISTS (SELECT 1 FROM inspection_sites vis JOIN inspections vi ON vi.id = vis.inspection_id
          WHERE vis.site_id = ${site} AND vi.created_by = ${inspector} AND vi.voided_at IS NULL
            AND vi.held_on BETWEEN ${first} AND ${last})
  OR EXISTS (SELECT 1 FROM tasks vt JOIN inspections vi ON vi.id = vt.inspection_id
          WHERE vt.site_id = ${site} AND vi.created_by = ${inspector} AND vi.voided_at IS NULL
            AND vi.held_on BETWEEN ${first} AND ${last}))`;

interface CoverageRow {
  grp: 'inspector' | 'kind' | 'unit' | 'all';
  inspector_id: string | null;
  inspector_name: string | null;
  kind: string | null;
  unit_id: string | null;
  unit_name: string | null;
  plans: number;
  planned: number;
  visited: number;
}

const byName = new Intl.Collator('zh-Hans-CN').compare;

/** Coverage over the Shanghai days [from, to] (YYYY-MM-DD, checked by the caller). */
export async function readCoverage(db: Db, from: string, to: string): Promise<PlanCoverage> {
  const { rows } = await sql<CoverageRow>`
WITH planned AS (
  SELECT p.id AS plan_id, p.inspector_id, ps.site_id, s.kind, s.default_unit_id,
         ${visitedSql(
           sql.ref('p.inspector_id'),
           sql.ref('ps.site_id'),
           sql.ref('p.period_start'),
           sql<string>`least(p.period_end, ${to}::date)`,
         )} AS visited
  FROM inspection_plans p
  JOIN inspection_plan_sites ps ON ps.plan_id = p.id
  JOIN sites s ON s.id = ps.site_id
  WHERE p.period_start <= ${to}::date AND p.period_end >= ${from}::date
)
SELECT CASE WHEN GROUPING(pl.inspector_id) = 0 THEN 'inspector'
            WHEN GROUPING(pl.kind) = 0 THEN 'kind'
            WHEN GROUPING(pl.default_unit_id) = 0 THEN 'unit'
            ELSE 'all' END AS grp,
       pl.inspector_id, max(u.display_name) AS inspector_name,
       pl.kind, pl.default_unit_id AS unit_id, max(un.name) AS unit_name,
       count(DISTINCT pl.plan_id)::int AS plans,
       count(*)::int AS planned,
       count(*) FILTER (WHERE pl.visited)::int AS visited
FROM planned pl
JOIN users u ON u.id = pl.inspector_id
LEFT JOIN units un ON un.id = pl.default_unit_id
GROUP BY GROUPING SETS ((pl.inspector_id), (pl.kind), (pl.default_unit_id), ())`.execute(db);

  const all = rows.find((r) => r.grp === 'all');
  if (!all || all.planned === 0) return emptyCoverage(from, to);
  const of = (g: CoverageRow['grp']) => rows.filter((r) => r.grp === g);
  return {
    from,
    to,
    plans: all.plans,
    overall: figures(all.planned, all.visited),
    byInspector: of('inspector')
      .map((r) => ({
        inspectorId: r.inspector_id!,
        inspectorName: r.inspector_name ?? '',
        ...figures(r.planned, r.visited),
      }))
      .sort((a, b) => byName(a.inspectorName, b.inspectorName)),
    bySiteKind: of('kind')
      .map((r) => ({ kind: r.kind!, ...figures(r.planned, r.visited) }))
      .sort((a, b) => byName(a.kind, b.kind)),
    byUnit: of('unit')
      .map((r) => ({
        unitId: r.unit_id,
        unitName: r.unit_name ?? '未指定单位',
        ...figures(r.planned, r.visited),
      }))
      // Sites without a unit last.
      .sort((a, b) =>
        a.unitId === null ? 1 : b.unitId === null ? -1 : byName(a.unitName, b.unitName),
      ),
  };
}

export interface UnvisitedSite {
  siteId: string;
  code: string | null;
  name: string;
  kind: string;
  unitId: string | null;
  unitName: string | null;
  /** The last day anyone visited it (the rule above, any creator); null when never. */
  lastVisitedOn: string | null;
  /** Days from `lastVisitedOn` to today; null when never visited. */
  daysSince: number | null;
}

/**
 * 未督导点位: active sites nobody visited in the last `days` days up to `today` (Shanghai), i.e.
 * never visited or last visited `days` or more days ago. Never visited first, then the longest
 * unvisited.
 */
export async function readUnvisitedSites(
  db: Db,
  today: string,
  days: number,
): Promise<UnvisitedSite[]> {
  const { rows } = await sql<{
    site_id: string;
    code: string | null;
    name: string;
    kind: string;
    unit_id: string | null;
    unit_name: string | null;
    last_visited_on: string | null;
    days_since: number | null;
  }>`
WITH visits AS (
  SELECT vis.site_id, i.held_on FROM inspection_sites vis
    JOIN inspections i ON i.id = vis.inspection_id
   WHERE i.voided_at IS NULL AND i.held_on <= ${today}::date
  UNION ALL
  SELECT t.site_id, i.held_on FROM tasks t
    JOIN inspections i ON i.id = t.inspection_id
   WHERE t.site_id IS NOT NULL AND i.voided_at IS NULL AND i.held_on <= ${today}::date
), last AS (
  SELECT site_id, max(held_on) AS held_on FROM visits GROUP BY site_id
)
SELECT s.id AS site_id, s.code, s.name, s.kind, s.default_unit_id AS unit_id, un.name AS unit_name,
       to_char(l.held_on, 'YYYY-MM-DD') AS last_visited_on,
       (${today}::date - l.held_on)::int AS days_since
FROM sites s
LEFT JOIN last l ON l.site_id = s.id
LEFT JOIN units un ON un.id = s.default_unit_id
WHERE s.active AND (l.held_on IS NULL OR l.held_on <= ${today}::date - ${days}::int)
ORDER BY l.held_on ASC NULLS FIRST, s.name, s.id`.execute(db);
  return rows.map((r) => ({
    siteId: r.site_id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    unitId: r.unit_id,
    unitName: r.unit_name,
    lastVisitedOn: r.last_visited_on,
    daysSince: r.days_since,
  }));
}
