import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../database/kysely.js';
import type { DigestCounts } from './digest-model.js';
import type { SourceCountRow } from './digest-source.reader.js';

/**
 * The digest's counts as one SQL aggregate over `tasks` (plus `task_checks` and
 * `extension_requests`), grouped by unit, by category and overall with GROUPING SETS. No task
 * is loaded into memory. The period is half-open, [start, end), so a task closed at Sunday
 * 23:30 Beijing (15:30 UTC) is in the week and one closed at Monday 00:30 is not.
 *
 * A task belongs to its current unit (`tasks.unit_id`) and category. The figures read the task
 * rows as they are now, so they are exact for everything stamped on the row (closed_at,
 * cancelled_at, assessed_deadline, deadline, assigned_at) and approximate for what a row
 * forgets: a task reopened, extended or parked after the period end shows its new state. The
 * weekly digest is stored the Monday morning after the week, which is what makes last week's
 * figures final. The end E is never after now: a period reaching into the future is counted up
 * to now (digest-period.ts), so nothing is overdue that is not overdue yet.
 *
 * 考核时限 (tasks.assessed_deadline, "the deadline the unit is judged by") is what "due" and
 * "on time" are measured against. It is the deadline in force when the task was assigned to its
 * unit, moved only by the office: an approved 延期 (金华 rules: an approved extension changes
 * when the task 应结案), an override of the deadline, or resuming it from 挂账. A failed 复查
 * (返工) or a 反弹 gives the unit a new working `deadline` for the rework and leaves the 考核时限
 * alone. So a task due in a period stays due in it however often its work fails, failing a
 * unit's work can no longer push it under the minimum volume, and rework cannot erase the first
 * round's lateness. Reassigning the task to another unit starts a new 考核时限 for that unit.
 *
 * Definitions (S = start, E = end):
 * - received: not cancelled, assigned_at in [S, E). assigned_at is when the unit's current
 *   window began — the dispatch, or a re-dispatch after 返工, 挂账 or 反弹 — so work handed back
 *   to the unit in the period counts as received again. Cancelled tasks (duplicates, mistakes)
 *   were never real work.
 * - closed: status closed, closed_at in [S, E); closedOnTime: of those, closed_on_time — the
 *   accepted submission (the one whose 复查 passed, or that closed the task by itself) was made
 *   by the 考核时限. A task reworked after a failed check whose resubmission comes after the
 *   考核时限 is late, even when it met the rework deadline;
 *   closedUnverified: of those, closed_unverified — closed on the unit's submission alone, with
 *   no 复查 (a self_close category, or a spot_check submission not drawn for 抽查). The flag is
 *   set when the task closes and cleared on 反弹, so it describes the closure counted here;
 *   closedFlagged (照片存疑): of those, the ones whose accepted submission — the latest round of a
 *   closed task — carries evidence flags (evidence-rules.ts).
 * - due ("due in period", 应结案): not cancelled, 考核时限 in [S, E) — whatever the task's state,
 *   and however often it was reworked or reopened since.
 *   dueOnHold (缓办): of those, parked (status on_hold) — 挂账 tasks leave the on-time
 *   denominator (金华: 按期结案率 = 按期结案数 ÷ (应结案数 − 缓办数)).
 *   dueClosed: of those, closed before E; dueClosedOnTime: of those, closed_on_time.
 * - open at the period end: assigned before E, not closed before E, not cancelled before E,
 *   and not parked. openOverdue: open at E with its working deadline < E (at the deadline
 *   itself a task is still on time, as the traffic light says): the light and the 督办/通报
 *   levels follow the working deadline, including a rework deadline. supervised / notified: open at E with
 *   deadline + superviseAfterHours / notifyAfterHours < E — the 督办 and 通报 levels of
 *   DeadlineService at the instant E; 通报 tasks are also counted as 督办.
 * - inHand: not cancelled, assigned before E and not closed before S (the 延期率 denominator).
 * - medianHoursToClose: median of closed_at − created_at (立案 to 销号, which rework cannot
 *   shorten) over the tasks closed in the period.
 * - dueMissedWeighted / dueUnclosedWeighted (来源 weights, config/sources.json): the sum of the
 *   source weights of the due tasks, less 挂账, not closed on time by E / not closed by E — the
 *   deductions of the two closure terms of 综合指标值, weighted (digest-figures.ts). A task of a
 *   source not in the file weighs 1. With every weight 1 they are volume − dueClosedOnTime and
 *   volume − dueClosed.
 * - checks / failedChecks: 复查 recorded in [S, E); extensionsGranted: extension requests
 *   approved (decided_at) in [S, E).
 */

