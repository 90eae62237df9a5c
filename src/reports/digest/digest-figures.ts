import type {
  Card,
  DigestCounts,
  DigestRates,
  DigestRules,
  RecurrenceDeductionRule,
  UnrankedReason,
} from './digest-model.js';

/**
 * The 数字城管 evaluation arithmetic of DESIGN.md, kept pure so a table of cases covers it. The
 * SQL aggregate (digest.reader.ts) supplies the counts; nothing here touches the database.
 *
 * With volume = due − dueOnHold — the tasks whose 考核时限 fell in the period less those parked
 * (挂账, which leave the denominator) — this is the 金华 rule 按期结案率 = 按期结案数 ÷
 * (应结案数 − 缓办数), with due = 应结案数 and dueOnHold = 缓办数. "Due in the period" and
 * "on time" are defined beside the query (digest.reader.ts): a task is due in the period of its 考核时限 — the
 * deadline set when it was assigned, moved only by the office (approved 延期, override,
 * resuming from 挂账), never by 返工 or 反弹 — and stays due there after either; on time means
 * the accepted submission was made by that deadline, so rework lateness is not erased.
 *
 * - 按期结案率 = dueClosedOnTime ÷ volume — of the tasks due in the period, the share closed by
 *   their 考核时限. Counting the numerator among the same tasks keeps the rate within 0–1 (a
 *   task due next week but closed early this week counts next week).
 * - 结案率 = dueClosed ÷ volume — of the tasks due in the period, the share closed by the
 *   period end, on time or late.
 * - 返工率 = failedChecks ÷ checks — of the 复查 done in the period, the share that failed.
 * - 延期率 = extensionsGranted ÷ inHand — extensions approved in the period per task the unit
 *   had in hand during it.
 * - 综合指标值 = 按期结案率×60 + 结案率×30 + (1 − 返工率)×10, from 0 to 100 (without 复查:
 *   below).
 * - 未经复查销号占比 (unverifiedShare) = closedUnverified ÷ closed — of the tasks closed in the
 *   period, the share closed on the unit's submission without a 复查. It is shown beside the
 *   rates but not scored: whether a category is checked is the office's policy, not the unit's
 *   performance; the office reads it to judge how much of 结案 it has seen for itself.
 *
 * Division by zero: a rate with a zero denominator is null ("not applicable"), never 0 or 1 —
 * a unit with nothing due has neither failed nor succeeded.
 *
 * Small numbers, the index: 综合指标值 is the weighted mean of the terms that are defined,
 * scaled to 100.
 * - volume 0 (nothing due, or all of it 挂账): both closure rates are null, so the index is null
 *   and the row is not ranked — whatever the checks say. A category or unit with no due task and
 *   no check has every score null, never 10.
 * - no 复查 in the period (返工率 null): the index is (按期结案率×60 + 结案率×30) ÷ 90 × 100.
 *   Reading a missing 返工率 as 0 gave 10 points for nothing: a unit that let all its due tasks
 *   run out, and so was never checked, scored 10; now it scores 0, and a unit whose closures
 *   were not checked (a self_close category: the office's policy) neither gains nor loses.
 *
 * 来源 weights (config/sources.json `weight`, default 1; 金华 doubles the deductions for 领导交办
 * and 媒体曝光): the two closure terms of 综合指标值 are written as deductions from a full score,
 * and each due task's deduction is multiplied by its source's weight:
 *   按期结案分 = max(0, volume − Σ weight of the due tasks not closed on time) ÷ volume
 *   结案分     = max(0, volume − Σ weight of the due tasks not closed) ÷ volume
 * (due tasks less 挂账, by the period end: `dueMissedWeighted`, `dueUnclosedWeighted` from the
 * query). So a late 领导交办 task (weight 2) costs as much as two late ordinary tasks, a 领导交办
 * task closed on time costs nothing, the score never goes below 0, and the denominator (volume)
 * is the plain count, as in the unweighted rule. With every weight 1 the sums are exactly
 * volume − dueClosedOnTime and volume − dueClosed, so the terms are dueClosedOnTime ÷ volume and
 * dueClosed ÷ volume to the last bit — today's index. The shown 按期结案率 and 结案率 stay
 * unweighted (they are rates of tasks); only 综合指标值 is weighted. 返工率 is not weighted (a
 * 复查 failing is the same work whatever the source).
 *
 * 反弹 deduction (config/digest.json `recurrenceDeduction`, off by default; units only, the
 * service passes the rule for unit rows): a unit whose closed tasks came back in the period
 * (`recurrences`, attributed to the unit that closed the earlier task) loses
 * min(max, pointsPerRecurrence × recurrences) points of 综合指标值, and the index never goes
 * below 0: 综合指标值' = max(0, 综合指标值 − min(max, pointsPerRecurrence × 反弹数)).
 * `recurrenceDeduction` says how many points were taken (0 when off, when nothing came back, and
 * when the index is null: nothing due, nothing to deduct from). Ranking uses the index after the
 * deduction. 重复点位 (repeatLocations) are shown, not scored.
 *
 * Rates are rounded to 4 decimals (0.01 %) and the index to 2, from the unrounded rates, so
 * equal figures on screen rank equal.
 */