/** 反弹 and 重复点位 are counted by their own query (digest-recurrence.reader.ts). */
export interface DigestCountRow extends Omit<DigestCounts, 'recurrences' | 'repeatLocations'> {
  /** 'u:<unit id>', 'c:<category id>' or 'all'. */
  key: string;
}

const groupKey = (unit: string, category: string): RawBuilder<string> =>
  sql.raw(`
  CASE WHEN GROUPING(${unit}) = 0 THEN 'u:' || ${unit}::text
       WHEN GROUPING(${category}) = 0 THEN 'c:' || ${category}::text
       ELSE 'all' END`);

/**
 * The aggregate stays SQL (Kysely's `sql` template binds the values); S, E and the two
 * thresholds are bound where they are used. Exported for the benchmark, which runs this very
 * statement in pgbench as the digest's raw anchor (bench/scenarios-loop.ts).
 */
export const digestSql = (
  s: Date,
  e: Date,
  superviseAfterHours: number,
  notifyAfterHours: number,
  weights: SourceWeights,
) =>
  sql<RawRow>`
WITH facts AS MATERIALIZED (
  -- No subquery per row here: a correlated subplan is parallel-restricted and would keep this
  -- scan (the digest's cost) on one core. 照片存疑 is counted in flagged_counts instead.
  SELECT t.unit_id, t.category_id, t.source, t.deadline,
         -- The source's weight, looked up in the bound arrays (1 when not listed): an
         -- expression, not a join, so the plan stays the one of the counts without weights.
         coalesce((${weights.weights}::float8[])[array_position(${weights.codes}::text[], t.source)],
                  1)::float8 AS weight,
         t.status <> 'cancelled' AND t.assigned_at >= ${s} AND t.assigned_at < ${e} AS received,
         t.status = 'closed' AND t.closed_at >= ${s} AND t.closed_at < ${e} AS closed,
         t.closed_on_time IS TRUE AS on_time,
         t.closed_unverified IS TRUE AS unverified,
         t.status <> 'cancelled' AND t.assessed_deadline >= ${s} AND t.assessed_deadline < ${e} AS due,
         t.status = 'on_hold' AS on_hold,
         t.status = 'closed' AND t.closed_at < ${e} AS closed_by_end,
         t.status <> 'cancelled' AND t.assigned_at < ${e}
           AND (t.closed_at IS NULL OR t.closed_at >= ${s}) AS in_hand,
         t.status <> 'on_hold' AND t.assigned_at < ${e}
           AND (t.closed_at IS NULL OR t.closed_at >= ${e})
           AND (t.cancelled_at IS NULL OR t.cancelled_at >= ${e}) AS open_at_end,
         CASE WHEN t.status = 'closed' AND t.closed_at >= ${s} AND t.closed_at < ${e}
              THEN extract(epoch FROM t.closed_at - t.created_at) / 3600 END AS hours_to_close
    FROM tasks t
   WHERE t.unit_id IS NOT NULL
     -- Only rows some figure can count: in the unit's hands during the period, or due in it.
     AND ((t.assigned_at < ${e} AND (t.closed_at IS NULL OR t.closed_at >= ${s})
           AND (t.cancelled_at IS NULL OR t.cancelled_at >= ${s}))
          OR (t.assessed_deadline >= ${s} AND t.assessed_deadline < ${e}))
),
task_counts AS (
  SELECT ${groupKey('unit_id', 'category_id')} AS key,
         count(*) FILTER (WHERE received)::int AS received,
         count(*) FILTER (WHERE closed)::int AS closed,
         count(*) FILTER (WHERE closed AND on_time)::int AS closed_on_time,
         count(*) FILTER (WHERE closed AND unverified)::int AS closed_unverified,
         count(*) FILTER (WHERE open_at_end AND deadline < ${e})::int AS open_overdue,
         count(*) FILTER (WHERE open_at_end AND deadline + ${superviseAfterHours}::float8 * interval '1 hour' < ${e})::int AS supervised,
         count(*) FILTER (WHERE open_at_end AND deadline + ${notifyAfterHours}::float8 * interval '1 hour' < ${e})::int AS notified,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY hours_to_close) AS median_hours_to_close,
         count(*) FILTER (WHERE due)::int AS due,
         count(*) FILTER (WHERE due AND on_hold)::int AS due_on_hold,
         count(*) FILTER (WHERE due AND closed_by_end)::int AS due_closed,
         count(*) FILTER (WHERE due AND closed_by_end AND on_time)::int AS due_closed_on_time,
         count(*) FILTER (WHERE in_hand)::int AS in_hand,
         coalesce(sum(weight) FILTER (WHERE due AND NOT on_hold
                                        AND NOT (closed_by_end AND on_time)), 0)::float8 AS due_missed_weighted,
         coalesce(sum(weight) FILTER (WHERE due AND NOT on_hold AND NOT closed_by_end), 0)::float8
           AS due_unclosed_weighted
    FROM facts
   GROUP BY GROUPING SETS ((unit_id), (category_id), ())
),
check_counts AS (
  SELECT ${groupKey('t.unit_id', 't.category_id')} AS key,
         count(*)::int AS checks,
         count(*) FILTER (WHERE c.result = 'fail')::int AS failed_checks
    FROM task_checks c
    JOIN tasks t ON t.id = c.task_id
   WHERE c.created_at >= ${s} AND c.created_at < ${e} AND t.unit_id IS NOT NULL
   GROUP BY GROUPING SETS ((t.unit_id), (t.category_id), ())
),
-- 照片存疑: of the tasks closed in the period (an index range on closed_at), those whose accepted
-- submission (the latest round) carries evidence flags.
flagged_counts AS (
  SELECT ${groupKey('t.unit_id', 't.category_id')} AS key,
         count(*)::int AS closed_flagged
    FROM tasks t
   WHERE t.status = 'closed' AND t.closed_at >= ${s} AND t.closed_at < ${e} AND t.unit_id IS NOT NULL
     AND coalesce((SELECT jsonb_array_length(ts.evidence_flags) > 0 FROM task_submissions ts
                    WHERE ts.task_id = t.id ORDER BY ts.round DESC LIMIT 1), false)
   GROUP BY GROUPING SETS ((t.unit_id), (t.category_id), ())
),
-- 来源 (digest-source.reader.ts): closed, closed on time and 超期未结 per unit and source and per
-- source, from the same rows. A task without a unit was never assigned (a dispute back to 待派遣
-- clears unit and assigned_at together; ck_tasks_assigned), so it can be neither closed nor
-- open at E, and these rows are exact district-wide too.
source_counts AS (
  SELECT CASE WHEN GROUPING(unit_id) = 0 THEN 'us:' || unit_id::text ELSE 's:' END || ':' || source AS key,
         unit_id::text AS unit_id, source,
         count(*) FILTER (WHERE closed)::int AS closed,
         count(*) FILTER (WHERE closed AND on_time)::int AS closed_on_time,
         count(*) FILTER (WHERE open_at_end AND deadline < ${e})::int AS open_overdue
    FROM facts
   GROUP BY GROUPING SETS ((unit_id, source), (source))
),
extension_counts AS (
  SELECT ${groupKey('t.unit_id', 't.category_id')} AS key,
         count(*)::int AS extensions_granted
    FROM extension_requests x
    JOIN tasks t ON t.id = x.task_id
   WHERE x.status = 'approved' AND x.decided_at >= ${s} AND x.decided_at < ${e}
     AND t.unit_id IS NOT NULL
   GROUP BY GROUPING SETS ((t.unit_id), (t.category_id), ())
)
SELECT coalesce(a.key, c.key, x.key) AS key,
       coalesce(a.received, 0) AS received, coalesce(a.closed, 0) AS closed,
       coalesce(a.closed_on_time, 0) AS closed_on_time,
       coalesce(a.closed_unverified, 0) AS closed_unverified,
       coalesce(f.closed_flagged, 0) AS closed_flagged, coalesce(a.open_overdue, 0) AS open_overdue,
       coalesce(a.supervised, 0) AS supervised, coalesce(a.notified, 0) AS notified,
       a.median_hours_to_close,
       coalesce(a.due, 0) AS due, coalesce(a.due_on_hold, 0) AS due_on_hold,
       coalesce(a.due_closed, 0) AS due_closed, coalesce(a.due_closed_on_time, 0) AS due_closed_on_time,
       coalesce(a.in_hand, 0) AS in_hand,
       coalesce(a.due_missed_weighted, 0) AS due_missed_weighted,
       coalesce(a.due_unclosed_weighted, 0) AS due_unclosed_weighted,
       coalesce(c.checks, 0) AS checks, coalesce(c.failed_checks, 0) AS failed_checks,
       coalesce(x.extensions_granted, 0) AS extensions_granted,
       NULL::text AS unit_id, NULL::text AS source
  FROM task_counts a
  FULL JOIN check_counts c ON c.key = a.key
  FULL JOIN extension_counts x ON x.key = coalesce(a.key, c.key)
  -- A flagged task is a closed one, so its key is always one of task_counts'.
  LEFT JOIN flagged_counts f ON f.key = a.key
UNION ALL
-- The 来源 rows in the same columns (keys 'us:<unit>:<source>' and 's::<source>'); only the three
-- figures they carry are non-zero.
SELECT key, 0, closed, closed_on_time, 0, 0, open_overdue, 0, 0, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
       unit_id, source
  FROM source_counts
 WHERE closed > 0 OR open_overdue > 0
 ORDER BY 1`;

interface RawRow {
  key: string;
  received: number;
  closed: number;
  closed_on_time: number;
  closed_unverified: number;
  closed_flagged: number;
  open_overdue: number;
  supervised: number;
  notified: number;
  median_hours_to_close: number | null;
  due: number;
  due_on_hold: number;
  due_closed: number;
  due_closed_on_time: number;
  in_hand: number;
  due_missed_weighted: number;
  due_unclosed_weighted: number;
  checks: number;
  failed_checks: number;
  extensions_granted: number;
  /** Set on the 来源 rows only (source_counts): the unit, null on a district-wide row. */
  unit_id: string | null;
  source: string | null;
}

/** What the 来源 rows of the aggregate carry (the 新增 count comes from readRaisedCounts). */
export type SourceOutcomeRow = Omit<SourceCountRow, 'raised'>;

export interface DigestAggregate {
  /** The counts per unit ('u:…'), per category ('c:…') and overall ('all'). */
  counts: DigestCountRow[];
  /** Closed, closed on time and 超期未结 per unit and source and district-wide per source. */
  sources: SourceOutcomeRow[];
}

export interface DigestThresholds {
  superviseAfterHours: number;
  notifyAfterHours: number;
}

/**
 * 来源 weights (config/sources.json) as two parallel arrays bound into the query; a task whose
 * source is not listed weighs 1. Empty arrays: every task weighs 1.
 */