const RATE_DECIMALS = 4;
const INDEX_DECIMALS = 2;

export const INDEX_WEIGHTS = { onTimeClosure: 60, closure: 30, noRework: 10 } as const;

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

const COUNT_FIELDS = [
  'received',
  'closed',
  'closedOnTime',
  'closedUnverified',
  'closedFlagged',
  'openOverdue',
  'supervised',
  'notified',
  'due',
  'dueOnHold',
  'dueClosed',
  'dueClosedOnTime',
  'inHand',
  'checks',
  'failedChecks',
  'extensionsGranted',
  'recurrences',
  'repeatLocations',
] as const satisfies readonly (keyof DigestCounts)[];

/**
 * Refuses counts that cannot come from a correct aggregate, so a query bug shows as an error
 * instead of a rate above 100 %.
 */
function assertConsistent(c: DigestCounts): void {
  for (const field of COUNT_FIELDS) {
    const value = c[field];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${field} must be a non-negative integer, got ${value}`);
    }
  }
  const subsets: [keyof DigestCounts, keyof DigestCounts][] = [
    ['closedOnTime', 'closed'],
    ['closedUnverified', 'closed'],
    ['closedFlagged', 'closed'],
    ['supervised', 'openOverdue'],
    ['notified', 'supervised'],
    ['dueOnHold', 'due'],
    ['dueClosed', 'due'],
    ['dueClosedOnTime', 'dueClosed'],
    ['failedChecks', 'checks'],
  ];
  for (const [part, whole] of subsets) {
    if ((c[part] as number) > (c[whole] as number)) {
      throw new RangeError(`${part} (${c[part]}) cannot exceed ${whole} (${c[whole]})`);
    }
  }
  if (c.dueClosed + c.dueOnHold > c.due) {
    throw new RangeError(
      `dueClosed + dueOnHold (${c.dueClosed + c.dueOnHold}) exceeds due (${c.due})`,
    );
  }
}

/** 综合指标值 from the unrounded rates: the weighted mean of the defined terms, 0–100. */
function compositeIndex(
  onTime: number | null,
  closure: number | null,
  rework: number | null,
): number | null {
  if (onTime === null || closure === null) return null;
  const closureTerms = onTime * INDEX_WEIGHTS.onTimeClosure + closure * INDEX_WEIGHTS.closure;
  if (rework === null) {
    const weights = INDEX_WEIGHTS.onTimeClosure + INDEX_WEIGHTS.closure;
    return (closureTerms / weights) * 100;
  }
  return closureTerms + (1 - rework) * INDEX_WEIGHTS.noRework;
}

/**
 * A closure term with 来源-weighted deductions (module comment): max(0, volume − weighted) ÷
 * volume, null with nothing due. `unweighted`: the plain deduction, when no weighted sum is given.
 * Integer arithmetic until the one division, so with weights 1 it equals the plain rate exactly.
 */
export function weightedScore(
  volume: number,
  weighted: number | undefined,
  unweighted: number,
): number | null {
  if (volume <= 0) return null;
  const missed = weighted ?? unweighted;
  if (!(Number.isFinite(missed) && missed >= 0)) {
    throw new RangeError(`weighted deduction must be a non-negative number, got ${missed}`);
  }
  return Math.max(0, volume - missed) / volume;
}

/** Points of 综合指标值 the 反弹 deduction takes off an index (see the module comment). */
export function recurrenceDeductionPoints(
  index: number | null,
  recurrences: number,
  rule: RecurrenceDeductionRule | undefined,
): number {
  if (!rule?.enabled || index === null || recurrences <= 0) return 0;
  return Math.min(index, rule.max, rule.pointsPerRecurrence * recurrences);
}

/**
 * The ratios of one row of the digest; see the module comment for every formula. `deduction`:
 * the 反弹 deduction rule, for unit rows only.
 */
export function computeRates(c: DigestCounts, deduction?: RecurrenceDeductionRule): DigestRates {
  assertConsistent(c);
  const volume = c.due - c.dueOnHold;
  const onTime = ratio(c.dueClosedOnTime, volume);
  const closure = ratio(c.dueClosed, volume);
  const rework = ratio(c.failedChecks, c.checks);
  const extension = ratio(c.extensionsGranted, c.inHand);
  const unverified = ratio(c.closedUnverified, c.closed);
  const raw = compositeIndex(
    weightedScore(volume, c.dueMissedWeighted, volume - c.dueClosedOnTime),
    weightedScore(volume, c.dueUnclosedWeighted, volume - c.dueClosed),
    rework,
  );
  const deducted = recurrenceDeductionPoints(raw, c.recurrences, deduction);
  const index = raw === null ? null : raw - deducted;
  const r = (value: number | null): number | null =>
    value === null ? null : round(value, RATE_DECIMALS);
  return {
    volume,
    onTimeClosureRate: r(onTime),
    closureRate: r(closure),
    reworkRate: r(rework),
    extensionRate: r(extension),
    unverifiedShare: r(unverified),
    compositeIndex: index === null ? null : round(index, INDEX_DECIMALS),
    recurrenceDeduction: round(deducted, INDEX_DECIMALS),
  };
}

export interface RankCandidate {
  key: string;
  volume: number;
  compositeIndex: number | null;
}

export interface RankOutcome {
  rank: number | null;
  card: Card | null;
  unrankedReason: UnrankedReason | null;
}

export type RankingRules = Pick<
  DigestRules,
  'minVolume' | 'greenShare' | 'redShare' | 'minRankedForCards' | 'minRankedForRed'
>;

function assertRules(rules: RankingRules): void {
  const { greenShare, redShare } = rules;
  for (const name of ['minVolume', 'minRankedForCards', 'minRankedForRed'] as const) {
    const value = rules[name];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
    }
  }
  for (const [name, share] of [
    ['greenShare', greenShare],
    ['redShare', redShare],
  ] as const) {
    if (!(Number.isFinite(share) && share >= 0 && share <= 1)) {
      throw new RangeError(`${name} must be between 0 and 1, got ${share}`);
    }
  }
  if (greenShare + redShare > 1) {
    throw new RangeError(`greenShare + redShare must not exceed 1, got ${greenShare + redShare}`);
  }
}

/**
 * How many of n ranked units get a green and a red card (the rest: yellow). With the shipped
 * rules (shares ⅓, cards from 2 ranked units, red from 3):
 *
 * | n ranked | green | yellow | red |
 * |---------:|------:|-------:|----:|
 * | 0        | 0     | 0      | 0   |
 * | 1        | —     | —      | —   |  ranked 1st, no card: a league of one compares nobody
 * | 2        | 1     | 1      | 0   |  the second is not red for being second of two
 * | 3        | 1     | 1      | 1   |
 * | 5        | 2     | 1      | 2   |
 * | 20       | 7     | 6      | 7   |
 *
 * - n < minRankedForCards: no cards at all (green = red = 0, and the rows' card is null).
 * - green = round(n × greenShare), at least 1 when greenShare > 0: the best unit is named.
 * - red = 0 when n < minRankedForRed; else round(n × redShare), at least 1 when redShare > 0;
 *   never more than n − green (green first).
 * round() is to the nearest whole unit, half up, after a 1e-9 nudge so that 0.3333 × 3 counts
 * as 1: the shares are meant as "a third", not as 0.9999 of a unit.
 */
export function cardCounts(n: number, rules: RankingRules): { green: number; red: number } {
  if (n < Math.max(1, rules.minRankedForCards)) return { green: 0, red: 0 };
  const share = (s: number): number => (s > 0 ? Math.max(1, Math.round(n * s + 1e-9)) : 0);
  const green = Math.min(share(rules.greenShare), n);
  const red = n < rules.minRankedForRed ? 0 : Math.min(share(rules.redShare), n - green);
  return { green, red };
}

/**
 * Ranks units by 综合指标值 and hands out cards.
 *
 * - A unit is ranked only with an index and volume (应结案数) ≥ `minVolume`: a unit with two
 *   tasks must not top the list by luck. The others are listed with `unrankedReason`
 *   (`no_index` first: nothing due, or all 挂账; then `below_min_volume`).
 * - Competition ranking: units with equal indexes share a rank, the next rank skips (1, 2, 2, 4).
 * - Cards by `cardCounts` (above). A unit's card follows its rank: green when rank ≤ green, red
 *   when rank > n − red, yellow otherwise, so units tied across a boundary all get the better
 *   card. Below `minRankedForCards` ranked units the card is null, the rank is still given.
 */
export function rankByIndex(
  candidates: readonly RankCandidate[],
  rules: RankingRules,
): Map<string, RankOutcome> {
  assertRules(rules);
  const out = new Map<string, RankOutcome>();
  const ranked: { key: string; index: number }[] = [];
  for (const c of candidates) {
    if (c.compositeIndex === null) {
      out.set(c.key, { rank: null, card: null, unrankedReason: 'no_index' });
    } else if (c.volume < rules.minVolume) {
      out.set(c.key, { rank: null, card: null, unrankedReason: 'below_min_volume' });
    } else {
      ranked.push({ key: c.key, index: c.compositeIndex });
    }
  }
  const n = ranked.length;
  const cards = n >= Math.max(1, rules.minRankedForCards);
  const { green, red } = cardCounts(n, rules);
  for (const { key, index } of ranked) {
    const rank = 1 + ranked.filter((other) => other.index > index).length;
    const card: Card | null = !cards
      ? null
      : rank <= green
        ? 'green'
        : rank > n - red
          ? 'red'
          : 'yellow';
    out.set(key, { rank, card, unrankedReason: null });
  }
  return out;
}