export interface SourceWeights {
  codes: string[];
  weights: number[];
}

export const NO_SOURCE_WEIGHTS: SourceWeights = { codes: [], weights: [] };

/**
 * The counts per unit ('u:…'), per category ('c:…') and overall ('all') for [start, end), and
 * the 来源 outcome rows, from one statement.
 */
export async function readDigestCounts(
  db: Db,
  start: Date,
  end: Date,
  thresholds: DigestThresholds,
  weights: SourceWeights = NO_SOURCE_WEIGHTS,
): Promise<DigestAggregate> {
  const { rows } = await digestSql(
    start,
    end,
    thresholds.superviseAfterHours,
    thresholds.notifyAfterHours,
    weights,
  ).execute(db);
  const sources: SourceOutcomeRow[] = [];
  const counts: DigestCountRow[] = [];
  for (const r of rows) {
    if (r.source !== null) {
      sources.push({
        unitId: r.unit_id,
        source: r.source,
        closed: r.closed,
        closedOnTime: r.closed_on_time,
        openOverdue: r.open_overdue,
      });
    } else {
      counts.push(countRow(r));
    }
  }
  return { counts, sources };
}

function countRow(r: RawRow): DigestCountRow {
  return {
    key: r.key,
    received: r.received,
    closed: r.closed,
    closedOnTime: r.closed_on_time,
    closedUnverified: r.closed_unverified,
    closedFlagged: r.closed_flagged,
    openOverdue: r.open_overdue,
    supervised: r.supervised,
    notified: r.notified,
    medianHoursToClose:
      r.median_hours_to_close === null ? null : Math.round(r.median_hours_to_close * 10) / 10,
    due: r.due,
    dueOnHold: r.due_on_hold,
    dueClosed: r.due_closed,
    dueClosedOnTime: r.due_closed_on_time,
    inHand: r.in_hand,
    dueMissedWeighted: r.due_missed_weighted,
    dueUnclosedWeighted: r.due_unclosed_weighted,
    checks: r.checks,
    failedChecks: r.failed_checks,
    extensionsGranted: r.extensions_granted,
  };
}

export interface UnitRow {
  id: string;
  name: string;
  sortOrder: number;
  active: boolean;
}

export interface CategoryRow extends UnitRow {
  groupName: string;
}

/** Every unit, in the configured order; the service decides which to list. */
export function readUnits(db: Db): Promise<UnitRow[]> {
  return db
    .selectFrom('units')
    .select(['id', 'name', 'sort_order as sortOrder', 'active'])
    .orderBy('sort_order')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** Every category, in catalog order (sort order, then code). */
export function readCategories(db: Db): Promise<CategoryRow[]> {
  return db
    .selectFrom('categories')
    .select(['id', 'name', 'sort_order as sortOrder', 'active', 'group_name as groupName'])
    .orderBy('sort_order')
    .orderBy('code')
    .orderBy('id')
    .execute();
}
